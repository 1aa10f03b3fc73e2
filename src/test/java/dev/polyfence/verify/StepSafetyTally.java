package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.PlanFindingCode;
import dev.polyfence.translate.Finding;
import java.util.List;

/**
 * Totals of an apply step-safety test, printed once at the end: how many flows each way
 * were checked after how many calls, and how many plans declared that no order of single
 * calls keeps every flow that both versions deny denied ({@code APPLY_MAY_OPEN}), with
 * the moments such a flow did pass. Only those are excused: a flow that both versions
 * allow is never cut off, and a plan without the warning never lets one through.
 */
final class StepSafetyTally {

	private final String cloud;

	private long seeds;

	private long calls;

	private long allowedFlows;

	private long deniedFlows;

	private long checks;

	private long warnedPlans;

	private long openedMoments;

	StepSafetyTally(String cloud) {
		this.cloud = cloud;
	}

	static boolean warns(List<Finding> findings) {
		return findings.stream().anyMatch(f -> f.code().equals(PlanFindingCode.APPLY_MAY_OPEN.name()));
	}

	synchronized void plan(int calls, long allowed, long denied, boolean warned) {
		seeds++;
		this.calls += calls;
		allowedFlows += allowed;
		deniedFlows += denied;
		checks += (allowed + denied) * calls;
		if (warned) {
			warnedPlans++;
		}
	}

	/**
	 * After one call: each kept flow is decided as by the old rules (and the new ones),
	 * except that a plan that warns may let a flow denied by both through.
	 * @param where the seed, the change and the call, for the failure message
	 */
	void check(List<Flow> kept, CloudEvaluator old, CloudEvaluator now, boolean warned, String where) {
		for (Flow flow : kept) {
			boolean allowed = old.evaluate(flow).allowed();
			CloudVerdict verdict = now.evaluate(flow);
			if (verdict.allowed() && !allowed && warned) {
				opened();
				continue;
			}
			assertThat(verdict.allowed())
				.as("%s: %s is %s before and after but not now: %s", where, flow, allowed ? "allowed" : "denied",
						verdict.explanation())
				.isEqualTo(allowed);
		}
	}

	private synchronized void opened() {
		openedMoments++;
	}

	synchronized String summary() {
		return String.format(
				"[polyfence verify] %s apply steps: %d changed policies, %d calls; %d flows allowed and %d denied by "
						+ "both versions, %d checks after single calls; %d plans warn APPLY_MAY_OPEN, where a flow "
						+ "denied by both passed %d times; no other violation",
				cloud, seeds, calls, allowedFlows, deniedFlows, checks, warnedPlans, openedMoments);
	}

}
