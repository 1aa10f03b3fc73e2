package dev.polyfence.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * One golden file per representative policy: the three clouds' output and every finding,
 * keys sorted. A change in output shows as a diff here. To accept a deliberate change,
 * run with {@code -Dpolyfence.golden.update=true} and review the rewritten files like
 * code.
 */
class GoldenFilesTest {

	private static final Path GOLDEN = Path.of("src/test/resources/golden");

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
		.enable(SerializationFeature.INDENT_OUTPUT)
		.build();

	private final DocumentParser parser = new DocumentParser();

	@ParameterizedTest
	@ValueSource(
			strings = { "spec-example", "deny-all-ingress", "frontend-to-database", "three-tier", "egress-allowlist" })
	void boundTranslationMatchesGoldenFile(String name) throws IOException {
		Policy policy = parser.parsePolicy(resource("/policies/" + name + ".yaml"));
		Bindings bindings = parser.parseBindings(resource("/policies/" + name + "-bindings.yaml"));
		check(name, policy, bindings);
	}

	@ParameterizedTest
	@ValueSource(strings = { "spec-example", "three-tier" })
	void unboundTranslationMatchesGoldenFile(String name) throws IOException {
		check(name + "-unbound", parser.parsePolicy(resource("/policies/" + name + ".yaml")), Bindings.NONE);
	}

	private void check(String name, Policy policy, Bindings bindings) throws IOException {
		String actual = render(policy, bindings);
		assertThat(render(policy, bindings)).as("the same input gives byte-identical output").isEqualTo(actual);
		Path file = GOLDEN.resolve(name + ".json");
		if (Boolean.getBoolean("polyfence.golden.update") || !Files.exists(file)) {
			Files.createDirectories(GOLDEN);
			Files.writeString(file, actual);
		}
		assertThat(actual)
			.as("%s differs from its golden file; rerun with -Dpolyfence.golden.update=true to accept", file)
			.isEqualTo(Files.readString(file));
	}

	static String render(Policy policy, Bindings bindings) {
		Translation<?> aws = new AwsTranslator().translate(policy, bindings);
		Translation<?> azure = new AzureTranslator().translate(policy, bindings);
		Translation<?> gcp = new GcpTranslator().translate(policy, bindings);
		List<Finding> findings = new ArrayList<>(PolicyChecks.findings(policy));
		findings.addAll(aws.findings());
		findings.addAll(azure.findings());
		findings.addAll(gcp.findings());
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("aws", aws.output());
		all.put("azure", azure.output());
		all.put("gcp", gcp.output());
		all.put("findings", findings);
		return JSON.writeValueAsString(all) + "\n";
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = GoldenFilesTest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
