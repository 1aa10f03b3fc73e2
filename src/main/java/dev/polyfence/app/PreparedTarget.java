package dev.polyfence.app;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsChanges;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureChanges;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlan;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpChanges;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.plan.gcp.GcpPlanner;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import java.util.List;
import java.util.function.Function;

/**
 * One target's operations, ready to run: made again from the stored request and the live
 * state as the apply reads it. {@code waves} is null when the operations must run one
 * after another.
 */
record PreparedTarget<T>(String cloud, List<T> operations, List<Integer> waves, Function<T, String> describe,
		Function<T, String> runner) {

	/**
	 * Reproduces a plan's operations. A stored plan keeps its request, the fingerprint of
	 * the live state it saw and the digest of its operations, not the operations
	 * themselves: the planner is a pure function of the request and the live state, so
	 * the same request over a live state with the same fingerprint gives the same
	 * operations, and the digest proves it before anything runs. A different digest (the
	 * service was upgraded between plan and apply, say) refuses the apply as stale rather
	 * than run operations nobody reviewed.
	 */
	static final class Preparer {

		private final DocumentParser parser;

		private final TranslationService translations;

		private final Clouds clouds;

		Preparer(DocumentParser parser, TranslationService translations, Clouds clouds) {
			this.parser = parser;
			this.translations = translations;
			this.clouds = clouds;
		}

		/**
		 * Every target of the plan, ready; or why one cannot be (every one is checked
		 * before any runs).
		 */
		List<PreparedTarget<?>> prepare(Plan plan) {
			PolicyRequest request = parser.parseRequest(plan.request().text(), plan.request().yaml());
			TranslationResult translation = translations.translate(request);
			return plan.planned().stream().<PreparedTarget<?>>map(t -> prepare(plan, request, translation, t)).toList();
		}

		/**
		 * Reads the target's live state and reproduces its operations, or says why it
		 * cannot.
		 */
		private PreparedTarget<?> prepare(Plan plan, PolicyRequest request, TranslationResult translation,
				PlannedTarget target) {
			try {
				return switch (target.cloud()) {
					case AWS -> aws(plan, request, translation, target);
					case AZURE -> azure(plan, request, translation, target);
					case GCP -> gcp(plan, request, translation, target);
				};
			}
			catch (ScopeNotFoundException e) {
				throw new PlanException(PlanException.Kind.STALE,
						e.getMessage() + ", which plan " + plan.id() + " found; make a new plan");
			}
		}

		private PreparedTarget<AwsChange> aws(Plan plan, PolicyRequest request, TranslationResult translation,
				PlannedTarget target) {
			AwsEnvironment aws = present(clouds.aws(), "AWS");
			Bindings.Aws binding = request.bindings().aws();
			AwsLiveState live = aws.read(target.account(), target.scope());
			requireFresh(plan, target,
					AwsPlanner.fingerprint(request.policy(), translation.aws(), live).equals(target.fingerprint()));
			AwsPlan planned = new AwsPlanner().plan(request.policy(), binding, translation.aws(), live);
			requireSame(plan, target, OperationsDigest.of(planned.operations()));
			AwsEnvironment.ChangeRunner runner = aws.runner(target.account(), target.scope(), plan.policy(), live);
			return new PreparedTarget<>("aws", planned.operations(), null, AwsChanges::describe, runner::run);
		}

		private PreparedTarget<AzureChange> azure(Plan plan, PolicyRequest request, TranslationResult translation,
				PlannedTarget target) {
			AzureEnvironment azure = present(clouds.azure(), "Azure");
			AzureLiveState live = azure.read(target.account(), target.scope());
			requireFresh(plan, target,
					AzurePlanner.fingerprint(request.policy(), translation.azure(), live).equals(target.fingerprint()));
			AzurePlan planned = new AzurePlanner().plan(request.policy(), request.bindings().azure(),
					translation.azure(), live);
			requireSame(plan, target, OperationsDigest.of(planned.operations()));
			AzureEnvironment.ChangeRunner runner = azure.runner(target.account(), target.scope());
			return new PreparedTarget<>("azure", planned.operations(), null, AzureChanges::describe, runner::run);
		}

		private PreparedTarget<GcpChange> gcp(Plan plan, PolicyRequest request, TranslationResult translation,
				PlannedTarget target) {
			GcpEnvironment gcp = present(clouds.gcp(), "GCP");
			GcpLiveState live = gcp.read(target.account(), target.scope());
			requireFresh(plan, target, GcpPlanner.fingerprint(request.policy(), live).equals(target.fingerprint()));
			GcpPlan planned = new GcpPlanner().plan(request.policy(), request.bindings().gcp(), translation.gcp(),
					live);
			requireSame(plan, target, OperationsDigest.of(planned.operations(), planned.waves()));
			GcpEnvironment.ChangeRunner runner = gcp.runner(target.account(), target.scope());
			return new PreparedTarget<>("gcp", planned.operations(), planned.waves(), GcpChanges::describe,
					runner::run);
		}

		private static <E> E present(E adapter, String cloud) {
			if (adapter == null) {
				throw new CloudAccessException("this instance has no " + cloud + " access configured", null);
			}
			return adapter;
		}

		private static void requireFresh(Plan plan, PlannedTarget target, boolean fresh) {
			if (!fresh) {
				throw new PlanException(PlanException.Kind.STALE, "the live state of " + target.scope()
						+ " changed since plan " + plan.id() + " was made; make a new plan");
			}
		}

		private static void requireSame(Plan plan, PlannedTarget target, String digest) {
			if (!digest.equals(target.operationsDigest())) {
				throw new PlanException(PlanException.Kind.STALE,
						"the operations for " + target.scope() + " made now differ from those reviewed in plan "
								+ plan.id() + " (was the service upgraded since?); make a new plan");
			}
		}

	}
}
