package dev.polyfence.web;

/**
 * A query parameter out of its range; answered with a 400 problem that says which and
 * why.
 */
class BadQueryException extends RuntimeException {

	BadQueryException(String message) {
		super(message);
	}

}
