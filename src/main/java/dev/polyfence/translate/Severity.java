package dev.polyfence.translate;

/**
 * How much a finding matters: errors make a plan refuse to apply, warnings are shown for
 * review.
 */
public enum Severity {

	ERROR, WARNING, INFO;

	@com.fasterxml.jackson.annotation.JsonValue
	public String wire() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
