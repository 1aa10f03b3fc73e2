package dev.polyfence.policy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One of our JSON Schemas (draft 2020-12), loaded from the classpath and run with
 * networknt's validator; its errors come back as {@link Problem}s in plain words (see
 * {@link SchemaMessages}). A document that the schema's {@link QuickSchema} finds valid
 * for certain is not handed to networknt, which would find nothing. Immutable and
 * thread-safe once built.
 */
final class SchemaCheck {

	static final String POLICY = "/schemas/policy.schema.json";

	static final String BINDINGS = "/schemas/bindings.schema.json";

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			builder -> builder
				.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));

	private final JsonNode schemaNode;

	private final Schema schema;

	private final Optional<QuickSchema> quick;

	private SchemaCheck(JsonNode schemaNode) {
		this.schemaNode = schemaNode;
		this.schema = REGISTRY.getSchema(schemaNode);
		this.quick = QuickSchema.compile(schemaNode);
		// Build every validator now, so that concurrent first uses do not race on lazy
		// initialisation.
		this.schema.initializeValidators();
	}

	static SchemaCheck load(String resource) {
		try (InputStream in = SchemaCheck.class.getResourceAsStream(resource)) {
			if (in == null) {
				throw new IllegalStateException("schema " + resource + " is not on the classpath");
			}
			return new SchemaCheck(JsonMapper.shared().readTree(in));
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot read schema " + resource, e);
		}
	}

	/**
	 * Validates a document (or the part of a request at {@code base}) and adds its
	 * problems.
	 */
	void check(JsonNode document, String base, ProblemList problems) {
		if (quick.isPresent() && quick.get().certainlyValid(document)) {
			return;
		}
		List<Error> errors = schema.validate(document);
		Map<String, List<Error>> alternatives = new LinkedHashMap<>();
		for (Error error : errors) {
			String evaluation = error.getEvaluationPath().toString();
			int anyOf = evaluation.indexOf("/anyOf/");
			if (anyOf >= 0) {
				// The validator reports each failed alternative of an anyOf; say it once,
				// for the value.
				String key = pointer(base, error.getInstanceLocation()) + "\n" + evaluation.substring(0, anyOf);
				alternatives.computeIfAbsent(key, k -> new ArrayList<>()).add(error);
			}
			else if (!evaluation.contains("/oneOf/")) {
				// Failures inside a oneOf branch are explained by the oneOf error itself.
				String at = pointer(base, error.getInstanceLocation());
				SchemaMessages.Located located = SchemaMessages.explain(error, at, schemaNode);
				problems.add(located.pointer(), located.message());
			}
		}
		alternatives.forEach((key, group) -> {
			String pointer = key.substring(0, key.indexOf('\n'));
			problems.add(pointer, SchemaMessages.noAlternative(pointer, group.get(0).getInstanceNode()));
		});
	}

	/** Whether the quick check could be compiled for this schema (for the tests). */
	boolean hasQuickCheck() {
		return quick.isPresent();
	}

	/** The quick check's answer alone (for the tests). */
	boolean quickSaysValid(JsonNode document) {
		return quick.isPresent() && quick.get().certainlyValid(document);
	}

	/** networknt's answer alone (for the tests). */
	boolean networkntSaysValid(JsonNode document) {
		return schema.validate(document).isEmpty();
	}

	/**
	 * The instance location as a JSON Pointer under {@code base}, each segment escaped.
	 */
	static String pointer(String base, NodePath path) {
		String pointer = base;
		for (int i = 0; i < path.getNameCount(); i++) {
			Object element = path.getElement(i);
			pointer = element instanceof Integer ? Pointers.child(pointer, (Integer) element)
					: Pointers.child(pointer, String.valueOf(element));
		}
		return pointer;
	}

}
