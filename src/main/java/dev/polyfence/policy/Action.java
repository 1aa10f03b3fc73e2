package dev.polyfence.policy;

/** What a rule, or a default, does with the flows it matches. */
public enum Action {

	ALLOW, DENY;

	public String wire() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
