package dev.polyfence.policy;

/**
 * Which way a rule looks: ingress rules judge flows arriving at a workload, egress rules
 * flows leaving it.
 */
public enum Direction {

	INGRESS, EGRESS;

	public String wire() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
