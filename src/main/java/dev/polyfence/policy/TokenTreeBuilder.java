package dev.polyfence.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Builds one document's tree from its tokens: expands YAML aliases of lists and mappings
 * within the limits of {@link TreeReader}, refuses aliases of single values, and notes
 * duplicate keys with their pointer instead of keeping the last silently. Holds the
 * anchors seen so far: one per document, never shared between threads.
 *
 * <p>
 * The path to the current value is kept as a stack of segments, and made into a JSON
 * Pointer only for a duplicate key: building a pointer string for every value of a large
 * document cost more than reading it.
 */
final class TokenTreeBuilder {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final JsonParser parser;

	private final boolean yaml;

	private final Map<String, Anchored> anchors = new HashMap<>();

	private final ProblemList duplicates = new ProblemList();

	/** The keys (String) and indices (Integer) from the root to the current value. */
	private final List<Object> path = new ArrayList<>();

	private int aliases;

	private long expanded;

	private record Anchored(JsonNode node, long size, int height) {
	}

	TokenTreeBuilder(JsonParser parser, boolean yaml) {
		this.parser = parser;
		this.yaml = yaml;
	}

	ProblemList duplicates() {
		return duplicates;
	}

	JsonNode value(int depth) {
		JsonToken token = parser.currentToken();
		switch (token) {
			case START_OBJECT:
				return object(depth);
			case START_ARRAY:
				return array(depth);
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
						+ token + ")" + TreeReader.at(parser.currentTokenLocation()));
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

	private ObjectNode object(int depth) {
		String anchor = anchorName();
		ObjectNode node = NODES.objectNode();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String key = parser.currentName();
			// Where the key is matters only when it is given again.
			boolean duplicate = node.has(key);
			TokenStreamLocation keyAt = duplicate ? parser.currentTokenLocation() : null;
			parser.nextToken();
			path.add(key);
			JsonNode value = value(depth + 1);
			if (duplicate) {
				String again = keyAt == null || keyAt.getLineNr() < 1 ? ""
						: " (again at line " + keyAt.getLineNr() + ", column " + keyAt.getColumnNr() + ")";
				duplicates.add(pointer(), "'" + key + "' is given twice in the same object" + again + "; say it once");
			}
			else {
				node.set(key, value);
			}
			path.remove(path.size() - 1);
		}
		remember(anchor, node);
		return node;
	}

	private ArrayNode array(int depth) {
		String anchor = anchorName();
		ArrayNode node = NODES.arrayNode();
		while (parser.nextToken() != JsonToken.END_ARRAY) {
			path.add(node.size());
			node.add(value(depth + 1));
			path.remove(path.size() - 1);
		}
		remember(anchor, node);
		return node;
	}

	/** The JSON Pointer of the current value. */
	private String pointer() {
		String pointer = "";
		for (Object segment : path) {
			pointer = segment instanceof Integer index ? Pointers.child(pointer, index)
					: Pointers.child(pointer, (String) segment);
		}
		return pointer;
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
		String where = TreeReader.at(parser.currentTokenLocation());
		Anchored target = anchors.get(name);
		if (target == null) {
			throw InvalidDocumentException.syntax("the alias *" + name + " does not refer to a list or mapping"
					+ " anchored before it; aliases of single values are not supported" + where);
		}
		if (++aliases > TreeReader.MAX_ALIASES) {
			throw InvalidDocumentException.syntax("the document uses more than " + TreeReader.MAX_ALIASES
					+ " YAML aliases; write the values out" + where);
		}
		expanded += target.size();
		if (expanded > TreeReader.MAX_ALIAS_EXPANSION) {
			throw InvalidDocumentException.syntax("the YAML aliases of the document expand to more than "
					+ TreeReader.MAX_ALIAS_EXPANSION + " values, which looks like a 'billion laughs' attack" + where);
		}
		if (depth + target.height() > TreeReader.MAX_DEPTH) {
			throw InvalidDocumentException.syntax("the alias *" + name + " nests the document more than "
					+ TreeReader.MAX_DEPTH + " levels deep" + where);
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
