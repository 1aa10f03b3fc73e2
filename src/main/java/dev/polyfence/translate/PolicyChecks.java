package dev.polyfence.translate;

import dev.polyfence.policy.Policy;
import java.util.List;

/** Findings about the policy itself, the same for every cloud (target {@code policy}). (Being written.) */
public final class PolicyChecks {

	private PolicyChecks() {
	}

	public static List<Finding> findings(Policy policy) {
		return List.of();
	}
}
