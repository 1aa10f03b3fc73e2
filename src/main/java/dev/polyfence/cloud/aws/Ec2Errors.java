package dev.polyfence.cloud.aws;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns SDK exceptions into {@link Ec2OperationException}s that say what was being done
 * to which resource.
 */
final class Ec2Errors {

	private static final Map<String, Kind> KINDS = Map.ofEntries(
			Map.entry(Ec2ErrorCodes.INVALID_PERMISSION_DUPLICATE, Kind.DUPLICATE),
			Map.entry(Ec2ErrorCodes.INVALID_GROUP_DUPLICATE, Kind.DUPLICATE),
			Map.entry(Ec2ErrorCodes.NETWORK_ACL_ENTRY_ALREADY_EXISTS, Kind.DUPLICATE),
			Map.entry(Ec2ErrorCodes.RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED, Kind.LIMIT_EXCEEDED),
			Map.entry(Ec2ErrorCodes.SECURITY_GROUP_LIMIT_EXCEEDED, Kind.LIMIT_EXCEEDED),
			Map.entry(Ec2ErrorCodes.NETWORK_ACL_ENTRY_LIMIT_EXCEEDED, Kind.LIMIT_EXCEEDED),
			Map.entry(Ec2ErrorCodes.NETWORK_ACL_LIMIT_EXCEEDED, Kind.LIMIT_EXCEEDED),
			Map.entry(Ec2ErrorCodes.REQUEST_LIMIT_EXCEEDED, Kind.THROTTLED),
			Map.entry(Ec2ErrorCodes.INVALID_PARAMETER_VALUE, Kind.INVALID_REQUEST),
			Map.entry(Ec2ErrorCodes.INVALID_PARAMETER_COMBINATION, Kind.INVALID_REQUEST),
			Map.entry(Ec2ErrorCodes.MISSING_PARAMETER, Kind.INVALID_REQUEST),
			Map.entry(Ec2ErrorCodes.DEPENDENCY_VIOLATION, Kind.INVALID_REQUEST),
			Map.entry(Ec2ErrorCodes.UNAUTHORIZED_OPERATION, Kind.ACCESS_DENIED),
			Map.entry(Ec2ErrorCodes.AUTH_FAILURE, Kind.ACCESS_DENIED));

	private Ec2Errors() {
	}

	/**
	 * @param doing what was being done, as a phrase that reads before "failed", such as
	 * "authorizing 3 ingress permissions on security group sg-1 (group web)"
	 * @param resource the id acted on, or the policy group when there is no id yet
	 */
	static Ec2OperationException wrap(String doing, String resource, SdkException e) {
		if (e instanceof AwsServiceException service) {
			AwsErrorDetails details = service.awsErrorDetails();
			String code = details == null ? null : details.errorCode();
			String detail = details == null || details.errorMessage() == null ? service.getMessage()
					: details.errorMessage();
			Kind kind = kindOf(code, service.statusCode(), service.isThrottlingException());
			StringBuilder message = new StringBuilder(capitalised(doing)).append(" failed: ");
			if (code != null) {
				message.append(code).append(": ");
			}
			message.append(detail).append(" (HTTP ").append(service.statusCode());
			if (service.requestId() != null) {
				message.append(", request ").append(service.requestId());
			}
			message.append(attempts(e)).append(')');
			return new Ec2OperationException(kind, code, resource, message.toString(), e);
		}
		return new Ec2OperationException(Kind.CLIENT_ERROR, null, resource,
				capitalised(doing) + " failed: " + e.getMessage(), e);
	}

	/**
	 * A change refused here, before any call: a reference without an id, or a value AWS
	 * would refuse.
	 */
	static Ec2OperationException refused(Kind kind, String doing, String resource, String why) {
		return new Ec2OperationException(kind, null, resource, capitalised(doing) + " refused: " + why, null);
	}

	static Kind kindOf(String code, int status, boolean throttling) {
		if (code != null) {
			Kind known = KINDS.get(code);
			if (known != null) {
				return known;
			}
			if (code.endsWith(".NotFound")) {
				return Kind.NOT_FOUND;
			}
			if (code.endsWith(".Duplicate")) {
				return Kind.DUPLICATE;
			}
			if (code.endsWith(".Malformed")) {
				return Kind.INVALID_REQUEST;
			}
			if (code.endsWith("LimitExceeded")) {
				return Kind.LIMIT_EXCEEDED;
			}
		}
		if (throttling || status == 429) {
			return Kind.THROTTLED;
		}
		if (status == 401 || status == 403) {
			return Kind.ACCESS_DENIED;
		}
		if (status >= 500) {
			return Kind.SERVICE_ERROR;
		}
		return status >= 400 && code == null ? Kind.INVALID_REQUEST : Kind.OTHER;
	}

	private static String attempts(SdkException e) {
		Integer attempts = e.numAttempts();
		return attempts == null || attempts <= 1 ? "" : ", after " + attempts + " attempts";
	}

	private static String capitalised(String phrase) {
		return phrase.isEmpty() ? phrase : Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1);
	}

}
