package dev.polyfence.web;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rights one issuer's tokens get: the union of the rights of every rule whose claims
 * all match. A value ending in {@code *} matches any claim that starts with the rest; any
 * other value must be equal. A claim the token lacks, or one that is not a string, number
 * or boolean (nor a list of them, where one element must match), never matches.
 */
final class ClaimRules {

	private final List<SecuritySettings.Rule> rules;

	ClaimRules(List<SecuritySettings.Rule> rules) {
		this.rules = List.copyOf(rules);
	}

	Set<Right> rightsOf(Map<String, Object> claims) {
		Set<Right> rights = EnumSet.noneOf(Right.class);
		for (SecuritySettings.Rule rule : rules) {
			if (rule.claims().entrySet().stream().allMatch(e -> matches(claims.get(e.getKey()), e.getValue()))) {
				rights.addAll(rule.grantedRights());
			}
		}
		return rights;
	}

	static boolean matches(Object claim, String expected) {
		if (claim instanceof Collection<?> values) {
			return values.stream().anyMatch(v -> !(v instanceof Collection<?>) && matches(v, expected));
		}
		if (!(claim instanceof String || claim instanceof Number || claim instanceof Boolean)) {
			return false;
		}
		String value = claim.toString();
		if (expected.endsWith("*")) {
			return value.startsWith(expected.substring(0, expected.length() - 1));
		}
		return value.equals(expected);
	}

}
