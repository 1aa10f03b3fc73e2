package dev.polyfence.policy;

import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Turns a JSON Schema validation error into a plain sentence for a platform engineer,
 * naming the offending value. Works from the keyword that failed, the schema around it
 * and the instance value, never from the validator's own wording, which is generic ("does
 * not match the regex pattern").
 */
final class SchemaMessages {

	static final String NAME = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

	private static final String NAME_RULE = "use lower-case letters, digits and '-', start with a letter"
			+ " and end with a letter or digit";

	private static final Pattern INDEX = Pattern.compile("\\d+");

	/**
	 * The patterns of both schemas, other than {@link #NAME}, and what to say when a
	 * value misses one.
	 */
	private static final Map<String, UnaryOperator<String>> PATTERNS = Map.ofEntries(
			Map.entry(Cidrs.SHAPE, v -> Cidrs.problem(v).orElse(v + " is not a CIDR block")),
			Map.entry(Ports.SHAPE, Ports::shape),
			Map.entry("^(\\*|[a-z]([-a-z0-9]*[a-z0-9])?)$",
					v -> "'" + v + "' is not a group name or '*': " + NAME_RULE),
			Map.entry("^[0-9]+-[0-9]+$", v -> "'" + v + "' is not a port range: write \"N-M\", such as \"1024-65535\""),
			Map.entry("^[a-z]{2}(-[a-z]+)+-[0-9]+$", v -> "'" + v + "' is not an AWS region name such as eu-west-1"),
			Map.entry("^vpc-[-0-9A-Za-z]+$", v -> "'" + v + "' is not a VPC id such as vpc-0a1b2c3d"),
			Map.entry("^subnet-[-0-9A-Za-z]+$", v -> "'" + v + "' is not a subnet id such as subnet-0a1b2c3d"),
			Map.entry("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$",
					v -> "'" + v + "' is not a subscription id: write it as a UUID"
							+ " such as 00000000-0000-0000-0000-000000000000"),
			Map.entry("^[a-z0-9]+$", v -> "'" + v + "' is not an Azure location name such as westeurope"),
			Map.entry("^[a-z][-a-z0-9]{4,28}[a-z0-9]$",
					v -> "'" + v + "' is not a GCP project id: 6 to 30 lower-case letters, digits and '-',"
							+ " starting with a letter"),
			Map.entry("^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z0-9-]+$",
					v -> "'" + v + "' is not a service account e-mail address"
							+ " such as web@payments-prod.iam.gserviceaccount.com"));

	/**
	 * A problem's place and words; the place can be below the instance location (unknown
	 * field, repeated item).
	 */
	record Located(String pointer, String message) {
	}

	private SchemaMessages() {
	}

	static boolean knowsPattern(String pattern) {
		return NAME.equals(pattern) || PATTERNS.containsKey(pattern);
	}

	static Located explain(Error error, String pointer, JsonNode schemaRoot) {
		JsonNode value = error.getInstanceNode();
		JsonNode schema = enclosingSchema(error, schemaRoot);
		String field = field(pointer);
		switch (error.getKeyword()) {
			case "additionalProperties": {
				String name = error.getProperty();
				String hint = Wording.suggestion(name, schema.path("properties").propertyNames());
				return new Located(Pointers.child(pointer, name), "unknown field '" + name + "'" + hint);
			}
			case "required":
				return new Located(pointer, "required field '" + error.getProperty() + "' is missing");
			case "propertyNames": {
				String key = error.getProperty();
				String noun = pointer.endsWith("/addressSets") ? "address set name" : "group name";
				String message = key.length() > 40 ? noun + " '" + key + "' is longer than 40 characters"
						: "'" + key + "' is not a valid " + noun + ": " + NAME_RULE;
				return new Located(Pointers.child(pointer, key), message);
			}
			case "uniqueItems":
				return duplicateItem(pointer, value, field);
			default:
				return new Located(pointer, sentence(error, pointer, field, value, schema));
		}
	}

	private static String sentence(Error error, String pointer, String field, JsonNode value, JsonNode schema) {
		switch (error.getKeyword()) {
			case "type":
				return typeMismatch(schema, value);
			case "const":
				return constMismatch(field, schema.path("const"), value);
			case "enum":
				return Wording.describe(value) + " is not one of " + Wording.join(schema.path("enum").values(), ", ");
			case "pattern":
				return patternMismatch(schema.path("pattern").asString(), pointer, value.asString());
			case "minItems":
				return tooFewItems(field, pointer, schema.path("minItems").asInt());
			case "minProperties":
				return isPeer(pointer) ? "a peer needs one of cidr, group, addressSet or any: true"
						: field + " must not be empty";
			case "maxProperties":
				return isPeer(pointer)
						? "a peer names exactly one of cidr, group, addressSet or any, but this one has "
								+ Wording.join(value.propertyNames(), " and ") + ": make one peer of each"
						: field + " has too many fields";
			case "minimum":
			case "maximum":
				return outOfRange(field, value, schema);
			case "minLength":
				return field + " must not be empty";
			case "maxLength":
				return noun(pointer, field) + " " + Wording.describe(value) + " is longer than "
						+ schema.path("maxLength").asInt() + " characters";
			case "oneOf":
				return oneOfMismatch(pointer, value, schema, error);
			default:
				return error.getMessage();
		}
	}

	/**
	 * For values that match none of an anyOf's alternatives; the protocol is the only
	 * anyOf in our schemas.
	 */
	static String noAlternative(String pointer, JsonNode value) {
		if ("protocol".equals(field(pointer))) {
			if (value.isIntegralNumber()) {
				return "protocol number " + value.asString() + " is not within 0-255";
			}
			return Wording.describe(value)
					+ " is not a protocol: use tcp, udp, icmp, icmpv6, any or a protocol number 0-255";
		}
		return Wording.describe(value) + " is not valid here";
	}

	private static String typeMismatch(JsonNode schema, JsonNode value) {
		String expected = schema.path("type").asString();
		String message = "expected " + Wording.typeName(expected) + ", found " + Wording.describe(value);
		// Only a number can be quoted into a string; a list or an object has no text to
		// match.
		if ("string".equals(expected) && value.isNumber()) {
			String pattern = schema.path("pattern").asString(null);
			if (pattern == null || Pattern.compile(pattern).matcher(value.asString()).find()) {
				message += "; quote it: \"" + value.asString() + "\"";
			}
		}
		return message;
	}

	private static String constMismatch(String field, JsonNode expected, JsonNode value) {
		if ("any".equals(field)) {
			return value.isBoolean() && !value.booleanValue()
					? "{any: false} is not a peer: write {any: true} for every address, or remove this peer"
					: "any must be true, not " + Wording.describe(value);
		}
		return field + " must be " + expected.asString() + ", not " + Wording.describe(value);
	}

	private static String patternMismatch(String pattern, String pointer, String value) {
		if (NAME.equals(pattern)) {
			return "'" + value + "' is not a valid " + noun(pointer, "name") + ": " + NAME_RULE;
		}
		UnaryOperator<String> explain = PATTERNS.get(pattern);
		return explain != null ? explain.apply(value) : "'" + value + "' does not have the form " + pattern;
	}

	private static String tooFewItems(String field, String pointer, int min) {
		switch (field) {
			case "peers":
				return "peers must not be empty: say {any: true} for every address";
			case "appliesTo":
				return "appliesTo must not be empty: name the groups the rule applies to,"
						+ " or say [\"*\"] for every group";
			case "services":
				return "services must not be empty: leave services out to match all traffic";
			case "ports":
				return "ports must not be empty: leave ports out to match every port";
			case "groups":
				return "groups must not be empty: declare at least one group";
			case "targetTags":
				return "targetTags must not be empty: name at least one network tag";
			default:
				if (pointer.matches(".*/addressSets/[^/]+")) {
					return "address set '" + field + "' must not be empty";
				}
				return field + " must have at least " + min + " item" + (min == 1 ? "" : "s");
		}
	}

	private static Located duplicateItem(String pointer, JsonNode array, String field) {
		for (int j = 1; j < array.size(); j++) {
			for (int i = 0; i < j; i++) {
				if (array.get(i).equals(array.get(j))) {
					String message = Wording.describe(array.get(j)) + " is listed twice in " + field + " (also at "
							+ Pointers.child(pointer, i) + ")";
					return new Located(Pointers.child(pointer, j), message);
				}
			}
		}
		return new Located(pointer, field + " lists an item twice");
	}

	private static String outOfRange(String field, JsonNode value, JsonNode schema) {
		JsonNode min = schema.path("minimum");
		JsonNode max = schema.path("maximum");
		if (min.isNumber() && max.isNumber()) {
			return field + " " + value.asString() + " is not within " + min.asString() + "-" + max.asString();
		}
		return min.isNumber() ? field + " " + value.asString() + " is less than " + min.asString()
				: field + " " + value.asString() + " is more than " + max.asString();
	}

	private static String oneOfMismatch(String pointer, JsonNode value, JsonNode schema, Error error) {
		if (!value.isObject() && schema.has("type")) {
			// Not an object at all: both "required" branches pass vacuously. Say what the
			// type check says.
			return typeMismatch(schema, value);
		}
		if (pointer.matches(".*/gcp/groups/[^/]+")) {
			return value.has("targetTags") && value.has("serviceAccount")
					? "a GCP group is targeted by targetTags or by serviceAccount, not both"
					: "a GCP group needs targetTags or serviceAccount";
		}
		return error.getMessage();
	}

	/**
	 * The schema object holding the keyword that failed, found by the error's schema
	 * location.
	 */
	private static JsonNode enclosingSchema(Error error, JsonNode root) {
		NodePath fragment = error.getSchemaLocation().getFragment();
		JsonNode node = root;
		for (int i = 0; i < fragment.getNameCount() - 1; i++) {
			Object element = fragment.getElement(i);
			node = element instanceof Integer ? node.path((Integer) element) : node.path(String.valueOf(element));
		}
		return node;
	}

	/**
	 * The name of the field a pointer ends in, skipping array indices:
	 * /spec/rules/0/ports/1 gives "ports".
	 */
	static String field(String pointer) {
		String[] segments = pointer.split("/");
		for (int i = segments.length - 1; i > 0; i--) {
			if (!INDEX.matcher(segments[i]).matches()) {
				return segments[i].replace("~1", "/").replace("~0", "~");
			}
		}
		return "the document";
	}

	private static String noun(String pointer, String fallback) {
		if (pointer.endsWith("/metadata/name")) {
			return "policy name";
		}
		if (pointer.matches(".*/spec/groups/\\d+/name") || pointer.matches(".*/(peers/\\d+/group|appliesTo/\\d+)")) {
			return "group name";
		}
		if (pointer.matches(".*/spec/rules/\\d+/name")) {
			return "rule name";
		}
		if (pointer.endsWith("/addressSet")) {
			return "address set name";
		}
		if (pointer.matches(".*/targetTags/\\d+")) {
			return "network tag";
		}
		return fallback;
	}

	private static boolean isPeer(String pointer) {
		return pointer.matches(".*/peers/\\d+");
	}

}
