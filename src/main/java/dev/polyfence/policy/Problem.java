package dev.polyfence.policy;

import java.util.Objects;

/**
 * One thing wrong with a document: where it is, as a JSON Pointer relative to the
 * document that was given ({@code ""} for the whole document), and what is wrong, in
 * plain English naming the value.
 */
public record Problem(String pointer, String message) {

	public Problem {
		Objects.requireNonNull(pointer, "pointer");
		Objects.requireNonNull(message, "message");
	}

	@Override
	public String toString() {
		return (pointer.isEmpty() ? "(document)" : pointer) + ": " + message;
	}
}
