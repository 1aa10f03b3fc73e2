package dev.polyfence.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The body of a translation or plan request: a policy, its bindings
 * ({@link Bindings#NONE} when the body has none) and the clouds asked for (empty when the
 * body does not say; {@link #effectiveTargets()} applies the default of spec section 7).
 * Targets iterate in {@link Cloud} order.
 */
public record PolicyRequest(Policy policy, Bindings bindings, Set<Cloud> targets) {

	public PolicyRequest {
		Objects.requireNonNull(policy, "policy");
		bindings = bindings == null ? Bindings.NONE : bindings;
		EnumSet<Cloud> clouds = EnumSet.noneOf(Cloud.class);
		if (targets != null) {
			clouds.addAll(targets);
		}
		targets = Collections.unmodifiableSet(clouds);
	}

	/**
	 * The clouds to translate for (spec section 7): the targets when given, else every
	 * cloud the bindings have a part for, else all three.
	 */
	public Set<Cloud> effectiveTargets() {
		if (!targets.isEmpty()) {
			return targets;
		}
		EnumSet<Cloud> bound = EnumSet.noneOf(Cloud.class);
		if (bindings.aws() != null) {
			bound.add(Cloud.AWS);
		}
		if (bindings.azure() != null) {
			bound.add(Cloud.AZURE);
		}
		if (bindings.gcp() != null) {
			bound.add(Cloud.GCP);
		}
		return Collections.unmodifiableSet(bound.isEmpty() ? EnumSet.allOf(Cloud.class) : bound);
	}
}
