package dev.polyfence.policy;

import java.util.HashMap;
import java.util.Map;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;
import tools.jackson.dataformat.yaml.YAMLReadFeature;

/**
 * Reads YAML or JSON text into a Jackson tree, refusing what could hurt the service: documents over
 * {@link #MAX_CHARS}, nesting over {@link #MAX_DEPTH}, more than {@link #MAX_ALIASES} YAML aliases or
 * aliases that expand to more than {@link #MAX_ALIAS_EXPANSION} values ("billion laughs"). Those and
 * text that is not YAML or JSON end in a SYNTAX {@link InvalidDocumentException}. Duplicate keys do
 * not: they are collected as problems with their pointer, beside the tree.
 *
 * <p>The tree is built here from the token stream rather than by {@code readTree}, because Jackson's
 * YAML parser works on YAML events: it does not expand aliases (it hands back the anchor's name as a
 * string) and it keeps the last of duplicate keys silently. Aliases of lists and mappings are expanded
 * here; aliases of single values cannot be (Jackson does not report anchors on scalars) and are refused.
 * Immutable and thread-safe.
 */
final class TreeReader {

	static final int MAX_CHARS = 2 * 1024 * 1024;

	static final int MAX_DEPTH = 64;

	static final int MAX_ALIASES = 50;

	static final int MAX_ALIAS_EXPANSION = 10_000;

	/** The two formats, and DETECT: JSON when the text starts with '{' or '[' and parses as JSON, else YAML. */
	enum Format {
		JSON, YAML, DETECT
	}

	/** The document's root (null when the text holds no document at all) and its duplicate keys. */
	record Tree(JsonNode root, ProblemList duplicateKeys) {
	}

	private final ObjectMapper json;

	private final ObjectMapper yaml;

	TreeReader() {
		StreamReadConstraints constraints = StreamReadConstraints.builder()
			.maxNestingDepth(MAX_DEPTH)
			.maxDocumentLength(MAX_CHARS)
			.maxStringLength(MAX_CHARS)
			.maxNameLength(1000)
			.maxNumberLength(100)
			.build();
		// Jackson hands these settings to SnakeYAML Engine's parser, which enforces the code point limit.
		// The alias cap only matters to SnakeYAML's composer, which Jackson does not use, so the Builder
		// below enforces it. Duplicate keys are allowed here only so that the Builder can report every
		// one with its pointer, instead of Jackson stopping at the first as a syntax error.
		LoadSettings settings = LoadSettings.builder()
			.setCodePointLimit(MAX_CHARS)
			.setMaxAliasesForCollections(MAX_ALIASES)
			.setAllowDuplicateKeys(true)
			.build();
		// "name:" with nothing after it is null, as in YAML itself, not an empty string.
		this.yaml = YAMLMapper
			.builder(YAMLFactory.builder()
				.loadSettings(settings)
				.streamReadConstraints(constraints)
				.enable(YAMLReadFeature.EMPTY_STRING_AS_NULL)
				.build())
			.build();
		this.json = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(constraints).build()).build();
	}

	Tree read(String input, Format format) {
		String text = input.startsWith("\uFEFF") ? input.substring(1) : input;
		if (text.length() > MAX_CHARS) {
			throw InvalidDocumentException.syntax("the document is longer than " + MAX_CHARS
					+ " characters (2 MiB); send a smaller document");
		}
		if (format == Format.JSON) {
			return parse(text, false);
		}
		if (format == Format.YAML || !looksLikeJson(text)) {
			return parse(text, true);
		}
		try {
			return parse(text, false);
		}
		catch (InvalidDocumentException notJson) {
			try {
				// YAML flow style such as {apiVersion: polyfence.dev/v1, ...} also starts with '{'.
				return parse(text, true);
			}
			catch (InvalidDocumentException notYaml) {
				throw notJson;
			}
		}
	}

	private static boolean looksLikeJson(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!Character.isWhitespace(c)) {
				return c == '{' || c == '[';
			}
		}
		return false;
	}

	private Tree parse(String text, boolean isYaml) {
		String format = isYaml ? "YAML" : "JSON";
		try (JsonParser parser = (isYaml ? yaml : json).createParser(text)) {
			Builder builder = new Builder(parser, isYaml);
			if (parser.nextToken() == null) {
				return new Tree(null, builder.duplicates);
			}
			JsonNode root = builder.value("", 0);
			if (parser.nextToken() != null) {
				throw InvalidDocumentException.syntax("the text holds more than one " + format
						+ " document; send exactly one" + at(parser.currentTokenLocation()));
			}
			return new Tree(root, builder.duplicates);
		}
		catch (StreamConstraintsException e) {
			throw InvalidDocumentException.syntax(limitMessage(e));
		}
		catch (JacksonException e) {
			throw InvalidDocumentException.syntax(parseMessage(format, e));
		}
	}

	private static String limitMessage(StreamConstraintsException e) {
		String original = String.valueOf(e.getOriginalMessage());
		String where = at(e.getLocation());
		if (original.contains("nesting depth")) {
			return "the document is nested more than " + MAX_DEPTH + " levels deep" + where;
		}
		if (original.contains("Document length")) {
			return "the document is longer than " + MAX_CHARS + " characters (2 MiB)";
		}
		return "the document breaks a size limit: " + original + where;
	}

	private static String parseMessage(String format, JacksonException e) {
		if (e.getCause() instanceof MarkedYamlEngineException) {
			MarkedYamlEngineException yamlError = (MarkedYamlEngineException) e.getCause();
			String what = yamlError.getProblem();
			if (yamlError.getContext() != null) {
				what += " " + yamlError.getContext();
			}
			String where = yamlError.getProblemMark().map(TreeReader::at).orElse(at(e.getLocation()));
			return "the text is not valid " + format + ": " + what + where;
		}
		String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
		return "the text is not valid " + format + ": " + firstLine(original) + at(e.getLocation());
	}

	private static String firstLine(String text) {
		int newline = text.indexOf('\n');
		return newline < 0 ? text : text.substring(0, newline);
	}

	private static String at(Mark mark) {
		return " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")";
	}

	static String at(TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

	/** One document's walk over the tokens; holds the anchors seen so far. Not shared between threads. */
	private static final class Builder {

		private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

		private final JsonParser parser;

		private final boolean yaml;

		private final Map<String, Anchored> anchors = new HashMap<>();

		private final ProblemList duplicates = new ProblemList();

		private int aliases;

		private long expanded;

		private record Anchored(JsonNode node, long size, int height) {
		}

		Builder(JsonParser parser, boolean yaml) {
			this.parser = parser;
			this.yaml = yaml;
		}

		JsonNode value(String pointer, int depth) {
			JsonToken token = parser.currentToken();
			switch (token) {
				case START_OBJECT:
					return object(pointer, depth);
				case START_ARRAY:
					return array(pointer, depth);
				case VALUE_STRING:
					if (yaml && ((YAMLParser) parser).isCurrentAlias()) {
						return alias(parser.getString(), depth);
					}
					return NODES.stringNode(parser.getString());
				case VALUE_NUMBER_INT:
					return integer();
				case VALUE_NUMBER_FLOAT:
					return NODES.numberNode(parser.getDoubleValue());
				case VALUE_TRUE:
					return NODES.booleanNode(true);
				case VALUE_FALSE:
					return NODES.booleanNode(false);
				case VALUE_NULL:
					return NODES.nullNode();
				default:
					throw InvalidDocumentException.syntax("the document holds a value of a kind that a policy never uses ("
							+ token + ")" + at(parser.currentTokenLocation()));
			}
		}

		private JsonNode integer() {
			switch (parser.getNumberType()) {
				case INT:
					return NODES.numberNode(parser.getIntValue());
				case LONG:
					return NODES.numberNode(parser.getLongValue());
				default:
					return NODES.numberNode(parser.getBigIntegerValue());
			}
		}

		private ObjectNode object(String pointer, int depth) {
			String anchor = anchorName();
			ObjectNode node = NODES.objectNode();
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String key = parser.currentName();
				TokenStreamLocation keyAt = parser.currentTokenLocation();
				String child = Pointers.child(pointer, key);
				parser.nextToken();
				JsonNode value = value(child, depth + 1);
				if (node.has(key)) {
					String again = keyAt == null || keyAt.getLineNr() < 1 ? ""
							: " (again at line " + keyAt.getLineNr() + ", column " + keyAt.getColumnNr() + ")";
					duplicates.add(child, "'" + key + "' is given twice in the same object" + again + "; say it once");
				}
				else {
					node.set(key, value);
				}
			}
			remember(anchor, node);
			return node;
		}

		private ArrayNode array(String pointer, int depth) {
			String anchor = anchorName();
			ArrayNode node = NODES.arrayNode();
			while (parser.nextToken() != JsonToken.END_ARRAY) {
				node.add(value(Pointers.child(pointer, node.size()), depth + 1));
			}
			remember(anchor, node);
			return node;
		}

		private String anchorName() {
			Object id = yaml ? parser.getObjectId() : null;
			return id == null ? null : id.toString();
		}

		private void remember(String anchor, JsonNode node) {
			if (anchor != null) {
				anchors.put(anchor, new Anchored(node, size(node), height(node)));
			}
		}

		private JsonNode alias(String name, int depth) {
			String where = at(parser.currentTokenLocation());
			Anchored target = anchors.get(name);
			if (target == null) {
				throw InvalidDocumentException.syntax("the alias *" + name + " does not refer to a list or mapping"
						+ " anchored before it; aliases of single values are not supported" + where);
			}
			if (++aliases > MAX_ALIASES) {
				throw InvalidDocumentException.syntax("the document uses more than " + MAX_ALIASES
						+ " YAML aliases; write the values out" + where);
			}
			expanded += target.size();
			if (expanded > MAX_ALIAS_EXPANSION) {
				throw InvalidDocumentException.syntax("the YAML aliases of the document expand to more than "
						+ MAX_ALIAS_EXPANSION + " values, which looks like a 'billion laughs' attack" + where);
			}
			if (depth + target.height() > MAX_DEPTH) {
				throw InvalidDocumentException.syntax("the alias *" + name + " nests the document more than "
						+ MAX_DEPTH + " levels deep" + where);
			}
			return target.node().deepCopy();
		}

		private static long size(JsonNode node) {
			long size = 1;
			for (JsonNode child : node.values()) {
				size += size(child);
			}
			return size;
		}

		private static int height(JsonNode node) {
			int height = 0;
			for (JsonNode child : node.values()) {
				height = Math.max(height, height(child) + 1);
			}
			return height;
		}
	}
}
