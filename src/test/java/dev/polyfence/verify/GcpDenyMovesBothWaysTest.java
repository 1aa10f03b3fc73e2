package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.denyIn;
import static dev.polyfence.verify.Fixtures.denyOut;
import static dev.polyfence.verify.Fixtures.group;
import static dev.polyfence.verify.Fixtures.ip;
import static dev.polyfence.verify.Fixtures.tcp;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import dev.polyfence.translate.gcp.Firewall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two denies move to the other end of their flows in opposite directions at once: web's
 * egress deny of app on 5432 becomes app's ingress deny of web, and web's ingress deny of
 * app on 22 becomes app's egress deny of web. Whichever direction moves first, one of the
 * two flows would pass midway; the plan holds it with a temporary firewall.
 */
class GcpDenyMovesBothWaysTest {

	private static final Bindings BINDINGS = new Bindings(null, null,
			new Bindings.Gcp("p", "net", 1000,
					Map.of("web", new Bindings.GcpGroup(List.of("web"), null, List.of(ip("10.0.1.0/24"))), "app",
							new Bindings.GcpGroup(List.of("app"), null, List.of(ip("10.0.2.0/24"))))));

	private static final Policy BEFORE = Fixtures.policy("moves", Fixtures.defaults(Action.ALLOW, Action.ALLOW),
			Map.of(), List.of("web", "app"), denyOut("db-port", "web", List.of(group("app")), tcp("5432")),
			denyIn("ssh", "web", List.of(group("app")), tcp("22")));

	private static final Policy AFTER = Fixtures.policy("moves", Fixtures.defaults(Action.ALLOW, Action.ALLOW),
			Map.of(), List.of("web", "app"), denyIn("db-port", "app", List.of(group("web")), tcp("5432")),
			denyOut("ssh", "app", List.of(group("web")), tcp("22")));

	private static final Flow DB = Flow.tcp(workload("web", "10.0.1.5"), workload("app", "10.0.2.5"), 5432);

	private static final Flow SSH = Flow.tcp(workload("app", "10.0.2.5"), workload("web", "10.0.1.5"), 22);

	private static final Flow HTTPS = Flow.tcp(workload("web", "10.0.1.5"), workload("app", "10.0.2.5"), 443);

	private final GcpPlanner planner = new GcpPlanner();

	@Test
	void temporaryFirewallsHoldTheFlowsThatNoOrderKeepsDenied() {
		Map<String, Firewall> network = applied(BEFORE);
		GcpOutput next = new GcpTranslator().translate(AFTER, BINDINGS).output();
		GcpPlan plan = planner.plan(AFTER, BINDINGS.gcp(), next, GcpApplyStepSafetyTest.live(network));

		assertThat(plan.findings()).isEmpty();
		List<Firewall> guards = plan.operations()
			.stream()
			.filter(c -> c instanceof GcpChange.Insert i && i.name().startsWith("moves-guard-"))
			.map(c -> ((GcpChange.Insert) c).firewall())
			.toList();
		assertThat(guards).isNotEmpty().allMatch(g -> g.priority() == 0 && !g.isAllow());
		for (GcpChange change : plan.operations()) {
			GcpApplyStepSafetyTest.apply(network, change);
			GcpEvaluator now = new GcpEvaluator(AFTER, BINDINGS, new GcpOutput(List.copyOf(network.values())));
			assertThat(now.evaluate(DB).allowed()).as("%s after %s", DB, change).isFalse();
			assertThat(now.evaluate(SSH).allowed()).as("%s after %s", SSH, change).isFalse();
			assertThat(now.evaluate(HTTPS).allowed()).as("%s after %s", HTTPS, change).isTrue();
		}
		assertThat(network.keySet()).noneMatch(name -> name.startsWith("moves-guard-"));
		assertThat(planner.plan(AFTER, BINDINGS.gcp(), next, GcpApplyStepSafetyTest.live(network)).operations())
			.isEmpty();
	}

	@Test
	void withoutThemOneOfTheFlowsPassesMidway() {
		Map<String, Firewall> network = applied(BEFORE);
		GcpOutput next = new GcpTranslator().translate(AFTER, BINDINGS).output();
		GcpPlan plan = planner.plan(AFTER, BINDINGS.gcp(), next, GcpApplyStepSafetyTest.live(network));
		List<String> passed = new ArrayList<>();
		for (GcpChange change : plan.operations()) {
			if (change.name().startsWith("moves-guard-")) {
				continue;
			}
			GcpApplyStepSafetyTest.apply(network, change);
			GcpEvaluator now = new GcpEvaluator(AFTER, BINDINGS, new GcpOutput(List.copyOf(network.values())));
			for (Flow flow : List.of(DB, SSH)) {
				if (now.evaluate(flow).allowed()) {
					passed.add(flow + " after " + change.name());
				}
			}
		}
		assertThat(passed).isNotEmpty();
	}

	private Map<String, Firewall> applied(Policy policy) {
		Map<String, Firewall> network = new LinkedHashMap<>();
		GcpOutput output = new GcpTranslator().translate(policy, BINDINGS).output();
		planner.plan(policy, BINDINGS.gcp(), output, GcpApplyStepSafetyTest.live(network))
			.operations()
			.forEach(c -> GcpApplyStepSafetyTest.apply(network, c));
		return network;
	}

}
