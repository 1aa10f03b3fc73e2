package dev.polyfence.policy;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The body of a translation or plan request: a policy, its bindings ({@link Bindings#NONE} when the
 * body has none) and the clouds asked for (empty when the body does not say; the caller then applies
 * the default of spec section 7). Targets iterate in {@link Cloud} order.
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
}
