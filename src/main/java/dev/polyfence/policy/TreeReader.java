package dev.polyfence.policy;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLReadFeature;

/**
 * Reads YAML or JSON text into a Jackson tree, refusing what could hurt the service:
 * documents over {@link #MAX_CHARS}, nesting over {@link #MAX_DEPTH}, more than
 * {@link #MAX_ALIASES} YAML aliases or aliases that expand to more than
 * {@link #MAX_ALIAS_EXPANSION} values ("billion laughs"). Those and text that is not YAML
 * or JSON end in a SYNTAX {@link InvalidDocumentException}. Duplicate keys do not: they
 * are collected as problems with their pointer, beside the tree.
 *
 * <p>
 * The tree is built by {@link TokenTreeBuilder} from the token stream rather than by
 * {@code readTree}, because Jackson's YAML parser works on YAML events: it does not
 * expand aliases (it hands back the anchor's name as a string) and the tree reader keeps
 * the last of duplicate keys silently. Aliases of lists and mappings are expanded there;
 * aliases of single values cannot be (Jackson does not report anchors on scalars) and are
 * refused. Immutable and thread-safe.
 */
final class TreeReader {

	static final int MAX_CHARS = 2 * 1024 * 1024;

	static final int MAX_DEPTH = 64;

	static final int MAX_ALIASES = 50;

	static final int MAX_ALIAS_EXPANSION = 10_000;

	/**
	 * The two formats, and DETECT: JSON when the text starts with '{' or '[' and parses
	 * as JSON, else YAML.
	 */
	enum Format {

		JSON, YAML, DETECT

	}

	/**
	 * The document's root (null when the text holds no document at all) and its duplicate
	 * keys.
	 */
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
		// Jackson hands these settings to SnakeYAML Engine's parser, which enforces the
		// code point limit.
		// The alias cap only matters to SnakeYAML's composer, which Jackson does not use,
		// so
		// TokenTreeBuilder enforces it. Duplicate keys are allowed here only so that
		// TokenTreeBuilder can
		// report every one with its pointer, instead of Jackson stopping at the first as
		// a syntax error.
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
			throw InvalidDocumentException
				.syntax("the document is longer than " + MAX_CHARS + " characters (2 MiB); send a smaller document");
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
				// YAML flow style such as {apiVersion: polyfence.dev/v1, ...} also starts
				// with '{'.
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
			TokenTreeBuilder builder = new TokenTreeBuilder(parser, isYaml);
			if (parser.nextToken() == null) {
				return new Tree(null, builder.duplicates());
			}
			JsonNode root = builder.value(0);
			if (parser.nextToken() != null) {
				throw InvalidDocumentException.syntax("the text holds more than one " + format
						+ " document; send exactly one" + at(parser.currentTokenLocation()));
			}
			return new Tree(root, builder.duplicates());
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

}
