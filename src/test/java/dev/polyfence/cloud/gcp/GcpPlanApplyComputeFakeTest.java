package dev.polyfence.cloud.gcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.InMemoryPlanStore;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.TargetLocks;
import dev.polyfence.app.TranslationService;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plan and apply on GCP end to end: the use cases over {@link ComputeGcpEnvironment}, the real
 * FirewallsClient, and the project's stateful Compute firewall fake over HTTP.
 */
class GcpPlanApplyComputeFakeTest {

	private static final String PROJECT = "shop-prod";

	private ComputeFirewallFake compute;

	private FirewallsClient client;

	private PlanService plans;

	private ApplyService applies;

	private DocumentParser parser;

	private PolicyRequest request;

	@BeforeEach
	void setUp() throws IOException {
		compute = ComputeFirewallFake.start();
		client = GceClients.client(compute);
		ComputeGcpEnvironment gcp = new ComputeGcpEnvironment(client);
		PlanStore store = new InMemoryPlanStore();
		plans = new PlanService(new TranslationService(), null, null, gcp, store, Clock.systemUTC(), Duration.ofHours(1));
		applies = new ApplyService(store, null, null, gcp, new TargetLocks(), Clock.systemUTC());
		parser = new DocumentParser();
		request = request(parser.parsePolicy(resource("/policies/three-tier.yaml")));
	}

	@AfterEach
	void tearDown() {
		client.close();
		compute.close();
	}

	@Test
	void planOnAnEmptyNetworkApplyAndTheNextPlanIsEmpty() {
		Plan plan = plans.plan(request);
		assertThat(plan.hasErrors()).as("%s", plan.findings()).isFalse();

		ApplyRecord record = applies.apply(plan.id());

		assertThat(record.status()).as("%s", record.steps()).isEqualTo("succeeded");
		assertThat(compute.firewallNames(PROJECT)).contains("shop-web-from-internet", "shop-db-from-partners");
		Plan again = plans.plan(request);
		assertThat(again.changes()).as("changes after apply: %s", again.changes()).isEmpty();
	}

	@Test
	void aChangedPolicyIsAppliedThroughCopiesThatAreGoneAfterwards() throws IOException {
		applies.apply(plans.plan(request).id());
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

		Plan plan = plans.plan(changed);
		assertThat(plan.changes()).anyMatch(c -> c.resource().endsWith("-old"));
		assertThat(applies.apply(plan.id()).status()).isEqualTo("succeeded");

		assertThat(compute.firewallNames(PROJECT)).noneMatch(n -> n.endsWith("-old")).contains("shop-ssh-blocked");
		assertThat(plans.plan(changed).changes()).isEmpty();
	}

	@Test
	void aForeignRuleIsListedAndLeftAloneAndAStalePlanIsRefused() throws Exception {
		client.insertAsync(PROJECT, Firewall.newBuilder().setName("legacy-ssh").setNetwork(
				"projects/shop-prod/global/networks/shop-vpc").setDirection("INGRESS").setPriority(100)
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcp").addPorts("22")).addSourceRanges("0.0.0.0/0").build())
			.get();
		Plan plan = plans.plan(request);
		assertThat(plan.foreign()).anyMatch(f -> f.name().equals("legacy-ssh"));
		applies.apply(plan.id());
		assertThat(compute.firewall(PROJECT, "legacy-ssh")).isPresent();

		Plan next = plans.plan(request);
		client.deleteAsync(PROJECT, "shop-web-from-internet").get();
		assertThatThrownBy(() -> applies.apply(next.id())).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.STALE));
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
