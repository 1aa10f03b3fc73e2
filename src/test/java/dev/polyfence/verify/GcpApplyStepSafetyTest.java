package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GCP applies never cut off a flow midway: for generated policies and a changed version
 * of each, the old translation is applied to a simulated network, then the plan to the
 * new one one call at a time, and after every call each flow that both the old and the
 * new translation allow must still be allowed by the rules the network holds (GCP's own
 * evaluation: lowest priority, deny wins ties).
 */
class GcpApplyStepSafetyTest {

	private static final int FLOWS = 40;

	static LongStream seeds() {
		return LongStream.range(0, 80).map(i -> Long.getLong("polyfence.seed", 9_000L) + i);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyCallKeepsWhatBothVersionsAllow(long seed) {
		PolicyGenerator.Generated generated = new PolicyGenerator(seed).generate();
		Policy before = generated.policy();
		Bindings bindings = generated.bindings();
		Policy after = PolicyChanges.changed(before, new Random(seed));
		Map<String, Firewall> network = new LinkedHashMap<>();
		GcpPlanner planner = new GcpPlanner();

		GcpOutput old = new GcpTranslator().translate(before, bindings).output();
		planner.plan(before, old, live(network)).operations().forEach(c -> apply(network, c));
		assertThat(planner.plan(before, old, live(network)).operations()).as("seed %d: re-plan", seed).isEmpty();
		GcpOutput next = new GcpTranslator().translate(after, bindings).output();
		GcpPlan plan = planner.plan(after, next, live(network));

		GcpEvaluator oldRules = new GcpEvaluator(before, bindings, old);
		GcpEvaluator newRules = new GcpEvaluator(after, bindings, next);
		List<Flow> kept = new ArrayList<>();
		for (Flow flow : new FlowGenerator(before, FlowGenerator.gcpCidrs(bindings), seed).flows(FLOWS)) {
			if (oldRules.evaluate(flow).allowed() && newRules.evaluate(flow).allowed()) {
				kept.add(flow);
			}
		}
		// Calls of one wave may run at once: apply each wave in a random order, so the
		// states checked
		// are states a concurrent apply can pass through.
		List<GcpChange> order = new ArrayList<>();
		Random shuffle = new Random(seed);
		for (int i = 0; i < plan.operations().size();) {
			int j = i;
			while (j < plan.operations().size() && plan.waves().get(j).equals(plan.waves().get(i))) {
				j++;
			}
			List<GcpChange> wave = new ArrayList<>(plan.operations().subList(i, j));
			java.util.Collections.shuffle(wave, shuffle);
			order.addAll(wave);
			i = j;
		}
		for (int step = 0; step < order.size(); step++) {
			apply(network, order.get(step));
			GcpEvaluator now = new GcpEvaluator(after, bindings, new GcpOutput(List.copyOf(network.values())));
			for (Flow flow : kept) {
				CloudVerdict verdict = now.evaluate(flow);
				assertThat(verdict.allowed())
					.as("seed %d, after call %d of %d (%s): %s is allowed before and after but not now: %s", seed,
							step + 1, order.size(), order.get(step), flow, verdict.explanation())
					.isTrue();
			}
		}
		assertThat(planner.plan(after, next, live(network)).operations()).as("seed %d: re-plan after apply", seed)
			.isEmpty();
		assertThat(network.keySet()).as("seed %d: no temporary copy is left", seed)
			.containsExactlyInAnyOrderElementsOf(next.firewalls().stream().map(Firewall::name).toList());
	}

	private static GcpLiveState live(Map<String, Firewall> network) {
		return new GcpLiveState("p", "net", List.copyOf(network.values()));
	}

	/** As the Compute API: a name exists once; replace and delete need it to exist. */
	private static void apply(Map<String, Firewall> network, GcpChange change) {
		if (change instanceof GcpChange.Insert insert) {
			if (network.putIfAbsent(insert.name(), insert.firewall()) != null) {
				throw new IllegalStateException("409 alreadyExists " + insert.name());
			}
		}
		else if (change instanceof GcpChange.Replace replace) {
			if (network.replace(replace.name(), replace.firewall()) == null) {
				throw new IllegalStateException("404 notFound " + replace.name());
			}
		}
		else if (network.remove(change.name()) == null) {
			throw new IllegalStateException("404 notFound " + change.name());
		}
	}

}
