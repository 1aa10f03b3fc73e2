package dev.polyfence.cloud.aws;

import java.util.Optional;

/**
 * An EC2 call that failed, or a change that could not be sent: says what was being done
 * to which resource, the EC2 error code when AWS gave one (see {@link Ec2ErrorCodes}),
 * and what kind of failure it is, so callers can decide without parsing messages.
 */
public class Ec2OperationException extends RuntimeException {

	/** What kind of failure, for callers that react differently to each. */
	public enum Kind {

		/** The rule, entry or group already exists. */
		DUPLICATE,
		/** The resource or rule to act on does not exist. */
		NOT_FOUND,
		/** A quota was reached (rules per group, entries per ACL, groups per VPC). */
		LIMIT_EXCEEDED,
		/** Still throttled after the client's retries. */
		THROTTLED,
		/** AWS refused the request as invalid, or it was refused here before sending. */
		INVALID_REQUEST,
		/**
		 * A group name or policy group the change refers to has no known id; nothing was
		 * sent.
		 */
		UNRESOLVED,
		/** Credentials or permissions. */
		ACCESS_DENIED,
		/** AWS answered with a server error (5xx) after the client's retries. */
		SERVICE_ERROR,
		/** No usable answer: connection refused, timeout, unreadable response. */
		CLIENT_ERROR,
		/** An error code this adapter does not classify. */
		OTHER

	}

	private final Kind kind;

	private final String errorCode;

	private final String resource;

	public Ec2OperationException(Kind kind, String errorCode, String resource, String message, Throwable cause) {
		super(message, cause);
		this.kind = kind;
		this.errorCode = errorCode;
		this.resource = resource;
	}

	public Kind kind() {
		return kind;
	}

	/**
	 * The EC2 error code, such as {@value Ec2ErrorCodes#INVALID_PERMISSION_DUPLICATE};
	 * empty when AWS gave none.
	 */
	public Optional<String> errorCode() {
		return Optional.ofNullable(errorCode);
	}

	/**
	 * The resource acted on: an id such as {@code sg-…} or {@code vpc-…}, or a policy
	 * group when no id was known.
	 */
	public String resource() {
		return resource;
	}

}
