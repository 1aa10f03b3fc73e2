package dev.polyfence.testing.gce;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * An error the fake answers in the Compute Engine shape: {@code {"error": {"code",
 * "message", "errors": [{"reason", "message", "domain"}]}}}.
 */
public final class ComputeApiException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String reason;

	public ComputeApiException(int status, String reason, String message) {
		super(message);
		this.status = status;
		this.reason = reason;
	}

	public static ComputeApiException invalid(String message) {
		return new ComputeApiException(400, "invalid", message);
	}

	public static ComputeApiException invalidField(String field, Object value, String why) {
		return invalid("Invalid value for field 'resource." + field + "': '" + value + "'. " + why);
	}

	public static ComputeApiException badRequest(String message) {
		return new ComputeApiException(400, "badRequest", message);
	}

	public static ComputeApiException required(String field) {
		return new ComputeApiException(400, "required", "Required field 'resource." + field + "' not specified");
	}

	public static ComputeApiException notFound(String resource) {
		return new ComputeApiException(404, "notFound", "The resource '" + resource + "' was not found");
	}

	public static ComputeApiException alreadyExists(String resource) {
		return new ComputeApiException(409, "alreadyExists", "The resource '" + resource + "' already exists");
	}

	/**
	 * The answer for an injected fault: 429 rateLimitExceeded, 503 backendError, else a
	 * generic reason.
	 */
	public static ComputeApiException injected(int status) {
		if (status == 429) {
			return new ComputeApiException(429, "rateLimitExceeded", "Rate Limit Exceeded");
		}
		if (status == 503) {
			return new ComputeApiException(503, "backendError", "Backend Error");
		}
		return new ComputeApiException(status, "injected", "Injected fault " + status);
	}

	public int status() {
		return status;
	}

	public String reason() {
		return reason;
	}

	public ObjectNode toJson() {
		ObjectNode root = JsonNodeFactory.instance.objectNode();
		ObjectNode error = root.putObject("error");
		error.put("code", status);
		error.put("message", getMessage());
		ObjectNode item = error.putArray("errors").addObject();
		item.put("message", getMessage());
		item.put("domain", "global");
		item.put("reason", reason);
		return root;
	}

}
