package dev.polyfence.cloud.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.network.NetworkManager;
import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.AzureEnvironment;
import dev.polyfence.app.Clouds;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.verify.PolicyDocument;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.TranslationService;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.arm.ArmNsgFake;
import dev.polyfence.testing.arm.ArmSdk;
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
 * Plan and apply on Azure end to end: the use cases over {@link ArmAzureEnvironment}, the
 * real azure-resourcemanager-network client, and the project's stateful ARM fake over
 * HTTP.
 */
class AzurePlanApplyArmFakeTest {

	private static final String SUBSCRIPTION = "5a4b3c2d-1e0f-4a5b-8c7d-6e5f4a3b2c1d";

	private ArmNsgFake arm;

	private PlanService plans;

	private ApplyService applies;

	private PolicyRequest request;

	private int failAt = -1;

	@BeforeEach
	void setUp() throws IOException {
		arm = ArmNsgFake.start();
		ArmAzureEnvironment real = new ArmAzureEnvironment(
				subscription -> NetworkManager.authenticate(ArmSdk.pipeline(),
						new AzureProfile(ArmSdk.TENANT, subscription, ArmSdk.profile(arm).getEnvironment())));
		AzureEnvironment azure = new AzureEnvironment() {
			@Override
			public AzureLiveState read(String subscription, String resourceGroup) {
				return real.read(subscription, resourceGroup);
			}

			@Override
			public ChangeRunner runner(String subscription, String resourceGroup) {
				ChangeRunner runner = real.runner(subscription, resourceGroup);
				AtomicInteger calls = new AtomicInteger();
				return change -> {
					if (calls.getAndIncrement() == failAt) {
						arm.failNext(4, 503); // the SDK's default retry policy makes 4
												// attempts
					}
					return runner.run(change);
				};
			}
		};
		Stores stores = Stores.h2(Clock.systemUTC());
		DocumentParser parser = new DocumentParser();
		plans = new PlanService(parser, new TranslationService(), Clouds.azure(azure), stores.plans(), stores.audit(),
				Clock.systemUTC(), Duration.ofHours(1));
		applies = new ApplyService(parser, new TranslationService(), Clouds.azure(azure), stores.plans(),
				stores.locks(), stores.audit(), Clock.systemUTC(), "test");
		var policy = parser.parsePolicy(resource("/policies/three-tier.yaml"));
		var bindings = parser.parseBindings(resource("/policies/three-tier-bindings.yaml"));
		request = new PolicyRequest(policy, bindings, EnumSet.of(Cloud.AZURE));
	}

	@AfterEach
	void tearDown() {
		arm.close();
	}

	@Test
	void planOnAnEmptyResourceGroupApplyAndTheNextPlanIsEmpty() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		assertThat(plan.hasErrors()).as("%s", plan.findings()).isFalse();
		assertThat(plan.summary().create()).isPositive();

		ApplyRecord record = applies.apply(plan.id(), "test");

		assertThat(record.status()).as("%s", record.steps()).isEqualTo("succeeded");
		assertThat(record.steps()).hasSize(3);
		assertThat(arm.nsgNames(SUBSCRIPTION, "shop-rg")).containsExactlyInAnyOrder("shop-web", "shop-app", "shop-db");
		Plan again = plans.plan(PolicyDocument.document(request), "test");
		assertThat(again.changes()).as("changes after apply: %s", again.changes()).isEmpty();
	}

	@Test
	void aForeignNsgIsListedAndLeftAloneAndDriftIsRepaired() {
		arm.seed(SUBSCRIPTION, "shop-rg", """
				{"name": "legacy", "location": "germanywestcentral", "properties": {"securityRules": [
				  {"name": "ssh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow",
				   "protocol": "Tcp", "sourceAddressPrefix": "*", "sourcePortRange": "*",
				   "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}""");
		applies.apply(plans.plan(PolicyDocument.document(request), "test").id(), "test");
		String legacy = arm.nsg(SUBSCRIPTION, "shop-rg", "legacy").orElseThrow().toString();
		arm.seed(SUBSCRIPTION, "shop-rg",
				arm.nsg(SUBSCRIPTION, "shop-rg", "shop-web")
					.orElseThrow()
					.toString()
					.replace("\"priority\":1000", "\"priority\":1001"));

		Plan repair = plans.plan(PolicyDocument.document(request), "test");

		assertThat(repair.foreign()).anyMatch(f -> f.name().equals("legacy"));
		assertThat(repair.changes()).isNotEmpty().allMatch(c -> c.group().equals("web"));
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request), "test").changes()).isEmpty();
		assertThat(arm.nsg(SUBSCRIPTION, "shop-rg", "legacy").orElseThrow().toString()).isEqualTo(legacy);
	}

	@Test
	void aStalePlanIsRefused() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		arm.seed(SUBSCRIPTION, "shop-rg", """
				{"name": "shop-app", "location": "germanywestcentral", "properties": {"securityRules": []}}""");

		assertThatThrownBy(() -> applies.apply(plan.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.STALE));
	}

	@Test
	void throttlingIsRetriedBySdk() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		arm.failNext(1, 429);

		assertThat(applies.apply(plan.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request), "test").changes()).isEmpty();
	}

	@Test
	void serverErrorsAreRetriedAndAFailureMidwayIsRepairedByAFreshPlan() {
		Plan plan = plans.plan(PolicyDocument.document(request), "test");
		arm.failNext(1, 503);
		assertThat(applies.apply(plan.id(), "test").status()).isEqualTo("succeeded");

		PolicyRequest changed = new PolicyRequest(withoutRule(request.policy(), "block-bad-range-in"),
				request.bindings(), request.targets());
		Plan next = plans.plan(PolicyDocument.document(changed), "test");
		assertThat(next.aws()).isNull();
		failAt = 1;
		ApplyRecord failed = applies.apply(next.id(), "test");
		assertThat(failed.status()).isEqualTo("failed");
		failAt = -1;
		Plan repair = plans.plan(PolicyDocument.document(changed), "test");
		assertThat(repair.hasErrors()).as("%s", repair.findings()).isFalse();
		assertThat(repair.changes()).isNotEmpty();
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(changed), "test").changes()).isEmpty();
	}

	@Test
	void aLimitBreachIsAnErrorFindingAndNothingIsSent() throws IOException {
		var bindings = new DocumentParser().parseBindings(
				resource("/policies/three-tier-bindings.yaml").replace("priorityBase: 1000", "priorityBase: 4095"));
		PolicyRequest crowded = new PolicyRequest(request.policy(), bindings, request.targets());
		Plan plan = plans.plan(PolicyDocument.document(crowded), "test");
		assertThat(plan.findings()).anyMatch(f -> f.code().equals("AZURE_PRIORITY_BAND"));
		int sent = arm.requestCount();

		assertThatThrownBy(() -> applies.apply(plan.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.HAS_ERRORS));
		assertThat(arm.requestCount()).isEqualTo(sent);
	}

	private static dev.polyfence.policy.Policy withoutRule(dev.polyfence.policy.Policy p, String name) {
		return new dev.polyfence.policy.Policy(p.name(), p.description(), p.defaults(), p.addressSets(), p.groups(),
				p.rules().stream().filter(r -> !r.name().equals(name)).toList());
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = AzurePlanApplyArmFakeTest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
