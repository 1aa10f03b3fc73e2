package dev.polyfence.testing.gce;

import static dev.polyfence.testing.gce.GceClients.allowTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The fake's own controls: seeding, direct reads, reset, a fixed clock, close. */
class ComputeFirewallFakeTest {

	static final String PROJECT = "p";

	@Test
	void seedStoresWhatAnInsertWouldAndChecksTheSame() {
		try (ComputeFirewallFake fake = ComputeFirewallFake.start()) {
			ObjectNode stored = fake.seed(PROJECT,
					FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

			assertThat(stored.get("kind").asString()).isEqualTo("compute#firewall");
			assertThat(stored.get("priority").asInt()).isEqualTo(1000);
			assertThat(fake.requests()).isEmpty();
			assertThatThrownBy(
					() -> fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build())))
				.isInstanceOfSatisfying(ComputeApiException.class, e -> assertThat(e.status()).isEqualTo(409));
			assertThatThrownBy(
					() -> fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("Bad", "10.0.0.0/8", "22").build())))
				.isInstanceOfSatisfying(ComputeApiException.class, e -> assertThat(e.reason()).isEqualTo("invalid"));
		}
	}

	@Test
	void readsAreCopies() {
		try (ComputeFirewallFake fake = ComputeFirewallFake.start()) {
			fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

			fake.firewall(PROJECT, "ssh").orElseThrow().put("priority", 1);
			fake.snapshot(PROJECT).get("ssh").put("priority", 2);

			assertThat(fake.firewall(PROJECT, "ssh").orElseThrow().get("priority").asInt()).isEqualTo(1000);
		}
	}

	@Test
	void resetForgetsStateFaultsAndRunningPolls() throws Exception {
		try (ComputeFirewallFake fake = ComputeFirewallFake.start()) {
			fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));
			fake.failNext(3, 503);
			fake.setRunningPolls(4);

			fake.reset();

			assertThat(fake.firewallNames(PROJECT)).isEmpty();
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(fake.endpoint() + "/compute/v1/projects/p/global/firewalls"))
					.POST(HttpRequest.BodyPublishers
						.ofString(FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()).toString()))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.body()).contains("\"status\":\"DONE\"");
		}
	}

	@Test
	void timestampsComeFromTheGivenClock() {
		Clock fixed = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
		try (ComputeFirewallFake fake = ComputeFirewallFake.start(fixed)) {
			ObjectNode stored = fake.seed(PROJECT,
					FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

			assertThat(stored.get("creationTimestamp").asString()).isEqualTo("2026-01-02T03:04:05.678+00:00");
		}
	}

	@Test
	void closeStopsListening() {
		ComputeFirewallFake fake = ComputeFirewallFake.start();
		String endpoint = fake.endpoint();
		fake.close();

		assertThatThrownBy(() -> HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(endpoint + "/compute/v1/projects/p/global/firewalls")).build(),
					HttpResponse.BodyHandlers.ofString()))
			.isInstanceOf(ConnectException.class);
	}

	@Test
	void mergePatchFollowsRfc7396() {
		ObjectNode target = FirewallsClientTest.emptyObject();
		target.put("a", 1);
		target.putObject("o").put("x", 1).put("y", 2);
		target.putArray("l").add(1).add(2);
		ObjectNode patch = FirewallsClientTest.emptyObject();
		patch.putNull("a");
		patch.putObject("o").putNull("x").put("z", 3);
		patch.putArray("l").add(3);

		ComputeFirewallFake.mergePatch(target, patch);

		assertThat(target.toString()).isEqualTo("{\"o\":{\"y\":2,\"z\":3},\"l\":[3]}");
	}

}
