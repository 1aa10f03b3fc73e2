package dev.polyfence.testing.gce;

import static dev.polyfence.testing.gce.GceClients.allowTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.AbortedException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.compute.v1.Denied;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.ListFirewallsRequest;
import com.google.cloud.compute.v1.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The real FirewallsClient against the fake: each API behaviour on its own. */
class FirewallsClientTest extends ComputeFakeTest {

	@Test
	void insertThenGetReturnsTheRuleWithServerFieldsAndDefaults() throws Exception {
		Operation op = client.insertAsync(PROJECT, allowTcp("web-https", "0.0.0.0/0", "443").build()).get();

		assertThat(op.getStatus()).isEqualTo(Operation.Status.DONE);
		assertThat(op.getOperationType()).isEqualTo("insert");
		assertThat(op.getTargetLink())
			.isEqualTo(ComputeFirewallFake.LINK_BASE + "projects/" + PROJECT + "/global/firewalls/web-https");
		Firewall got = client.get(PROJECT, "web-https");
		assertThat(got.getKind()).isEqualTo("compute#firewall");
		assertThat(got.getId()).isNotZero();
		assertThat(got.getCreationTimestamp()).isNotEmpty();
		assertThat(got.getSelfLink()).isEqualTo(op.getTargetLink());
		assertThat(got.getPriority()).isEqualTo(1000);
		assertThat(got.getDirection()).isEqualTo("INGRESS");
		assertThat(got.hasDisabled()).isTrue();
		assertThat(got.getDisabled()).isFalse();
		assertThat(got.getLogConfig().hasEnable()).isTrue();
		assertThat(got.getLogConfig().getEnable()).isFalse();
		assertThat(got.getNetwork())
			.isEqualTo(ComputeFirewallFake.LINK_BASE + "projects/" + PROJECT + "/global/networks/default");
		assertThat(got.getSourceRangesList()).containsExactly("0.0.0.0/0");
		assertThat(got.getAllowed(0).getIPProtocol()).isEqualTo("tcp");
		assertThat(got.getAllowed(0).getPortsList()).containsExactly("443");
		assertThat(got.getDeniedList()).isEmpty();
	}

	@Test
	void listPagesAcrossPagesInNameOrder() {
		List<String> names = List.of("rule-e", "rule-a", "rule-d", "rule-b", "rule-c");
		for (String name : names) {
			fake.seed(PROJECT, json(allowTcp(name, "10.0.0.0/8", "22").build()));
		}

		List<String> listed = new ArrayList<>();
		int pages = 0;
		for (FirewallsClient.ListPage page : client
			.list(ListFirewallsRequest.newBuilder().setProject(PROJECT).setMaxResults(2).build())
			.iteratePages()) {
			pages++;
			page.getValues().forEach(f -> listed.add(f.getName()));
		}

		assertThat(listed).containsExactly("rule-a", "rule-b", "rule-c", "rule-d", "rule-e");
		assertThat(pages).isEqualTo(3);
		List<ComputeFirewallFake.RecordedRequest> lists = fake.requests();
		assertThat(lists).hasSize(3);
		assertThat(lists.get(0).query()).containsEntry("maxResults", "2").doesNotContainKey("pageToken");
		assertThat(lists.get(1).query()).containsKey("pageToken");
		assertThat(lists.get(2).query()).containsKey("pageToken");
	}

	@Test
	void listOfAnEmptyProjectHasNoItems() {
		assertThat(client.list(PROJECT).iterateAll()).isEmpty();
	}

	@Test
	void patchChangesPriorityAndSourceRangesAndKeepsTheRest() throws Exception {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").setDescription("keep me").build()));
		Firewall before = client.get(PROJECT, "ssh");

		Operation op = client
			.patchAsync(PROJECT, "ssh",
					Firewall.newBuilder()
						.setPriority(900)
						.addSourceRanges("192.0.2.0/24")
						.addSourceRanges("198.51.100.0/24")
						.build())
			.get();

		assertThat(op.getOperationType()).isEqualTo("patch");
		Firewall after = client.get(PROJECT, "ssh");
		assertThat(after.getPriority()).isEqualTo(900);
		assertThat(after.getSourceRangesList()).containsExactly("192.0.2.0/24", "198.51.100.0/24");
		assertThat(after.getDescription()).isEqualTo("keep me");
		assertThat(after.getAllowedList()).isEqualTo(before.getAllowedList());
		assertThat(after.getId()).isEqualTo(before.getId());
		assertThat(after.getCreationTimestamp()).isEqualTo(before.getCreationTimestamp());
	}

	@Test
	void patchArrivesAsPostWithTheMethodOverrideHeader() throws Exception {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		client.patchAsync(PROJECT, "ssh", Firewall.newBuilder().setPriority(900).build()).get();

		ComputeFirewallFake.RecordedRequest patch = fake.requests().get(0);
		assertThat(patch.httpMethod()).isEqualTo("POST");
		assertThat(patch.methodOverride()).isEqualToIgnoringCase("PATCH");
		assertThat(patch.method()).isEqualTo("PATCH");
		assertThat(patch.path()).isEqualTo("/compute/v1/projects/" + PROJECT + "/global/firewalls/ssh");
	}

	@Test
	void patchIsAMergePatchSoAddingDeniedToAnAllowRuleIsRefused() {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		assertThatThrownBy(() -> client
			.patchAsync(PROJECT, "ssh",
					Firewall.newBuilder().addDenied(Denied.newBuilder().setIPProtocol("tcp")).build())
			.get()).isInstanceOf(ExecutionException.class)
			.hasCauseInstanceOf(com.google.api.gax.rpc.InvalidArgumentException.class);
		assertThat(client.get(PROJECT, "ssh").getDeniedList()).isEmpty();
	}

	@Test
	void updateReplacesEveryFieldAndCanSwitchAllowedToDenied() throws Exception {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").setDescription("old").setPriority(500).build()));
		Firewall before = client.get(PROJECT, "ssh");

		Operation op = client
			.updateAsync(PROJECT, "ssh",
					Firewall.newBuilder()
						.setName("ssh")
						.addSourceRanges("10.0.0.0/8")
						.addDenied(Denied.newBuilder().setIPProtocol("tcp").addPorts("22"))
						.build())
			.get();

		assertThat(op.getOperationType()).isEqualTo("update");
		Firewall after = client.get(PROJECT, "ssh");
		assertThat(after.getAllowedList()).isEmpty();
		assertThat(after.getDenied(0).getIPProtocol()).isEqualTo("tcp");
		assertThat(after.getDenied(0).getPortsList()).containsExactly("22");
		assertThat(after.hasDescription()).isFalse();
		assertThat(after.getPriority()).isEqualTo(1000);
		assertThat(after.getId()).isEqualTo(before.getId());
		assertThat(after.getSelfLink()).isEqualTo(before.getSelfLink());
	}

	@Test
	void updateCannotChangeTheDirection() {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		assertThatThrownBy(() -> client
			.updateAsync(PROJECT, "ssh",
					allowTcp("ssh", "10.0.0.0/8", "22").clearSourceRanges()
						.addDestinationRanges("10.0.0.0/8")
						.setDirection("EGRESS")
						.build())
			.get()).hasCauseInstanceOf(com.google.api.gax.rpc.InvalidArgumentException.class);
	}

	@Test
	void deleteRemovesTheRule() throws Exception {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		Operation op = client.deleteAsync(PROJECT, "ssh").get();

		assertThat(op.getOperationType()).isEqualTo("delete");
		assertThat(fake.firewall(PROJECT, "ssh")).isEmpty();
		assertThatThrownBy(() -> client.get(PROJECT, "ssh")).isInstanceOf(NotFoundException.class);
	}

	@Test
	void deleteOfAMissingRuleIsNotFound() {
		assertThatThrownBy(() -> client.deleteAsync(PROJECT, "nope").get()).hasCauseInstanceOf(NotFoundException.class);
	}

	@Test
	void insertOfAnExistingNameIsAbortedWith409AlreadyExists() {
		fake.seed(PROJECT, json(allowTcp("ssh", "10.0.0.0/8", "22").build()));

		ExecutionException thrown = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get());

		assertThat(thrown.getCause()).isInstanceOf(AbortedException.class);
		assertThat(GceClients.httpStatus((ApiException) thrown.getCause())).isEqualTo(409);
		JsonNode error = GceClients.errorBody(thrown).get("error");
		assertThat(error.get("code").asInt()).isEqualTo(409);
		assertThat(error.get("errors").get(0).get("reason").asString()).isEqualTo("alreadyExists");
		assertThat(error.get("message").asString())
			.isEqualTo("The resource 'projects/" + PROJECT + "/global/firewalls/ssh' already exists");
	}

	@Test
	void getOfAMissingRuleIsNotFound() {
		NotFoundException thrown = org.junit.jupiter.api.Assertions.assertThrows(NotFoundException.class,
				() -> client.get(PROJECT, "nope"));

		JsonNode error = GceClients.errorBody(thrown).get("error");
		assertThat(error.get("code").asInt()).isEqualTo(404);
		assertThat(error.get("errors").get(0).get("reason").asString()).isEqualTo("notFound");
	}

	@Test
	void concurrentInsertsAllLandWithDistinctIds() throws Exception {
		List<com.google.api.gax.longrunning.OperationFuture<Operation, Operation>> futures = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			futures.add(client.insertAsync(PROJECT, allowTcp("rule-" + i, "10.0.0.0/8", "22").build()));
		}
		for (var future : futures) {
			assertThat(future.get().getStatus()).isEqualTo(Operation.Status.DONE);
		}

		assertThat(fake.firewallNames(PROJECT)).hasSize(20);
		assertThat(fake.snapshot(PROJECT).values()).extracting(f -> f.get("id").asString()).doesNotHaveDuplicates();
	}

	@Test
	void projectsAreSeparate() throws Exception {
		client.insertAsync("other-project", allowTcp("ssh", "10.0.0.0/8", "22").build()).get();

		assertThat(fake.firewallNames("other-project")).containsExactly("ssh");
		assertThat(fake.firewallNames(PROJECT)).isEmpty();
		assertThatThrownBy(() -> client.get(PROJECT, "ssh")).isInstanceOf(NotFoundException.class);
	}

	static ObjectNode json(Firewall firewall) {
		try {
			String text = com.google.protobuf.util.JsonFormat.printer().print(firewall);
			return (ObjectNode) tools.jackson.databind.json.JsonMapper.builder().build().readTree(text);
		}
		catch (com.google.protobuf.InvalidProtocolBufferException e) {
			throw new IllegalStateException(e);
		}
	}

	static ObjectNode emptyObject() {
		return JsonNodeFactory.instance.objectNode();
	}

}
