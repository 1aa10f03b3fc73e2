package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;

/**
 * {@code openapi.yaml} as a test oracle. swagger-parser reads and checks the document and
 * finds the operation, response and media type of an exchange; networknt validates bodies
 * against the schema at that place in the same file, so {@code $ref}s (to components and
 * to the JSON Schema files of the documents) resolve exactly as a client's tooling would
 * resolve them.
 */
final class OpenApiContract {

	static final String PLANNED = "x-polyfence-implemented";

	private static final Path FILE = Path.of("openapi.yaml").toAbsolutePath();

	private final OpenAPI api;

	private final List<String> parserMessages;

	private final SchemaRegistry registry;

	private final String base;

	private OpenApiContract(SwaggerParseResult result) {
		this.api = Objects.requireNonNull(result.getOpenAPI(),
				() -> "openapi.yaml does not parse: " + result.getMessages());
		this.parserMessages = result.getMessages() == null ? List.of() : List.copyOf(result.getMessages());
		this.base = FILE.toUri().toString();
		// Only files of this repository are read: the document itself and the schemas it
		// refers to.
		this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31(), builder -> builder
			.schemaLoader(loader -> loader.fetchRemoteResources().allow(iri -> iri.toString().startsWith("file:"))));
	}

	static OpenApiContract load() {
		ParseOptions options = new ParseOptions();
		options.setResolve(false);
		return new OpenApiContract(new OpenAPIV3Parser().readLocation(FILE.toString(), null, options));
	}

	List<String> parserMessages() {
		return parserMessages;
	}

	/**
	 * "POST /v1/translations" for every operation the service is meant to answer today.
	 */
	Set<String> implementedOperations() {
		Set<String> operations = new TreeSet<>();
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
			if (isImplemented(op)) {
				operations.add(method.name() + " " + path);
			}
		}));
		return operations;
	}

	/** "GET /v1/plans/{id}" for every operation described but marked as not built yet. */
	Set<String> plannedOperations() {
		Set<String> operations = new TreeSet<>();
		api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
			if (!isImplemented(op)) {
				operations.add(method.name() + " " + path);
			}
		}));
		return operations;
	}

	/**
	 * What the document says about callers of an operation ("POST /v1/plans/{id}/apply"):
	 * whether it needs one (the global bearer requirement, unless the operation sets
	 * {@code security: []}), the right it names in {@code x-polyfence-right}, and the
	 * statuses it lists.
	 */
	CallerContract callers(String operation) {
		String[] methodAndPath = operation.split(" ", 2);
		Operation op = operation(api.getPaths().get(methodAndPath[1]), methodAndPath[0])
			.orElseThrow(() -> new AssertionError("no " + operation + " in openapi.yaml"));
		boolean global = api.getSecurity() != null && api.getSecurity().stream().anyMatch(r -> r.containsKey("bearer"));
		boolean needsCaller = op.getSecurity() == null ? global
				: op.getSecurity().stream().anyMatch(r -> r.containsKey("bearer"));
		Object right = op.getExtensions() == null ? null : op.getExtensions().get("x-polyfence-right");
		boolean bearerScheme = api.getComponents().getSecuritySchemes() != null
				&& api.getComponents().getSecuritySchemes().containsKey("bearer")
				&& "bearer".equals(api.getComponents().getSecuritySchemes().get("bearer").getScheme());
		return new CallerContract(needsCaller && bearerScheme, right == null ? null : right.toString(),
				new TreeSet<>(op.getResponses().keySet()));
	}

	record CallerContract(boolean needsBearer, String right, Set<String> statuses) {
	}

	/** A named example of {@code components/examples}. */
	Object example(String name) {
		return api.getComponents().getExamples().get(name).getValue();
	}

	/** Checks a request body the tests send against the operation's request schema. */
	void assertValidRequest(String method, String path, String mediaType, String body) {
		Located<PathItem> item = pathItem(path)
			.orElseThrow(() -> new AssertionError("no path " + path + " in openapi.yaml"));
		Operation op = operation(item.value(), method)
			.orElseThrow(() -> new AssertionError("no " + method + " " + path + " in openapi.yaml"));
		Content content = op.getRequestBody().getContent();
		assertThat(content).as("request media types of %s %s", method, path).containsKey(mediaType);
		String pointer = item.pointer() + "/" + method.toLowerCase(Locale.ROOT) + "/requestBody/content/"
				+ escape(mediaType) + "/schema";
		InputFormat format = mediaType.contains("json") ? InputFormat.JSON : InputFormat.YAML;
		assertValid(pointer, body, format, "request of " + method + " " + path);
	}

	/**
	 * Checks an answer against the document: its status is listed for the operation (or
	 * covered by {@code default}), its Content-Type is one the response lists, and its
	 * body is valid against that media type's schema. A path the document does not have
	 * must be a 404 problem.
	 */
	void assertConforms(String method, String path, int status, String contentType, String body) {
		String what = method + " " + path + " -> " + status;
		Optional<Located<PathItem>> item = pathItem(path);
		String responsePointer;
		ApiResponse response;
		if (item.isEmpty()) {
			assertThat(status).as("%s: a path openapi.yaml does not have", what).isEqualTo(404);
			responsePointer = "/components/responses/NotFound";
			response = api.getComponents().getResponses().get("NotFound");
		}
		else {
			Optional<Operation> op = operation(item.get().value(), method);
			if (op.isEmpty() || !isImplemented(op.get())) {
				assertThat(status).as("%s: not an implemented operation", what).isIn(404, 405);
				responsePointer = "/components/responses/Problem";
				response = api.getComponents().getResponses().get("Problem");
			}
			else {
				String opPointer = item.get().pointer() + "/" + method.toLowerCase(Locale.ROOT);
				Map<String, ApiResponse> responses = op.get().getResponses();
				String key = responses.containsKey(Integer.toString(status)) ? Integer.toString(status) : "default";
				assertThat(responses).as("%s: status not in openapi.yaml", what).containsKey(key);
				response = responses.get(key);
				responsePointer = opPointer + "/responses/" + key;
			}
		}
		if (response.get$ref() != null) {
			String name = response.get$ref().substring("#/components/responses/".length());
			responsePointer = "/components/responses/" + name;
			response = api.getComponents().getResponses().get(name);
		}
		if (response.getContent() == null || response.getContent().isEmpty()) {
			assertThat(body).as("%s: openapi.yaml lists no body", what).isNullOrEmpty();
			return;
		}
		assertThat(contentType).as("%s: Content-Type", what).isNotNull();
		MediaType actual = MediaType.parseMediaType(contentType);
		String mediaType = actual.getType() + "/" + actual.getSubtype();
		assertThat(response.getContent()).as("%s: media types in openapi.yaml", what).containsKey(mediaType);
		if (mediaType.endsWith("json")) {
			assertValid(responsePointer + "/content/" + escape(mediaType) + "/schema", body, InputFormat.JSON, what);
		}
	}

	/** Checks a JSON value against a schema of {@code components/schemas}. */
	void assertValidAgainst(String componentSchema, String json) {
		assertValid("/components/schemas/" + componentSchema, json, InputFormat.JSON, componentSchema);
	}

	private void assertValid(String pointer, String body, InputFormat format, String what) {
		Schema schema = registry.getSchema(SchemaLocation.of(base + "#" + pointer));
		List<Error> errors = schema.validate(body, format);
		if (!errors.isEmpty()) {
			fail("%s does not match openapi.yaml#%s:%n  %s%nbody: %s", what, pointer,
					String.join("\n  ", errors.stream().map(Error::toString).toList()), body);
		}
	}

	private Optional<Located<PathItem>> pathItem(String path) {
		return api.getPaths()
			.entrySet()
			.stream()
			.filter(e -> template(e.getKey()).matcher(path).matches())
			.findFirst()
			.map(e -> new Located<>("/paths/" + escape(e.getKey()), e.getValue()));
	}

	private static Optional<Operation> operation(PathItem item, String method) {
		return Optional.ofNullable(item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method)));
	}

	private static boolean isImplemented(Operation op) {
		return op.getExtensions() == null || !Boolean.FALSE.equals(op.getExtensions().get(PLANNED));
	}

	private static Pattern template(String path) {
		return Pattern.compile(Pattern.quote(path).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
	}

	/** RFC 6901 escaping of one pointer token. */
	private static String escape(String token) {
		return token.replace("~", "~0").replace("/", "~1");
	}

	private record Located<T>(String pointer, T value) {
	}

}
