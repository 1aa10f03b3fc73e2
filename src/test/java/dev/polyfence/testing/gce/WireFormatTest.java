package dev.polyfence.testing.gce;

import static dev.polyfence.testing.gce.GceClients.allowTcp;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallList;
import com.google.cloud.compute.v1.Operation;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON on the wire, both ways, against {@code compute.proto}: what the client sends
 * parses strictly (unknown fields refused) into the proto, and so does every answer of
 * the fake; plus the HTTP details a client other than Google's could meet.
 */
class WireFormatTest extends ComputeFakeTest {

	static final String BASE = "/compute/v1/projects/" + PROJECT + "/global/";

	static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void theInsertBodyUsesComputeProtoFieldNames() throws Exception {
		Firewall sent = allowTcp("ssh", "10.0.0.0/8", "22", "2200-2300").setDescription("d")
			.setPriority(0)
			.addTargetTags("web")
			.build();

		client.insertAsync(PROJECT, sent).get();

		String body = fake.requests().get(0).body();
		Firewall parsed = strict(body, Firewall.newBuilder());
		assertThat(parsed).isEqualTo(sent);
		JsonNode json = fake.requests().get(0).json();
		assertThat(json.get("allowed").get(0).has("IPProtocol")).isTrue();
		assertThat(json.get("priority").asInt()).as("priority 0 is sent: the field has presence").isZero();
	}

	@Test
	void theFakesAnswersParseStrictlyIntoTheProtos() throws Exception {
		client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get();
		fake.setRunningPolls(1);
		var pending = client.insertAsync(PROJECT, allowTcp("web", "0.0.0.0/0", "443").build());
		pending.getInitialFuture().get();

		Operation op = strict(
				send("POST", BASE + "firewalls", body(allowTcp("db", "10.0.0.0/8", "5432").build())).body(),
				Operation.newBuilder());
		strict(send("GET", BASE + "operations/" + op.getName(), null).body(), Operation.newBuilder());
		Firewall got = strict(send("GET", BASE + "firewalls/ssh", null).body(), Firewall.newBuilder());
		FirewallList list = strict(send("GET", BASE + "firewalls?maxResults=2", null).body(),
				FirewallList.newBuilder());

		assertThat(op.getStatus()).isEqualTo(Operation.Status.RUNNING);
		assertThat(op.getSelfLink()).endsWith("/projects/" + PROJECT + "/global/operations/" + op.getName());
		assertThat(op.getTargetId()).isEqualTo(fake.firewall(PROJECT, "db").orElseThrow().get("id").asLong());
		assertThat(got.getName()).isEqualTo("ssh");
		assertThat(list.getKind()).isEqualTo("compute#firewallList");
		assertThat(list.getItemsList()).extracting(Firewall::getName).containsExactly("db", "ssh");
		assertThat(list.getNextPageToken()).isNotEmpty();
		pending.get();
	}

	@Test
	void anUnknownFieldIsRefused() throws Exception {
		HttpResponse<String> answer = send("POST", BASE + "firewalls",
				"{\"name\":\"x\",\"sourceRanges\":[\"10.0.0.0/8\"],\"allowed\":[{\"IPProtocol\":\"tcp\",\"port\":[\"22\"]}]}");

		assertThat(answer.statusCode()).isEqualTo(400);
		JsonNode error = JsonMapper.builder().build().readTree(answer.body()).get("error");
		assertThat(error.get("errors").get(0).get("reason").asString()).isEqualTo("badRequest");
		assertThat(error.get("message").asString()).contains("Unknown name \"port\"");
	}

	@Test
	void aPriorityBeyondInt32IsRefused() throws Exception {
		HttpResponse<String> answer = send("POST", BASE + "firewalls",
				"{\"name\":\"x\",\"priority\":4294967296,\"sourceRanges\":[\"10.0.0.0/8\"],\"allowed\":[{\"IPProtocol\":\"tcp\"}]}");

		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(fake.firewallNames(PROJECT)).isEmpty();
	}

	@Test
	void malformedJsonIsRefused() throws Exception {
		assertThat(send("POST", BASE + "firewalls", "{\"name\":").statusCode()).isEqualTo(400);
	}

	@Test
	void theMethodOverrideHeaderIsMatchedWhateverItsCase() throws Exception {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		HttpResponse<String> lower = HTTP
			.send(HttpRequest.newBuilder(URI.create(fake.endpoint() + BASE + "firewalls/ssh"))
				.header("x-http-method-override", "patch")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"priority\":10}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		HttpResponse<String> upper = HTTP
			.send(HttpRequest.newBuilder(URI.create(fake.endpoint() + BASE + "firewalls/ssh"))
				.header("X-HTTP-Method-Override", "PATCH")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"d\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(lower.statusCode()).isEqualTo(200);
		assertThat(upper.statusCode()).isEqualTo(200);
		assertThat(fake.firewall(PROJECT, "ssh").orElseThrow().get("priority").asInt()).isEqualTo(10);
		assertThat(fake.firewall(PROJECT, "ssh").orElseThrow().get("description").asString()).isEqualTo("d");
	}

	@Test
	void aMergePatchNullRemovesAField() throws Exception {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").setDescription("d").build()));

		assertThat(send("PATCH", BASE + "firewalls/ssh", "{\"description\":null}").statusCode()).isEqualTo(200);

		assertThat(fake.firewall(PROJECT, "ssh").orElseThrow().has("description")).isFalse();
	}

	@Test
	void aPatchCannotRenameARule() throws Exception {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		assertThat(send("PATCH", BASE + "firewalls/ssh", "{\"name\":\"other\"}").statusCode()).isEqualTo(400);
		assertThat(fake.firewallNames(PROJECT)).containsExactly("ssh");
	}

	@Test
	void theNetworkIsStoredAsAFullUrl() throws Exception {
		client.insertAsync(PROJECT, allowTcp("a", "10.0.0.0/8", "22").setNetwork("global/networks/prod-vpc").build())
			.get();
		client
			.insertAsync(PROJECT,
					allowTcp("b", "10.0.0.0/8", "22").setNetwork("projects/host-project/global/networks/shared")
						.build())
			.get();

		assertThat(client.get(PROJECT, "a").getNetwork())
			.isEqualTo(ComputeFirewallFake.LINK_BASE + "projects/" + PROJECT + "/global/networks/prod-vpc");
		assertThat(client.get(PROJECT, "b").getNetwork())
			.isEqualTo(ComputeFirewallFake.LINK_BASE + "projects/host-project/global/networks/shared");
		assertThat(send("POST", BASE + "firewalls",
				body(allowTcp("c", "10.0.0.0/8", "22").setNetwork("networks/oops").build()))
			.statusCode()).isEqualTo(400);
	}

	@Test
	void outputOnlyFieldsInARequestAreIgnored() throws Exception {
		client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").setId(42).setSelfLink("x").setKind("y").build())
			.get();

		Firewall got = client.get(PROJECT, "ssh");
		assertThat(got.getId()).isNotEqualTo(42);
		assertThat(got.getKind()).isEqualTo("compute#firewall");
		assertThat(got.getSelfLink()).endsWith("/global/firewalls/ssh");
	}

	@Test
	void aBadPageTokenIsRefused() throws Exception {
		assertThat(send("GET", BASE + "firewalls?pageToken=%21%21%21", null).statusCode()).isEqualTo(400);
		assertThat(send("GET", BASE + "firewalls?pageToken=bm90LWEtdG9rZW4", null).statusCode()).isEqualTo(400);
	}

	@Test
	void unknownPathsAndMethodsAreRefused() throws Exception {
		assertThat(send("GET", "/compute/v1/projects/p/global/networks", null).statusCode()).isEqualTo(404);
		assertThat(send("DELETE", BASE + "firewalls", null).statusCode()).isEqualTo(405);
		assertThat(send("GET", BASE + "operations/operation-404", null).statusCode()).isEqualTo(404);
	}

	@Test
	void waitCompletesARunningOperation() throws Exception {
		fake.setRunningPolls(5);
		var pending = client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build());
		Operation running = (Operation) pending.getInitialFuture().get().getResponse();

		Operation done = strict(send("POST", BASE + "operations/" + running.getName() + "/wait", "").body(),
				Operation.newBuilder());

		assertThat(running.getStatus()).isEqualTo(Operation.Status.RUNNING);
		assertThat(done.getStatus()).isEqualTo(Operation.Status.DONE);
		assertThat(pending.get().getStatus()).isEqualTo(Operation.Status.DONE);
	}

	@Test
	void theServerListensOnLoopbackOnly() {
		assertThat(fake.endpoint()).startsWith("http://127.0.0.1:");
	}

	private static HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.endpoint() + path))
			.timeout(Duration.ofSeconds(10));
		b.method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (body != null) {
			b.header("Content-Type", "application/json");
		}
		return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String body(Firewall firewall) throws Exception {
		return JsonFormat.printer().print(firewall);
	}

	@SuppressWarnings("unchecked")
	private static <T extends Message> T strict(String json, Message.Builder builder) throws Exception {
		JsonFormat.parser().merge(json, builder);
		return (T) builder.build();
	}

}
