package dev.polyfence.plan;

import dev.polyfence.translate.Severity;

/**
 * Finding codes of planning (translation codes are in {@code FindingCode}); a public
 * contract too.
 */
public enum PlanFindingCode {

	/**
	 * A resource with the name the policy needs exists and is not managed by this policy.
	 */
	NAME_TAKEN(Severity.ERROR),
	/** A bound subnet, VPC or other scope does not exist. */
	SCOPE_NOT_FOUND(Severity.ERROR),
	/**
	 * A managed resource serves a group the policy no longer has; it is left in place.
	 */
	ORPHANED(Severity.WARNING),
	/**
	 * No order of single calls makes the apply safe both ways midway: some steps may
	 * briefly block a flow allowed before and after, or let through one denied before and
	 * after.
	 */
	UNSAFE_ORDER(Severity.WARNING),
	/**
	 * An apply passes through states where a flow that the old and the new rules both
	 * deny may be let through for a moment: no order of single calls avoids it.
	 */
	APPLY_MAY_OPEN(Severity.WARNING),
	/** Planning is not available for this cloud in this build or configuration. */
	TARGET_UNAVAILABLE(Severity.ERROR);

	private final Severity severity;

	PlanFindingCode(Severity severity) {
		this.severity = severity;
	}

	public Severity severity() {
		return severity;
	}

}
