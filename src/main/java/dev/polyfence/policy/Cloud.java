package dev.polyfence.policy;

/**
 * A cloud a policy can be translated for; {@code targets} in a request names some of
 * these.
 */
public enum Cloud {

	AWS, AZURE, GCP;

	public String wire() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
