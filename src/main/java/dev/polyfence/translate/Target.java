package dev.polyfence.translate;

/** What a finding is about: one cloud's output, or the policy itself. */
public enum Target {

	AWS, AZURE, GCP, POLICY;

	@com.fasterxml.jackson.annotation.JsonValue
	public String wire() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	public static Target fromWire(String value) {
		return valueOf(value.toUpperCase(java.util.Locale.ROOT));
	}

}
