package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.denyIn;
import static dev.polyfence.verify.Fixtures.denyOut;
import static dev.polyfence.verify.Fixtures.group;
import static dev.polyfence.verify.Fixtures.ip;
import static dev.polyfence.verify.Fixtures.tcp;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.ManagedTags;
import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlan;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Azure applies change one direction of every NSG before the other. Swapping the defaults
 * narrows outbound and widens inbound, so outbound goes first, each NSG in two PUTs. Two
 * denies moving to the other end of their flows in opposite directions leave no safe
 * order: temporary deny rules ahead of the receiving end hold the flows meanwhile.
 */
class AzureDenyMovesBothWaysTest {

	private static final Bindings BINDINGS = new Bindings(null,
			new Bindings.Azure("sub", "rg", "westeurope", 100,
					Map.of("web", new Bindings.AzureGroup("web-nsg", "web-asg", List.of(ip("10.0.1.0/24"))), "app",
							new Bindings.AzureGroup("app-nsg", "app-asg", List.of(ip("10.0.2.0/24"))))),
			null);

	private static final Flow DB = Flow.tcp(workload("web", "10.0.1.5"), workload("app", "10.0.2.5"), 5432);

	private static final Flow SSH = Flow.tcp(workload("app", "10.0.2.5"), workload("web", "10.0.1.5"), 22);

	private static final Flow HTTPS = Flow.tcp(workload("web", "10.0.1.5"), workload("app", "10.0.2.5"), 443);

	private final AzurePlanner planner = new AzurePlanner();

	@Test
	void swappedDefaultsChangeOutboundFirstThenInbound() {
		Policy before = Fixtures.policy("swap", Fixtures.defaults(Action.DENY, Action.ALLOW), Map.of(),
				List.of("web", "app"));
		Policy after = Fixtures.policy("swap", Fixtures.defaults(Action.ALLOW, Action.DENY), Map.of(),
				List.of("web", "app"));
		Map<String, NetworkSecurityGroup> nsgs = applied(before);
		AzurePlan plan = plan(after, nsgs);

		assertThat(plan.findings()).isEmpty();
		assertThat(plan.operations()).hasSize(4);
		for (AzureChange change : plan.operations()) {
			put(nsgs, (AzureChange.PutNetworkSecurityGroup) change, UnaryOperator.identity());
			AzureEvaluator now = new AzureEvaluator(after, BINDINGS, new AzureOutput(List.copyOf(nsgs.values())));
			assertThat(now.evaluate(HTTPS).allowed()).as("after %s", change).isFalse();
			assertThat(now.evaluate(SSH).allowed()).as("after %s", change).isFalse();
		}
	}

	@Test
	void temporaryRulesHoldTheFlowsThatNoOrderKeepsDenied() {
		Map<String, NetworkSecurityGroup> nsgs = applied(before());
		AzurePlan plan = plan(after(), nsgs);

		assertThat(plan.findings()).isEmpty();
		assertThat(plan.operations()).anyMatch(c -> ((AzureChange.PutNetworkSecurityGroup) c).rules()
			.stream()
			.anyMatch(r -> r.name().startsWith("polyfence_guard_")));
		for (AzureChange change : plan.operations()) {
			put(nsgs, (AzureChange.PutNetworkSecurityGroup) change, UnaryOperator.identity());
			AzureEvaluator now = new AzureEvaluator(after(), BINDINGS, new AzureOutput(List.copyOf(nsgs.values())));
			assertThat(now.evaluate(DB).allowed()).as("%s after %s", DB, change).isFalse();
			assertThat(now.evaluate(SSH).allowed()).as("%s after %s", SSH, change).isFalse();
			assertThat(now.evaluate(HTTPS).allowed()).as("%s after %s", HTTPS, change).isTrue();
		}
		assertThat(plan(after(), nsgs).operations()).isEmpty();
	}

	@Test
	void withoutThemOneOfTheFlowsPassesMidway() {
		Map<String, NetworkSecurityGroup> nsgs = applied(before());
		AzurePlan plan = plan(after(), nsgs);
		List<String> passed = new ArrayList<>();
		for (AzureChange change : plan.operations()) {
			put(nsgs, (AzureChange.PutNetworkSecurityGroup) change,
					rules -> rules.stream().filter(r -> !r.name().startsWith("polyfence_guard_")).toList());
			AzureEvaluator now = new AzureEvaluator(after(), BINDINGS, new AzureOutput(List.copyOf(nsgs.values())));
			for (Flow flow : List.of(DB, SSH)) {
				if (now.evaluate(flow).allowed()) {
					passed.add(flow + " after " + change);
				}
			}
		}
		assertThat(passed).isNotEmpty();
	}

	private static Policy before() {
		return Fixtures.policy("moves", Fixtures.defaults(Action.ALLOW, Action.ALLOW), Map.of(), List.of("web", "app"),
				denyOut("db-port", "web", List.of(group("app")), tcp("5432")),
				denyIn("ssh", "web", List.of(group("app")), tcp("22")));
	}

	private static Policy after() {
		return Fixtures.policy("moves", Fixtures.defaults(Action.ALLOW, Action.ALLOW), Map.of(), List.of("web", "app"),
				denyIn("db-port", "app", List.of(group("web")), tcp("5432")),
				denyOut("ssh", "app", List.of(group("web")), tcp("22")));
	}

	private static Map<String, NetworkSecurityGroup> applied(Policy policy) {
		Map<String, NetworkSecurityGroup> nsgs = new LinkedHashMap<>();
		new AzureTranslator().translate(policy, BINDINGS)
			.output()
			.networkSecurityGroups()
			.forEach(n -> nsgs.put(n.name(), n));
		return nsgs;
	}

	private AzurePlan plan(Policy policy, Map<String, NetworkSecurityGroup> nsgs) {
		AzureOutput desired = new AzureTranslator().translate(policy, BINDINGS).output();
		List<AzureLiveState.LiveNsg> live = new ArrayList<>();
		nsgs.values()
			.forEach(n -> live.add(new AzureLiveState.LiveNsg("/nsg/" + n.name(), n.name(), n.location(),
					ManagedTags.of(policy.name(), n.group()), n.properties().securityRules())));
		return planner.plan(policy, BINDINGS.azure(), desired, new AzureLiveState("sub", "rg", live));
	}

	private static void put(Map<String, NetworkSecurityGroup> nsgs, AzureChange.PutNetworkSecurityGroup put,
			UnaryOperator<List<SecurityRule>> rules) {
		nsgs.put(put.name(), new NetworkSecurityGroup(put.group(), put.name(), put.location(),
				new NetworkSecurityGroup.Properties(rules.apply(put.rules()))));
	}

}
