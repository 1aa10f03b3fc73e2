package dev.polyfence.policy;

import com.networknt.schema.regex.JDKRegularExpressionFactory;
import com.networknt.schema.regex.RegularExpression;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * One of our JSON Schemas compiled into a plain check that answers one question: is a
 * document valid for certain? {@link SchemaCheck} asks networknt's validator only when
 * the answer is anything but yes, so every problem still comes from networknt, worded as
 * before, and a valid document (the common case) is checked in one cheap walk instead of
 * networknt's, which cost more than reading the document.
 *
 * <p>
 * It knows exactly the keywords our schemas use (the annotations, {@code type},
 * {@code enum}, {@code const}, {@code pattern}, lengths, bounds, the object and array
 * keywords, {@code $ref} within the document, {@code anyOf} and {@code oneOf}) and runs
 * {@code pattern} through networknt's own regular expressions. Where its answer could
 * differ from networknt's (a number such as 6.0 where an integer is wanted, enum values
 * of another type, strings outside the Basic Multilingual Plane), it says "not sure". A
 * schema with any other keyword is not compiled at all ({@link #compile} gives empty).
 * Immutable and thread-safe.
 */
final class QuickSchema {

	private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$comment", "$defs", "title", "description",
			"examples", "default");

	/** Thrown when the check cannot tell whether networknt would accept a value. */
	private static final class NotSure extends RuntimeException {

		private static final NotSure INSTANCE = new NotSure();

		private NotSure() {
			super(null, null, false, false);
		}

	}

	/** A compiled (sub)schema: true when the value is valid, false when it is not. */
	private interface Check {

		boolean valid(JsonNode value);

	}

	private final Check root;

	private QuickSchema(Check root) {
		this.root = root;
	}

	/** The schema compiled, or empty when it uses a keyword this class does not know. */
	static Optional<QuickSchema> compile(JsonNode schema) {
		try {
			Compiler compiler = new Compiler(schema);
			return Optional.of(new QuickSchema(compiler.compile(schema)));
		}
		catch (IllegalArgumentException unknownKeyword) {
			return Optional.empty();
		}
	}

	/**
	 * True only when the document is valid for certain; false when it is not, or when
	 * this check cannot tell.
	 */
	boolean certainlyValid(JsonNode document) {
		try {
			return root.valid(document);
		}
		catch (NotSure notSure) {
			return false;
		}
	}

	private static final class Compiler {

		private final JsonNode document;

		private final Map<String, Check[]> refs = new HashMap<>();

		Compiler(JsonNode document) {
			this.document = document;
		}

		Check compile(JsonNode schema) {
			if (schema.isBoolean()) {
				boolean accept = schema.asBoolean();
				return value -> accept;
			}
			if (!schema.isObject()) {
				throw new IllegalArgumentException("a schema is an object or a boolean");
			}
			List<Check> checks = new ArrayList<>();
			for (Map.Entry<String, JsonNode> keyword : schema.properties()) {
				if (!ANNOTATIONS.contains(keyword.getKey())) {
					checks.add(keyword(keyword.getKey(), keyword.getValue(), schema));
				}
			}
			Check[] all = checks.toArray(new Check[0]);
			return value -> {
				for (Check check : all) {
					if (!check.valid(value)) {
						return false;
					}
				}
				return true;
			};
		}

		private Check keyword(String name, JsonNode argument, JsonNode schema) {
			switch (name) {
				case "type":
					return type(argument);
				case "enum":
					return values(argument);
				case "const":
					return values(JsonNodeFactory.instance.arrayNode().add(argument));
				case "pattern": {
					RegularExpression regex = JDKRegularExpressionFactory.getInstance()
						.getRegularExpression(argument.asString());
					return value -> !value.isString() || regex.matches(value.asString());
				}
				case "maxLength": {
					int max = argument.asInt();
					return value -> !value.isString() || length(value.asString()) <= max;
				}
				case "minLength": {
					int min = argument.asInt();
					return value -> !value.isString() || length(value.asString()) >= min;
				}
				case "minimum": {
					long min = integer(argument);
					return value -> !value.isNumber() || number(value) >= min;
				}
				case "maximum": {
					long max = integer(argument);
					return value -> !value.isNumber() || number(value) <= max;
				}
				case "minItems": {
					int min = argument.asInt();
					return value -> !value.isArray() || value.size() >= min;
				}
				case "uniqueItems":
					return argument.asBoolean() ? QuickSchema::uniqueItems : value -> true;
				case "items": {
					Check items = compile(argument);
					return value -> {
						if (value.isArray()) {
							for (JsonNode item : value) {
								if (!items.valid(item)) {
									return false;
								}
							}
						}
						return true;
					};
				}
				case "required": {
					List<String> required = new ArrayList<>();
					argument.forEach(field -> required.add(field.asString()));
					return value -> !value.isObject() || required.stream().allMatch(value::has);
				}
				case "minProperties": {
					int min = argument.asInt();
					return value -> !value.isObject() || value.size() >= min;
				}
				case "maxProperties": {
					int max = argument.asInt();
					return value -> !value.isObject() || value.size() <= max;
				}
				case "properties":
					return properties(argument);
				case "additionalProperties":
					return additionalProperties(argument, schema.path("properties"));
				case "propertyNames": {
					Check names = compile(argument);
					return value -> {
						if (value.isObject()) {
							for (String field : value.propertyNames()) {
								if (!names.valid(JsonNodeFactory.instance.stringNode(field))) {
									return false;
								}
							}
						}
						return true;
					};
				}
				case "$ref":
					return ref(argument.asString());
				case "anyOf":
					return anyOf(branches(argument));
				case "oneOf":
					return oneOf(branches(argument));
				default:
					throw new IllegalArgumentException("unknown keyword " + name);
			}
		}

		private Check properties(JsonNode properties) {
			Map<String, Check> checks = new HashMap<>();
			for (Map.Entry<String, JsonNode> property : properties.properties()) {
				checks.put(property.getKey(), compile(property.getValue()));
			}
			return value -> {
				if (value.isObject()) {
					for (Map.Entry<String, JsonNode> field : value.properties()) {
						Check check = checks.get(field.getKey());
						if (check != null && !check.valid(field.getValue())) {
							return false;
						}
					}
				}
				return true;
			};
		}

		private Check additionalProperties(JsonNode argument, JsonNode properties) {
			Set<String> declared = new HashSet<>(properties.propertyNames());
			Check additional = compile(argument);
			return value -> {
				if (value.isObject()) {
					for (Map.Entry<String, JsonNode> field : value.properties()) {
						if (!declared.contains(field.getKey()) && !additional.valid(field.getValue())) {
							return false;
						}
					}
				}
				return true;
			};
		}

		/** A reference within the document (#/...), resolved when first used. */
		private Check ref(String ref) {
			if (!ref.startsWith("#")) {
				throw new IllegalArgumentException("only references within the schema are compiled");
			}
			Check[] target = refs.get(ref);
			if (target == null) {
				target = new Check[1];
				refs.put(ref, target);
				JsonNode schema = document.at(ref.substring(1));
				if (schema.isMissingNode()) {
					throw new IllegalArgumentException("unresolved reference " + ref);
				}
				target[0] = compile(schema);
			}
			Check[] resolved = target;
			return value -> resolved[0].valid(value);
		}

		private List<Check> branches(JsonNode argument) {
			List<Check> branches = new ArrayList<>();
			argument.forEach(branch -> branches.add(compile(branch)));
			return branches;
		}

		/**
		 * The allowed values: exact for strings and booleans among strings and booleans,
		 * not sure otherwise.
		 */
		private static Check values(JsonNode allowed) {
			List<JsonNode> values = new ArrayList<>();
			allowed.forEach(values::add);
			Predicate<JsonNode> comparable = node -> node.isString() || node.isBoolean();
			boolean simple = values.stream().allMatch(comparable);
			return value -> {
				if (!simple || !comparable.test(value)) {
					throw NotSure.INSTANCE;
				}
				return values.contains(value);
			};
		}

		private static Check type(JsonNode argument) {
			List<String> types = new ArrayList<>();
			if (argument.isArray()) {
				argument.forEach(type -> types.add(type.asString()));
			}
			else {
				types.add(argument.asString());
			}
			for (String type : types) {
				if (!List.of("string", "integer", "number", "object", "array", "boolean", "null").contains(type)) {
					throw new IllegalArgumentException("unknown type " + type);
				}
			}
			return value -> {
				for (String type : types) {
					if (isType(value, type)) {
						return true;
					}
				}
				if (value.isNumber() && types.contains("integer")) {
					// 6.0 is an integer to JSON Schema; leave numbers like it to
					// networknt.
					throw NotSure.INSTANCE;
				}
				return false;
			};
		}

		private static boolean isType(JsonNode value, String type) {
			return switch (type) {
				case "string" -> value.isString();
				case "integer" -> value.isIntegralNumber();
				case "number" -> value.isNumber();
				case "object" -> value.isObject();
				case "array" -> value.isArray();
				case "boolean" -> value.isBoolean();
				default -> value.isNull();
			};
		}

		private static long integer(JsonNode bound) {
			if (!bound.isIntegralNumber() || !bound.canConvertToLong()) {
				throw new IllegalArgumentException("only integer bounds are compiled");
			}
			return bound.asLong();
		}

		private static Check anyOf(List<Check> branches) {
			return value -> {
				boolean notSure = false;
				for (Check branch : branches) {
					try {
						if (branch.valid(value)) {
							return true;
						}
					}
					catch (NotSure e) {
						notSure = true;
					}
				}
				if (notSure) {
					throw NotSure.INSTANCE;
				}
				return false;
			};
		}

		private static Check oneOf(List<Check> branches) {
			return value -> {
				int valid = 0;
				for (Check branch : branches) {
					valid += branch.valid(value) ? 1 : 0;
				}
				return valid == 1;
			};
		}

	}

	/**
	 * A string's length as JSON Schema counts it (code points); not sure beyond the BMP.
	 */
	private static int length(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (Character.isSurrogate(text.charAt(i))) {
				throw NotSure.INSTANCE;
			}
		}
		return text.length();
	}

	private static long number(JsonNode value) {
		if (!value.isIntegralNumber() || !value.canConvertToLong()) {
			throw NotSure.INSTANCE;
		}
		return value.asLong();
	}

	private static boolean uniqueItems(JsonNode value) {
		if (!value.isArray()) {
			return true;
		}
		Set<String> seen = new HashSet<>();
		for (JsonNode item : value) {
			if (!item.isString()) {
				throw NotSure.INSTANCE;
			}
			if (!seen.add(item.asString())) {
				return false;
			}
		}
		return true;
	}

}
