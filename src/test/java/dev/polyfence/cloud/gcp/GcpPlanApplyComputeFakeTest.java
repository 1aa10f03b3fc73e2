package dev.polyfence.cloud.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.GcpEnvironment;
import dev.polyfence.app.Clouds;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.verify.PolicyDocument;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.TranslationService;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.gce.ComputeFirewallFake;
import dev.polyfence.testing.gce.GceClients;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plan and apply on GCP end to end: the use cases over {@link ComputeGcpEnvironment}, the
 * real FirewallsClient, and the project's stateful Compute firewall fake over HTTP.
 */
class GcpPlanApplyComputeFakeTest {

	private static final String PROJECT = "shop-prod";

	private ComputeFirewallFake compute;

	private FirewallsClient client;

	private PlanService plans;

	private ApplyService applies;

	private DocumentParser parser;

	private int throttleAt = -1;

	private int failAt = -1;

	private PolicyRequest request;

	@BeforeEach
	void setUp() throws IOException {
		compute = ComputeFirewallFake.start();
		client = GceClients.client(compute);
		ComputeGcpEnvironment real = new ComputeGcpEnvironment(client, Duration.ofMillis(5), Duration.ofMillis(50));
		GcpEnvironment gcp = new GcpEnvironment() {
			@Override
			public GcpLiveState read(String project, String network) {
				return real.read(project, network);
			}

			@Override
			public ChangeRunner runner(String project, String network) {
				ChangeRunner runner = real.runner(project, network);
				AtomicInteger calls = new AtomicInteger();
				return change -> {
					int call = calls.getAndIncrement();
					if (call == throttleAt) {
						compute.failNext(2, 429);
					}
					if (call == throttleAt + 1) {
						compute.failNext(2, 503);
					}
					if (call == failAt) {
						compute.failNextOperation(400, "invalid", "injected failure");
					}
					return runner.run(change);
				};
			}
		};
		Stores stores = Stores.h2(Clock.systemUTC());
		parser = new DocumentParser();
		plans = new PlanService(parser, new TranslationService(), Clouds.gcp(gcp), stores.plans(), stores.audit(),
				Clock.systemUTC(), Duration.ofHours(1));
		applies = new ApplyService(parser, new TranslationService(), Clouds.gcp(gcp), stores.plans(), stores.locks(),
				stores.audit(), Clock.systemUTC(), "test");
		request = request(parser.parsePolicy(resource("/policies/three-tier.yaml")));
	}

	@AfterEach
	void tearDown() {
		client.close();
		compute.close();
	}

	@Test
	void planOnAnEmptyNetworkApplyAndTheNextPlanIsEmpty() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		assertThat(plan.hasErrors()).as("%s", plan.findings()).isFalse();

		ApplyRecord record = applies.apply(plan.id(), "test");

		assertThat(record.status()).as("%s", record.steps()).isEqualTo("succeeded");
		assertThat(compute.firewallNames(PROJECT)).contains("shop-web-from-internet", "shop-db-from-partners");
		Plan again = plans.plan(PolicyDocument.document(request), "test");
		assertThat(again.changes()).as("changes after apply: %s", again.changes()).isEmpty();
	}

	@Test
	void aChangedPolicyIsAppliedThroughCopiesThatAreGoneAfterwards() throws IOException {
		applies.apply(plans.plan(PolicyDocument.document(request), "test").id(), "test");
		String text = resource("/policies/three-tier.yaml").replace("ports: [\"80\", \"443\"]", "ports: [\"443\"]")
				+ """
						    - name: ssh-blocked
						      action: deny
						      direction: ingress
						      appliesTo: [web]
						      peers: [{any: true}]
						      services: [{protocol: tcp, ports: ["22"]}]
						""";
		PolicyRequest changed = request(parser.parsePolicy(text));

		Plan plan = plans.plan(PolicyDocument.document(changed), "test");
		assertThat(plan.changes()).anyMatch(c -> c.resource().endsWith("-old"));
		assertThat(applies.apply(plan.id(), "test").status()).isEqualTo("succeeded");

		assertThat(compute.firewallNames(PROJECT)).noneMatch(n -> n.endsWith("-old")).contains("shop-ssh-blocked");
		assertThat(plans.plan(PolicyDocument.document(changed), "test").changes()).isEmpty();
	}

	@Test
	void aForeignRuleIsListedAndLeftAloneAndAStalePlanIsRefused() throws Exception {
		client
			.insertAsync(PROJECT,
					Firewall.newBuilder()
						.setName("legacy-ssh")
						.setNetwork("projects/shop-prod/global/networks/shop-vpc")
						.setDirection("INGRESS")
						.setPriority(100)
						.addAllowed(Allowed.newBuilder().setIPProtocol("tcp").addPorts("22"))
						.addSourceRanges("0.0.0.0/0")
						.build())
			.get();
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		assertThat(plan.foreign()).anyMatch(f -> f.name().equals("legacy-ssh"));
		applies.apply(plan.id(), "test");
		assertThat(compute.firewall(PROJECT, "legacy-ssh")).isPresent();

		Plan next = plans.plan(PolicyDocument.document(request), "test");
		client.deleteAsync(PROJECT, "shop-web-from-internet").get();
		assertThatThrownBy(() -> applies.apply(next.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.STALE));
	}

	@Test
	void throttlingAndServerErrorsOnChangesAreRetriedWithBackoff() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		throttleAt = 1;

		ApplyRecord record = applies.apply(plan.id(), "test");

		assertThat(record.status()).as("%s", record.steps()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request), "test").changes()).isEmpty();
	}

	@Test
	void aFailureMidwayIsRecordedAndAFreshPlanAndApplyRepairIt() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		failAt = plan.gcp().plan().operations().size() / 2;

		ApplyRecord failed = applies.apply(plan.id(), "test");

		assertThat(failed.status()).isEqualTo("failed");
		assertThat(failed.steps()).as("calls of one wave run at once; the failed one may be any of them")
			.anySatisfy(step -> assertThat(step.error()).contains("INVALID_ARGUMENT"));
		failAt = -1;
		Plan repair = plans.plan(PolicyDocument.document(request), "test");
		assertThat(repair.hasErrors()).isFalse();
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request), "test").changes()).isEmpty();
	}

	@Test
	void driftMadeOutOfBandIsShownAndRepaired() throws Exception {
		applies.apply(plans.plan(PolicyDocument.document(request), "test").id(), "test");
		client
			.patchAsync(PROJECT, "shop-web-from-internet",
					Firewall.newBuilder().addAllowed(Allowed.newBuilder().setIPProtocol("tcp").addPorts("22")).build())
			.get();

		Plan repair = plans.plan(PolicyDocument.document(request), "test");

		assertThat(repair.changes()).isNotEmpty().anyMatch(c -> c.resource().equals("shop-web-from-internet"));
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request), "test").changes()).isEmpty();
	}

	@Test
	void aLimitBreachIsAnErrorFindingAndNothingIsSent() throws IOException {
		var bindings = parser.parseBindings(
				resource("/policies/three-tier-bindings.yaml").replace("priorityBase: 500", "priorityBase: 65533"));
		Plan plan = plans
			.plan(PolicyDocument.document(new PolicyRequest(request.policy(), bindings, request.targets())), "test");
		assertThat(plan.findings()).anyMatch(f -> f.code().equals("GCP_PRIORITY_BAND"));
		int sent = compute.requests().size();

		assertThatThrownBy(() -> applies.apply(plan.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.HAS_ERRORS));
		assertThat(compute.requests()).hasSize(sent);
	}

	private PolicyRequest request(Policy policy) throws IOException {
		return new PolicyRequest(policy, parser.parseBindings(resource("/policies/three-tier-bindings.yaml")),
				EnumSet.of(Cloud.GCP));
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = GcpPlanApplyComputeFakeTest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
