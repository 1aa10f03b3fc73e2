package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The published schemas on their own, as an editor or another tool would use them: valid
 * JSON, valid draft 2020-12 schemas, helpful to editors, and in agreement with the parser
 * on the fixtures.
 */
class SchemaFilesTest {

	private static final JsonMapper STRICT_JSON = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private static final SchemaRegistry REGISTRY = SchemaRegistry
		.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

	private static final List<String> SCHEMAS = List.of(DocumentParser.POLICY_SCHEMA, DocumentParser.BINDINGS_SCHEMA);

	private static JsonNode schemaNode(String resource) {
		try (InputStream in = SchemaFilesTest.class.getResourceAsStream(resource)) {
			assertThat(in).as(resource).isNotNull();
			return STRICT_JSON.readTree(in);
		}
		catch (IOException e) {
			throw new AssertionError(e);
		}
	}

	private static List<Error> validate(String resource, String yamlOrJson) {
		Schema schema = REGISTRY.getSchema(schemaNode(resource));
		return schema.validate(YAMLMapper.shared().readTree(yamlOrJson));
	}

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void isValidJsonAndAValidDraft202012Schema(String resource) {
		JsonNode node = schemaNode(resource);
		Schema metaSchema = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

		assertThat(metaSchema.validate(node)).isEmpty();
		assertThat(node.path("$schema").asString()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
		assertThat(node.path("$id").asString()).startsWith("https://polyfence.dev/schemas/");
		assertThat(node.path("title").asString()).isNotBlank();
		assertThat(node.path("description").asString()).isNotBlank();
	}

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void everyObjectIsClosedAndEveryFieldIsDescribed(String resource) {
		List<String> open = new ArrayList<>();
		List<String> undescribed = new ArrayList<>();
		walk(schemaNode(resource), "", (pointer, node) -> {
			if (node.has("properties") && !node.path("additionalProperties").isObject()
					&& !(node.path("additionalProperties").isBoolean()
							&& !node.path("additionalProperties").asBoolean())) {
				open.add(pointer);
			}
			for (Map.Entry<String, JsonNode> property : node.path("properties").properties()) {
				JsonNode field = property.getValue();
				if (!field.has("title") && !field.has("description") && !field.has("$ref")) {
					undescribed.add(pointer + "/properties/" + property.getKey());
				}
			}
		});

		assertThat(open).as("objects without additionalProperties: false").isEmpty();
		assertThat(undescribed).as("fields without a title or description").isEmpty();
	}

	@ParameterizedTest
	@FieldSource("SCHEMAS")
	void everyPatternHasAPlainMessage(String resource) {
		List<String> unknown = new ArrayList<>();
		walk(schemaNode(resource), "", (pointer, node) -> {
			if (node.path("pattern").isString() && !SchemaMessages.knowsPattern(node.path("pattern").asString())) {
				unknown.add(pointer + ": " + node.path("pattern").asString());
			}
		});

		assertThat(unknown).isEmpty();
	}

	@ParameterizedTest
	@FieldSource("dev.polyfence.policy.Fixtures#POLICIES")
	void everyValidFixturePassesTheSchemas(String name) {
		assertThat(validate(DocumentParser.POLICY_SCHEMA, read(name + ".yaml"))).isEmpty();
		assertThat(validate(DocumentParser.BINDINGS_SCHEMA, read(name + "-bindings.yaml"))).isEmpty();
		assertThat(validate(DocumentParser.POLICY_SCHEMA, read("frontend-to-database.json"))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "invalid/many-mistakes.yaml", "invalid/unknown-fields.yaml" })
	void invalidPolicyFixturesFailTheSchema(String path) {
		assertThat(validate(DocumentParser.POLICY_SCHEMA, read(path))).isNotEmpty();
	}

	@Test
	void invalidBindingsFixtureFailsTheSchema() {
		assertThat(validate(DocumentParser.BINDINGS_SCHEMA, read("invalid/bad-bindings.yaml")))
			.hasSizeGreaterThanOrEqualTo(4);
	}

	@Test
	void schemaAndParserAgreeOnShapes() {
		String base = "apiVersion: polyfence.dev/v1\nkind: NetworkPolicy\nmetadata: {name: t}\nspec:\n  groups: [{name: web}]\n"
				+ "  rules:\n    - {name: r, action: allow, direction: ingress, appliesTo: [web], ";
		List<String> refused = List.of("peers: []}", "peers: [{any: false}]}", "peers: [{}]}",
				"peers: [{cidr: 10.0.0.0/8, any: true}]}", "peers: [{any: true}], services: [{protocol: 256}]}",
				"peers: [{any: true}], services: [{protocol: tcp, ports: [443]}]}", "peers: [{cidr: 10.0.0.1}]}",
				"peers: [{any: true}], log: \"true\"}");
		for (String rest : refused) {
			assertThat(validate(DocumentParser.POLICY_SCHEMA, base + rest)).as(rest).isNotEmpty();
			assertThat(Fixtures.invalidPolicy(base + rest).problems()).as(rest).isNotEmpty();
		}
		String accepted = "peers: [{any: true}], services: [{protocol: 6, ports: [\"443\"]}, {protocol: icmp, icmpType: 0}]}";
		assertThat(validate(DocumentParser.POLICY_SCHEMA, base + accepted)).isEmpty();
		assertThat(Fixtures.PARSER.parsePolicy(base + accepted).rules()).hasSize(1);
	}

	private interface Visitor {

		void visit(String pointer, JsonNode node);

	}

	private static void walk(JsonNode node, String pointer, Visitor visitor) {
		if (node.isObject()) {
			visitor.visit(pointer, node);
			node.properties().forEach(e -> walk(e.getValue(), pointer + "/" + e.getKey(), visitor));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				walk(node.get(i), pointer + "/" + i, visitor);
			}
		}
	}

}
