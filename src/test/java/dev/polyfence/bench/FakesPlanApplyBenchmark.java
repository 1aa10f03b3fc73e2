package dev.polyfence.bench;

import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.Clouds;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.verify.PolicyDocument;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.TranslationService;
import dev.polyfence.cloud.azure.ArmAzureEnvironment;
import dev.polyfence.cloud.gcp.ComputeGcpEnvironment;
import dev.polyfence.policy.Cloud;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.arm.ArmNsgFake;
import dev.polyfence.testing.arm.ArmSdk;
import dev.polyfence.testing.gce.ComputeFirewallFake;
import dev.polyfence.testing.gce.GceClients;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.network.NetworkManager;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;

/**
 * Plan and apply of a generated 1,000-rule, 50-group policy on Azure and GCP through the
 * real SDKs against the project's fakes, printing wall times and write calls next to the
 * lower bound: one PUT per NSG on Azure, one insert per firewall rule on GCP. Run apart
 * from the tests: {@code scripts/benchmark-plan-apply-fakes.sh}.
 */
public final class FakesPlanApplyBenchmark {

	public static void main(String[] args) throws Exception {
		int rules = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
		int groups = args.length > 1 ? Integer.parseInt(args[1]) : 50;
		BenchmarkPolicies.Case c = BenchmarkPolicies.generate(rules, groups, 42);
		try (ArmNsgFake arm = ArmNsgFake.start();
				ComputeFirewallFake compute = ComputeFirewallFake.start();
				FirewallsClient firewalls = GceClients.client(compute)) {
			ArmAzureEnvironment azure = new ArmAzureEnvironment(
					subscription -> NetworkManager.authenticate(ArmSdk.pipeline(),
							new AzureProfile(ArmSdk.TENANT, subscription, ArmSdk.profile(arm).getEnvironment())));
			ComputeGcpEnvironment gcp = new ComputeGcpEnvironment(firewalls);
			Stores stores = Stores.h2(Clock.systemUTC());
			DocumentParser parser = new DocumentParser();
			Clouds clouds = new Clouds(null, azure, gcp);
			PlanService plans = new PlanService(parser, new TranslationService(), clouds, stores.plans(),
					stores.audit(), Clock.systemUTC(), Duration.ofHours(1));
			ApplyService applies = new ApplyService(parser, new TranslationService(), clouds, stores.plans(),
					stores.locks(), stores.audit(), Clock.systemUTC(), "bench");
			for (Cloud cloud : new Cloud[] { Cloud.AZURE, Cloud.GCP }) {
				PolicyRequest request = new PolicyRequest(c.policy(), c.bindings(), EnumSet.of(cloud));
				int before = cloud == Cloud.AZURE ? arm.requestCount() : compute.requests().size();
				long t0 = System.nanoTime();
				Plan plan = plans.plan(PolicyDocument.document(request), "test");
				long t1 = System.nanoTime();
				if (plan.hasErrors()) {
					System.out.println(cloud.wire() + ": plan has errors: "
							+ plan.findings().stream().filter(f -> f.severity().wire().equals("error")).toList());
					continue;
				}
				int planned = cloud == Cloud.AZURE ? arm.requestCount() : compute.requests().size();
				ApplyRecord record = applies.apply(plan.id(), "test");
				long t2 = System.nanoTime();
				int applied = cloud == Cloud.AZURE ? arm.requestCount() : compute.requests().size();
				Plan again = plans.plan(PolicyDocument.document(request), "test");
				long t3 = System.nanoTime();
				int operations = cloud == Cloud.AZURE ? plan.azure().plan().operations().size()
						: plan.gcp().plan().operations().size();
				int lowerBound = cloud == Cloud.AZURE ? plan.azure().desired().networkSecurityGroups().size()
						: plan.gcp().desired().firewalls().size();
				System.out.printf(Locale.ROOT,
						"%s: plan %.0f ms (%d requests) | apply %s %.0f ms, %d operations, %d requests incl. the staleness read (lower bound %d %s) | re-plan %.0f ms, %d changes%n",
						cloud.wire(), (t1 - t0) / 1e6, planned - before, record.status(), (t2 - t1) / 1e6, operations,
						applied - planned, lowerBound,
						cloud == Cloud.AZURE ? "PUTs, one per NSG" : "inserts, one per rule", (t3 - t2) / 1e6,
						again.changes().size());
			}
		}
	}

}
