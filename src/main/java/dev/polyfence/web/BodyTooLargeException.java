package dev.polyfence.web;

/** A request body is larger than {@code polyfence.web.max-body-size}. */
final class BodyTooLargeException extends RuntimeException {

	private final long limit;

	BodyTooLargeException(long limit) {
		super("The request body is larger than " + limit + " bytes.");
		this.limit = limit;
	}

	long limit() {
		return limit;
	}

}
