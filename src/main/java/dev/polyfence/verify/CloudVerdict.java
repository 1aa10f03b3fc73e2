package dev.polyfence.verify;

import java.util.Objects;

/**
 * What a cloud does with a flow. {@code repliesPass} says whether every reply checked for
 * an allowed request gets back; it is true when the request is denied (no replies) and on
 * stateful filters. {@code explanation} names the permissions, entries, rules or
 * firewalls that decided, for failure messages.
 */
public record CloudVerdict(boolean allowed, boolean repliesPass, String explanation) {

	public CloudVerdict {
		Objects.requireNonNull(explanation, "explanation");
	}

	/**
	 * The verdict of a stateful filter, where replies of an allowed request always pass.
	 */
	public static CloudVerdict stateful(boolean allowed, String explanation) {
		return new CloudVerdict(allowed, true, explanation);
	}

	/** The request is allowed and all its replies get back. */
	public boolean allowedWithReplies() {
		return allowed && repliesPass;
	}
}
