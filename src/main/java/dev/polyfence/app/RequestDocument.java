package dev.polyfence.app;

import java.util.Objects;

/**
 * A plan request as the caller sent it. A stored plan keeps it, so that an apply,
 * possibly on another replica or after a restart, can parse and translate it again and
 * reproduce the reviewed operations (see {@link PlannedTarget}).
 */
public record RequestDocument(String text, boolean yaml) {

	public RequestDocument {
		Objects.requireNonNull(text, "text");
	}
}
