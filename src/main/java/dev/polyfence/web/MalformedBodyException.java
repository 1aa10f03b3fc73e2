package dev.polyfence.web;

/** A request body that cannot even be read as text, so no parser gets to see it. */
final class MalformedBodyException extends RuntimeException {

	MalformedBodyException(String message) {
		super(message);
	}

}
