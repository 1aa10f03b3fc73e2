package dev.polyfence.testing.arm;

/**
 * An ARM error answer: HTTP status and the {@code {"error": {"code", "message"}}} body.
 * Thrown inside the fake and turned into a response by its dispatcher.
 */
final class ArmException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final int status;

	private final String code;

	ArmException(int status, String code, String message) {
		super(message);
		this.status = status;
		this.code = code;
	}

	static ArmException badRequest(String code, String message) {
		return new ArmException(400, code, message);
	}

	int status() {
		return status;
	}

	String code() {
		return code;
	}

}
