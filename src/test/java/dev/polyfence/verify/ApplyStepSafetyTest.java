package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveView;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.aws.SimulatedVpc;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Applies are safe both ways midway (spec section 6): for generated policies and a
 * changed version of each ({@link PolicyChanges}: rules dropped, swapped or flipped, or
 * denies inserted, removed, narrowed or widened, ports added), the old translation is
 * applied to a simulated VPC, then the plan to the new one is applied one operation at a
 * time, and after every operation each flow that both the old and the new translation
 * allow (replies included) must still be allowed by what the VPC holds, and each flow
 * that both deny must still be denied. A plan that says it cannot be ordered safely
 * (UNSAFE_ORDER, which a reviewer sees) is exempt from both checks, and counted; every
 * other plan must pass them. A plan made right after the apply must be empty.
 */
class ApplyStepSafetyTest {

	private static final int FLOWS = 60;

	private static final AtomicInteger ANNOUNCED = new AtomicInteger();

	private static final AtomicInteger ANNOUNCED_AND_SEEN = new AtomicInteger();

	private static final AtomicInteger CLOSED_CHECKED = new AtomicInteger();

	/** How often the planner said it could not order a plan safely, and was right. */
	@AfterAll
	static void summary() {
		System.out.printf(
				"ApplyStepSafetyTest: %d closed flows checked; %d plans announced UNSAFE_ORDER, on %d of "
						+ "them the sampled flows show it%n",
				CLOSED_CHECKED.get(), ANNOUNCED.get(), ANNOUNCED_AND_SEEN.get());
	}

	static LongStream seeds() {
		return LongStream.range(0, 160).map(i -> Long.getLong("polyfence.seed", 7_000L) + i);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void everyStepKeepsWhatBothVersionsAllowAndWhatBothDeny(long seed) {
		PolicyGenerator.Generated generated = new PolicyGenerator(seed).generate();
		Policy before = generated.policy();
		Bindings bindings = generated.bindings();
		Policy after = PolicyChanges.changed(before, new Random(seed));
		Bindings.Aws aws = bindings.aws();
		List<String> subnets = new ArrayList<>();
		aws.groups().values().forEach(g -> subnets.addAll(g.subnetIds()));
		SimulatedVpc vpc = new SimulatedVpc(aws.vpcId() == null ? "vpc-test" : aws.vpcId(), subnets);
		AwsPlanner planner = new AwsPlanner();

		AwsOutput old = new AwsTranslator().translate(before, bindings).output();
		planner.plan(before, aws, old, vpc.state()).operations().forEach(vpc::apply);
		AwsOutput next = new AwsTranslator().translate(after, bindings).output();
		AwsPlan plan = planner.plan(after, aws, next, vpc.state());

		AwsEvaluator oldEvaluator = new AwsEvaluator(before, bindings, old);
		AwsEvaluator newEvaluator = new AwsEvaluator(after, bindings, next);
		List<Flow> flows = new ArrayList<>(
				new FlowGenerator(before, FlowGenerator.awsCidrs(bindings), seed).flows(FLOWS));
		flows.addAll(new FlowGenerator(after, FlowGenerator.awsCidrs(bindings), seed + 1).flows(FLOWS));
		List<Flow> kept = new ArrayList<>();
		List<Flow> closed = new ArrayList<>();
		for (Flow flow : flows) {
			CloudVerdict was = oldEvaluator.evaluate(flow);
			CloudVerdict will = newEvaluator.evaluate(flow);
			if (was.allowedWithReplies() && will.allowedWithReplies()) {
				kept.add(flow);
			}
			if (!was.allowed() && !will.allowed()) {
				closed.add(flow);
			}
		}
		List<String> violations = new ArrayList<>();
		for (int step = 0; step <= plan.operations().size(); step++) {
			if (step > 0) {
				AwsChange change = plan.operations().get(step - 1);
				vpc.apply(change);
			}
			AwsEvaluator live = new AwsEvaluator(after, bindings, AwsLiveView.of(after, aws, vpc.state()));
			String at = "seed " + seed + ", after step " + step + " of " + plan.operations().size() + " ("
					+ (step == 0 ? "start" : plan.operations().get(step - 1)) + "): ";
			for (Flow flow : kept) {
				CloudVerdict verdict = live.evaluate(flow);
				if (!verdict.allowedWithReplies()) {
					violations.add(at + flow + " is allowed before and after but not now: " + verdict.explanation());
				}
			}
			for (Flow flow : closed) {
				CloudVerdict verdict = live.evaluate(flow);
				if (verdict.allowed()) {
					violations.add(at + flow + " is denied before and after but allowed now: " + verdict.explanation());
				}
			}
		}
		boolean announced = plan.findings().stream().anyMatch(f -> f.code().equals("UNSAFE_ORDER"));
		if (announced) {
			ANNOUNCED.incrementAndGet();
			if (!violations.isEmpty()) {
				ANNOUNCED_AND_SEEN.incrementAndGet();
			}
		}
		else {
			assertThat(violations).as("seed %d: %d kept and %d closed flows checked", seed, kept.size(), closed.size())
				.isEmpty();
		}
		CLOSED_CHECKED.addAndGet(closed.size());
		assertThat(planner.plan(after, aws, next, vpc.state()).operations()).as("seed %d: re-plan after apply", seed)
			.isEmpty();
	}

}
