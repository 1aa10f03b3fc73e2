package dev.polyfence.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** How the problem messages name values, types and near-miss field names. */
final class Wording {

	private Wording() {
	}

	static String typeName(String type) {
		switch (type) {
			case "integer":
				return "a whole number";
			case "boolean":
				return "true or false";
			case "object":
				return "an object";
			case "array":
				return "a list";
			default:
				return "a " + type;
		}
	}

	/**
	 * A value as a message quotes it: 'text', the number 5, true, nothing (null), an
	 * object, a list.
	 */
	static String describe(JsonNode value) {
		if (value == null || value.isNull() || value.isMissingNode()) {
			return "nothing (null)";
		}
		if (value.isString()) {
			String text = value.asString();
			return "'" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
		}
		if (value.isNumber()) {
			return "the number " + value.asString();
		}
		if (value.isBoolean()) {
			return value.asString();
		}
		return value.isArray() ? "a list" : "an object";
	}

	static String join(Collection<?> items, String separator) {
		List<String> words = new ArrayList<>();
		for (Object item : items) {
			words.add(item instanceof JsonNode ? ((JsonNode) item).asString() : String.valueOf(item));
		}
		return String.join(separator, words);
	}

	/**
	 * "; did you mean 'ports'?" when a known field is one or two edits away (or differs
	 * only in case).
	 */
	static String suggestion(String name, Collection<String> known) {
		String best = null;
		int bestDistance = name.length() <= 3 ? 1 : 2;
		for (String candidate : known) {
			int distance = candidate.equalsIgnoreCase(name) ? 0 : distance(name, candidate);
			if (distance <= bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best == null ? "" : "; did you mean '" + best + "'?";
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
