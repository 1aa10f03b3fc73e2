package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlan;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
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
 * Azure applies are safe both ways (spec section 6): each NSG is replaced whole by one
 * PUT, so between two PUTs every workload has its old or its new rules; after every PUT
 * each flow that both the old and the new translation allow must still be allowed, and
 * each flow that both deny must still be denied (Azure's own evaluation, default rules
 * included). The changes are {@link DenyChanges}: drops, swaps and flips, denies inserted
 * before wider allows, moved past allows, moved from the sender to the receiver, and
 * swapped defaults.
 */
class AzureApplyStepSafetyTest {

	private static final int FLOWS = 60;

	private static final StepSafetyTally TALLY = new StepSafetyTally("azure");

	static LongStream seeds() {
		return LongStream.range(0, 120).map(i -> Long.getLong("polyfence.seed", 11_000L) + i);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyPutKeepsWhatBothVersionsAllowOrDeny(long seed) {
		PolicyGenerator.Generated generated = new PolicyGenerator(seed).generate();
		Policy before = generated.policy();
		Bindings bindings = generated.bindings();
		DenyChanges.Changed change = DenyChanges.changed(before, new Random(seed));
		Policy after = change.policy();
		AzureOutput old = new AzureTranslator().translate(before, bindings).output();
		AzureOutput next = new AzureTranslator().translate(after, bindings).output();
		Map<String, NetworkSecurityGroup> group = new LinkedHashMap<>();
		old.networkSecurityGroups().forEach(n -> group.put(n.name(), n));
		AzurePlanner planner = new AzurePlanner();
		AzurePlan plan = planner.plan(after, bindings.azure(), next, live(group, after.name()));

		AzureEvaluator oldRules = new AzureEvaluator(before, bindings, old);
		AzureEvaluator newRules = new AzureEvaluator(after, bindings, next);
		List<Flow> kept = new ArrayList<>();
		for (Flow flow : new FlowGenerator(before, FlowGenerator.azureCidrs(bindings), seed).flows(FLOWS)) {
			if (oldRules.evaluate(flow).allowed() == newRules.evaluate(flow).allowed()) {
				kept.add(flow);
			}
		}
		boolean warned = StepSafetyTally.warns(plan.findings());
		TALLY.plan(plan.operations().size(), kept.stream().filter(f -> oldRules.evaluate(f).allowed()).count(),
				kept.stream().filter(f -> !oldRules.evaluate(f).allowed()).count(), warned);
		for (int step = 0; step < plan.operations().size(); step++) {
			AzureChange.PutNetworkSecurityGroup put = (AzureChange.PutNetworkSecurityGroup) plan.operations().get(step);
			group.put(put.name(), new NetworkSecurityGroup(put.group(), put.name(), put.location(),
					new NetworkSecurityGroup.Properties(put.rules())));
			AzureEvaluator now = new AzureEvaluator(after, bindings, new AzureOutput(List.copyOf(group.values())));
			TALLY.check(kept, oldRules, now, warned, "seed " + seed + " (" + change.what() + "), after PUT "
					+ (step + 1) + " of " + plan.operations().size() + " (" + put.name() + ")");
		}
		assertThat(planner.plan(after, bindings.azure(), next, live(group, after.name())).operations())
			.as("seed %d: re-plan", seed)
			.isEmpty();
	}

	@AfterAll
	static void printTotals() {
		System.out.println(TALLY.summary());
	}

	/** The NSGs as the resource group holds them, tagged as this policy's. */
	private static AzureLiveState live(Map<String, NetworkSecurityGroup> nsgs, String policy) {
		List<AzureLiveState.LiveNsg> live = new ArrayList<>();
		nsgs.values()
			.forEach(n -> live.add(new AzureLiveState.LiveNsg("/nsg/" + n.name(), n.name(), n.location(),
					dev.polyfence.plan.ManagedTags.of(policy, n.group()), n.properties().securityRules())));
		return new AzureLiveState("sub", "rg", live);
	}

}
