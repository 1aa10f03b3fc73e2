package dev.polyfence.testing.gce;

import static dev.polyfence.testing.gce.GceClients.allowTcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.api.gax.longrunning.OperationFuture;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.PermissionDeniedException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.StatusCode;
import com.google.api.gax.rpc.UnavailableException;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.Operation;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Global operations polled to DONE, and injected 429/503 faults as the real client meets
 * them.
 */
class OperationsAndFaultsTest extends ComputeFakeTest {

	@Test
	void byDefaultAMutationAnswersDoneAndTheClientDoesNotPoll() throws Exception {
		Operation op = client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get();

		assertThat(op.getStatus()).isEqualTo(Operation.Status.DONE);
		assertThat(op.getProgress()).isEqualTo(100);
		assertThat(op.hasEndTime()).isTrue();
		assertThat(fake.requests()).extracting(ComputeFirewallFake.RecordedRequest::method).containsExactly("POST");
	}

	@Test
	void anOperationRunningOnceCompletesThroughOnePoll() throws Exception {
		fake.setRunningPolls(1);

		OperationFuture<Operation, Operation> future = client.insertAsync(PROJECT,
				allowTcp("ssh", "10.0.0.0/8", "22").build());
		Operation done = future.get();

		Operation initial = (Operation) future.getInitialFuture().get().getResponse();
		assertThat(initial.getStatus()).isEqualTo(Operation.Status.RUNNING);
		assertThat(initial.getKind()).isEqualTo("compute#operation");
		assertThat(done.getStatus()).isEqualTo(Operation.Status.DONE);
		assertThat(done.getName()).isEqualTo(initial.getName());
		List<ComputeFirewallFake.RecordedRequest> requests = fake.requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(1).method()).isEqualTo("GET");
		assertThat(requests.get(1).path())
			.isEqualTo("/compute/v1/projects/" + PROJECT + "/global/operations/" + initial.getName());
		assertThat(fake.operation(PROJECT, initial.getName()).orElseThrow().get("status").asString()).isEqualTo("DONE");
	}

	@Test
	void anOperationRunningTwiceNeedsTwoPolls() throws Exception {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));
		fake.setRunningPolls(2);

		Operation done = client.deleteAsync(PROJECT, "ssh").get();

		assertThat(done.getStatus()).isEqualTo(Operation.Status.DONE);
		assertThat(fake.requests()).extracting(ComputeFirewallFake.RecordedRequest::method)
			.containsExactly("DELETE", "GET", "GET");
	}

	@Test
	void aGetAnswered503IsRetriedByTheClient() {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));
		fake.failNext(2, 503);

		Firewall got = client.get(PROJECT, "ssh");

		assertThat(got.getName()).isEqualTo("ssh");
		assertThat(fake.requests()).hasSize(3);
	}

	@Test
	void anInsertAnswered429FailsWithoutRetryAndStoresNothing() {
		fake.failNext(1, 429);

		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get());

		assertThat(thrown.getCause()).isInstanceOf(ResourceExhaustedException.class);
		assertThat(GceClients.errorBody(thrown).get("error").get("errors").get(0).get("reason").asString())
			.isEqualTo("rateLimitExceeded");
		assertThat(fake.requests()).hasSize(1);
		assertThat(fake.firewallNames(PROJECT)).isEmpty();
	}

	@Test
	void anInsertAnswered503FailsWithoutRetry() {
		fake.failNext(1, 503);

		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get());

		assertThat(thrown.getCause()).isInstanceOf(UnavailableException.class);
		assertThat(fake.requests()).hasSize(1);
	}

	@Test
	void faultsAreUsedUpThenRequestsSucceed() throws Exception {
		fake.failNext(1, 429);
		assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get());

		client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get();

		assertThat(fake.firewallNames(PROJECT)).containsExactly("ssh");
	}

	@Test
	void aFailureReportedThroughTheOperationFailsTheFutureAndChangesNothing() {
		fake.setRunningPolls(1);
		fake.failNextOperation(403, "QUOTA_EXCEEDED", "Quota 'FIREWALLS' exceeded.  Limit: 100.0 globally.");

		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("ssh", "10.0.0.0/8", "22").build()).get());

		assertThat(thrown.getCause()).isInstanceOf(ApiException.class);
		assertThat(((ApiException) thrown.getCause()).getStatusCode().getCode())
			.isEqualTo(StatusCode.Code.PERMISSION_DENIED);
		assertThat(fake.firewallNames(PROJECT)).isEmpty();
		ComputeFirewallFake.RecordedRequest poll = fake.requests().get(1);
		JsonNode op = fake.operation(PROJECT, poll.path().substring(poll.path().lastIndexOf('/') + 1)).orElseThrow();
		assertThat(op.get("status").asString()).isEqualTo("DONE");
		assertThat(op.get("error").get("errors").get(0).get("code").asString()).isEqualTo("QUOTA_EXCEEDED");
		assertThat(op.get("httpErrorStatusCode").asInt()).isEqualTo(403);
	}

	@Test
	void aFailedDeleteOperationLeavesTheRule() {
		fake.seed(PROJECT, FirewallsClientTest.json(allowTcp("ssh", "10.0.0.0/8", "22").build()));
		fake.failNextOperation(412, "CONDITION_NOT_MET", "busy");

		assertThrows(ExecutionException.class, () -> client.deleteAsync(PROJECT, "ssh").get());

		assertThat(fake.firewallNames(PROJECT)).containsExactly("ssh");
	}

	@Test
	void insertsPastTheFirewallQuotaAreRefusedWith403QuotaExceeded() throws Exception {
		fake.setFirewallQuota(1);
		client.insertAsync(PROJECT, allowTcp("one", "10.0.0.0/8", "22").build()).get();

		ExecutionException thrown = assertThrows(ExecutionException.class,
				() -> client.insertAsync(PROJECT, allowTcp("two", "10.0.0.0/8", "22").build()).get());

		assertThat(thrown.getCause()).isInstanceOf(PermissionDeniedException.class);
		JsonNode error = GceClients.errorBody(thrown).get("error");
		assertThat(error.get("errors").get(0).get("reason").asString()).isEqualTo("quotaExceeded");
		assertThat(error.get("message").asString()).startsWith("Quota 'FIREWALLS' exceeded.");
		assertThat(fake.firewallNames(PROJECT)).containsExactly("one");
	}

}
