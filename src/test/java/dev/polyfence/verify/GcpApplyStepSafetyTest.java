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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GCP applies are safe both ways (spec section 6): for generated policies and a changed
 * version of each ({@link DenyChanges}: drops, swaps and flips, denies inserted before
 * wider allows, moved past allows, moved from the sender to the receiver, swapped
 * defaults), the old translation is applied to a simulated network, then the plan to the
 * new one one call at a time, and after every call each flow that both the old and the
 * new translation allow must still be allowed, and each flow that both deny must still be
 * denied, by the rules the network holds (GCP's own evaluation: lowest priority, deny
 * wins ties). Every fourth seed moves the policy's band near the top of the priorities,
 * so the new rules must go below the old ones.
 */
class GcpApplyStepSafetyTest {

	private static final int FLOWS = 60;

	private static final StepSafetyTally TALLY = new StepSafetyTally("gcp");

	static LongStream seeds() {
		return LongStream.range(0, 120).map(i -> Long.getLong("polyfence.seed", 9_000L) + i);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyCallKeepsWhatBothVersionsAllowOrDeny(long seed) {
		PolicyGenerator.Generated generated = new PolicyGenerator(seed).generate();
		Policy before = generated.policy();
		DenyChanges.Changed change = DenyChanges.changed(before, new Random(seed));
		Policy after = change.policy();
		Bindings bindings = seed % 4 == 3 ? nearTheTop(before, after, generated.bindings()) : generated.bindings();
		Map<String, Firewall> network = new LinkedHashMap<>();
		GcpPlanner planner = new GcpPlanner();

		GcpOutput old = new GcpTranslator().translate(before, bindings).output();
		planner.plan(before, bindings.gcp(), old, live(network)).operations().forEach(c -> apply(network, c));
		assertThat(planner.plan(before, bindings.gcp(), old, live(network)).operations()).as("seed %d: re-plan", seed)
			.isEmpty();
		GcpOutput next = new GcpTranslator().translate(after, bindings).output();
		GcpPlan plan = planner.plan(after, bindings.gcp(), next, live(network));

		GcpEvaluator oldRules = new GcpEvaluator(before, bindings, old);
		GcpEvaluator newRules = new GcpEvaluator(after, bindings, next);
		List<Flow> kept = new ArrayList<>();
		for (Flow flow : new FlowGenerator(before, FlowGenerator.gcpCidrs(bindings), seed).flows(FLOWS)) {
			if (oldRules.evaluate(flow).allowed() == newRules.evaluate(flow).allowed()) {
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
		boolean warned = StepSafetyTally.warns(plan.findings());
		TALLY.plan(order.size(), kept.stream().filter(f -> oldRules.evaluate(f).allowed()).count(),
				kept.stream().filter(f -> !oldRules.evaluate(f).allowed()).count(), warned);
		for (int step = 0; step < order.size(); step++) {
			apply(network, order.get(step));
			GcpEvaluator now = new GcpEvaluator(after, bindings, new GcpOutput(List.copyOf(network.values())));
			TALLY.check(kept, oldRules, now, warned,
					"seed " + seed + " (" + change.what() + "), after call " + (step + 1) + " of " + order.size() + " ("
							+ order.get(step) + "); plan findings " + plan.findings());
		}
		assertThat(planner.plan(after, bindings.gcp(), next, live(network)).operations())
			.as("seed %d: re-plan after apply", seed)
			.isEmpty();
		assertThat(network.keySet()).as("seed %d: no temporary copy is left", seed)
			.containsExactlyInAnyOrderElementsOf(next.firewalls().stream().map(Firewall::name).toList());
	}

	/**
	 * The same bindings with the policy's band starting so high that both versions just
	 * fit below the defaults, so the new rules find no room above the old ones.
	 */
	private static Bindings nearTheTop(Policy before, Policy after, Bindings bindings) {
		int rules = 0;
		for (Policy policy : List.of(before, after)) {
			rules = Math.max(rules,
					(int) new GcpTranslator().translate(policy, bindings)
						.output()
						.firewalls()
						.stream()
						.filter(f -> f.priority() < 65534)
						.count());
		}
		Bindings.Gcp gcp = bindings.gcp();
		int base = 65533 - 10 * Math.max(0, rules - 1) - 3;
		return new Bindings(bindings.aws(), bindings.azure(),
				new Bindings.Gcp(gcp.project(), gcp.network(), Math.max(0, base), gcp.groups()));
	}

	@AfterAll
	static void printTotals() {
		System.out.println(TALLY.summary());
	}

	static GcpLiveState live(Map<String, Firewall> network) {
		return new GcpLiveState("p", "net", List.copyOf(network.values()));
	}

	/** As the Compute API: a name exists once; replace and delete need it to exist. */
	static void apply(Map<String, Firewall> network, GcpChange change) {
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
