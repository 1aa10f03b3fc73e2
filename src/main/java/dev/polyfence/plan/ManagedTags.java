package dev.polyfence.plan;

import java.util.Map;

/**
 * The tags (AWS, Azure) that mark a resource as managed by Polyfence for one policy and
 * group. Only resources carrying all three for the policy at hand are ever changed or
 * deleted.
 */
public final class ManagedTags {

	public static final String MANAGED_BY = "polyfence:managed-by";

	public static final String POLICY = "polyfence:policy";

	public static final String GROUP = "polyfence:group";

	public static final String MANAGER = "polyfence";

	private ManagedTags() {
	}

	public static Map<String, String> of(String policy, String group) {
		return Map.of(MANAGED_BY, MANAGER, POLICY, policy, GROUP, group);
	}

	/**
	 * The group this resource serves for {@code policy}, or null when it is not managed
	 * for that policy.
	 */
	public static String groupOf(Map<String, String> tags, String policy) {
		return MANAGER.equals(tags.get(MANAGED_BY)) && policy.equals(tags.get(POLICY)) ? tags.get(GROUP) : null;
	}

}
