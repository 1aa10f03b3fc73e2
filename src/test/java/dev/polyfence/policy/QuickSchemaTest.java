package dev.polyfence.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.bench.RealisticPolicies;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The quick schema check may only ever spare networknt a document that networknt finds
 * valid: checked on valid documents (it must say yes, or it saves nothing) and on
 * thousands of seeded mutations of them (whenever it says yes, networknt must agree).
 */
class QuickSchemaTest {

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final SchemaCheck POLICY = SchemaCheck.load(SchemaCheck.POLICY);

	private static final SchemaCheck BINDINGS = SchemaCheck.load(SchemaCheck.BINDINGS);

	private static final TreeReader READER = new TreeReader();

	@Test
	void bothSchemasCompile() {
		assertThat(POLICY.hasQuickCheck()).isTrue();
		assertThat(BINDINGS.hasQuickCheck()).isTrue();
	}

	@Test
	void validDocumentsAreValidForCertain() {
		for (String name : Fixtures.POLICIES) {
			assertThat(POLICY.quickSaysValid(tree(Fixtures.read(name + ".yaml")))).as(name).isTrue();
			assertThat(BINDINGS.quickSaysValid(tree(Fixtures.read(name + "-bindings.yaml")))).as(name).isTrue();
		}
		JsonNode storefront = tree(Fixtures.read("storefront.yaml"));
		assertThat(POLICY.quickSaysValid(storefront.path("policy"))).isTrue();
		assertThat(BINDINGS.quickSaysValid(storefront.path("bindings"))).isTrue();
		for (long seed = 1; seed <= 5; seed++) {
			JsonNode body = RealisticPolicies.body(new RealisticPolicies.Size(100, 20), seed);
			assertThat(POLICY.quickSaysValid(body.path("policy"))).as("seed %d", seed).isTrue();
			assertThat(BINDINGS.quickSaysValid(body.path("bindings"))).as("seed %d", seed).isTrue();
		}
	}

	@ParameterizedTest
	@ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8 })
	void neverSaysValidWhereNetworkntFindsAProblem(long seed) {
		Random random = new Random(seed);
		List<JsonNode> originals = List.of(tree(Fixtures.read("storefront.yaml")),
				RealisticPolicies.body(new RealisticPolicies.Size(10, 5), seed));
		int agreedValid = 0;
		int spared = 0;
		for (int i = 0; i < 400; i++) {
			JsonNode body = originals.get(i % originals.size()).deepCopy();
			for (int m = 0, n = 1 + random.nextInt(2); m < n; m++) {
				mutate(body, random);
			}
			for (SchemaCheck schema : List.of(POLICY, BINDINGS)) {
				JsonNode document = body.path(schema == POLICY ? "policy" : "bindings");
				boolean quick = schema.quickSaysValid(document);
				boolean networknt = schema.networkntSaysValid(document);
				if (quick) {
					assertThat(networknt)
						.as("seed %d, mutation %d: quick check says valid, networknt does not: %s", seed, i, document)
						.isTrue();
					spared++;
				}
				agreedValid += networknt ? 1 : 0;
			}
		}
		assertThat(spared).as("mutations that still pass, so the comparison means something").isPositive();
		assertThat(agreedValid).isGreaterThanOrEqualTo(spared);
	}

	private static JsonNode tree(String text) {
		return READER.read(text, TreeReader.Format.DETECT).root();
	}

	/** One random change at a random place: a new value, a removal or an added field. */
	private static void mutate(JsonNode root, Random random) {
		List<JsonNode> containers = new ArrayList<>();
		collect(root, containers);
		JsonNode container = containers.get(random.nextInt(containers.size()));
		if (container.isObject()) {
			ObjectNode object = (ObjectNode) container;
			List<String> names = new ArrayList<>(object.propertyNames());
			int what = random.nextInt(5);
			if (names.isEmpty() || what == 0) {
				object.set(random.nextBoolean() ? "extra" : names.isEmpty() ? "x" : names.get(0) + "s", value(random));
			}
			else if (what == 1) {
				object.remove(names.get(random.nextInt(names.size())));
			}
			else {
				object.set(names.get(random.nextInt(names.size())), value(random));
			}
		}
		else {
			ArrayNode array = (ArrayNode) container;
			int what = random.nextInt(4);
			if (array.isEmpty() || what == 0) {
				array.add(value(random));
			}
			else if (what == 1) {
				array.remove(random.nextInt(array.size()));
			}
			else if (what == 2) {
				array.add(array.get(random.nextInt(array.size())).deepCopy());
			}
			else {
				array.set(random.nextInt(array.size()), value(random));
			}
		}
	}

	private static void collect(JsonNode node, List<JsonNode> containers) {
		if (node.isContainer()) {
			containers.add(node);
			node.values().forEach(child -> collect(child, containers));
		}
	}

	private static JsonNode value(Random random) {
		return switch (random.nextInt(24)) {
			case 0 -> NODES.stringNode("x");
			case 1 -> NODES.stringNode("tcp");
			case 2 -> NODES.stringNode("10.0.0.0/8");
			case 3 -> NODES.stringNode("10.0.0.1");
			case 4 -> NODES.stringNode("");
			case 5 -> NODES.numberNode(6);
			case 6 -> NODES.numberNode(6.0);
			case 7 -> NODES.numberNode(-1);
			case 8 -> NODES.numberNode(70000);
			case 9 -> NODES.booleanNode(true);
			case 10 -> NODES.booleanNode(false);
			case 11 -> NODES.nullNode();
			case 12 -> NODES.objectNode();
			case 13 -> NODES.arrayNode();
			case 14 -> NODES.objectNode().put("cidr", "192.0.2.0/24");
			case 15 -> NODES.arrayNode().add("*");
			case 16 -> NODES.stringNode("Web");
			case 17 -> NODES.stringNode("a".repeat(41));
			case 18 -> NODES.stringNode("443");
			case 19 -> NODES.stringNode("web\n");
			case 20 -> NODES.objectNode().put("any", true);
			case 21 -> NODES.objectNode().put("group", "web").put("any", true);
			case 22 -> NODES.stringNode("allow");
			default -> NODES.numberNode(4096);
		};
	}

}
