package dev.polyfence.testing.gce;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallLogConfig;
import dev.polyfence.policy.Bindings;
import dev.polyfence.translate.Examples;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What GcpTranslator emits for the spec's example is accepted by the fake's checks and
 * reads back as sent, less what the server adds (id, kind, selfLink, creationTimestamp,
 * defaults, the full network URL).
 */
class TranslatorOutputAcceptedTest extends ComputeFakeTest {

	@Test
	void theSpecExampleWithBindingsIsAcceptedAndReadsBackEqual() throws Exception {
		Bindings bindings = Examples.threeTierBindings();
		GcpOutput output = new GcpTranslator().translate(Examples.threeTier(), bindings).output();
		String project = bindings.gcp().project();

		List<Firewall> sent = insertAll(project, output);

		assertThat(sent).hasSizeGreaterThan(4);
		for (Firewall firewall : sent) {
			assertThat(readBack(project, firewall.getName())).as(firewall.getName())
				.isEqualTo(asStored(project, firewall));
		}
		assertThat(fake.firewallNames(project)).hasSize(sent.size());
	}

	@Test
	void theSpecExampleWithoutBindingsIsAcceptedAndReadsBackEqual() throws Exception {
		Translation<GcpOutput> translation = new GcpTranslator().translate(Examples.threeTier(),
				new Bindings(null, null, null));
		String project = "any-project";

		List<Firewall> sent = insertAll(project, translation.output());

		for (Firewall firewall : sent) {
			assertThat(readBack(project, firewall.getName())).as(firewall.getName())
				.isEqualTo(asStored(project, firewall));
		}
	}

	@Test
	void theRecordsJsonAsTheProjectWritesItIsAcceptedAsIs() throws Exception {
		Bindings bindings = Examples.threeTierBindings();
		GcpOutput output = new GcpTranslator().translate(Examples.threeTier(), bindings).output();
		String project = bindings.gcp().project();
		HttpClient http = HttpClient.newHttpClient();
		JsonMapper mapper = JsonMapper.builder().build();

		for (dev.polyfence.translate.gcp.Firewall firewall : output.firewalls()) {
			String json = mapper.writeValueAsString(firewall);
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create(fake.endpoint() + "/compute/v1/projects/" + project + "/global/firewalls"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(json + " -> " + answer.body()).isEqualTo(200);
		}
		assertThat(fake.firewallNames(project)).hasSize(output.firewalls().size());
	}

	/**
	 * Every golden file's GCP firewalls (the translator's reviewed output), posted as
	 * they are stored there.
	 */
	@ParameterizedTest
	@MethodSource("goldenFiles")
	void everyGoldenFilesFirewallsAreAccepted(Path golden) throws Exception {
		JsonMapper mapper = JsonMapper.builder().build();
		JsonNode firewalls = mapper.readTree(golden.toFile()).path("gcp").path("firewalls");
		String project = "golden-" + Integer.toHexString(golden.getFileName().toString().hashCode());
		HttpClient http = HttpClient.newHttpClient();
		int count = 0;
		for (JsonNode firewall : firewalls) {
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create(fake.endpoint() + "/compute/v1/projects/" + project + "/global/firewalls"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(mapper.writeValueAsString(firewall)))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(firewall + " -> " + answer.body()).isEqualTo(200);
			count++;
		}
		assertThat(count).as("firewalls in " + golden).isPositive();
		assertThat(fake.firewallNames(project)).hasSize(count);
	}

	static Stream<Path> goldenFiles() throws Exception {
		try (Stream<Path> files = Files.list(Path.of("src/test/resources/golden"))) {
			return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
		}
	}

	private static List<Firewall> insertAll(String project, GcpOutput output) throws Exception {
		List<Firewall> sent = new ArrayList<>();
		for (dev.polyfence.translate.gcp.Firewall record : output.firewalls()) {
			Firewall proto = GceClients.toProto(record);
			client.insertAsync(project, proto).get();
			sent.add(proto);
		}
		return sent;
	}

	private static Firewall readBack(String project, String name) {
		return client.get(project, name)
			.toBuilder()
			.clearId()
			.clearKind()
			.clearCreationTimestamp()
			.clearSelfLink()
			.build();
	}

	/**
	 * What the API adds to a firewall it stores, but the server-made id, timestamp and
	 * links.
	 */
	private static Firewall asStored(String project, Firewall sent) {
		Firewall.Builder b = sent.toBuilder();
		String network = sent.hasNetwork() ? sent.getNetwork() : "global/networks/default";
		if (!network.startsWith("projects/")) {
			network = "projects/" + project + "/" + network;
		}
		b.setNetwork(ComputeFirewallFake.LINK_BASE + network);
		if (!sent.hasDisabled()) {
			b.setDisabled(false);
		}
		if (!sent.hasLogConfig()) {
			b.setLogConfig(FirewallLogConfig.newBuilder().setEnable(false));
		}
		return b.build();
	}

}
