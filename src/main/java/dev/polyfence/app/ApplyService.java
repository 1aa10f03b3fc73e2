package dev.polyfence.app;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsChanges;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlanner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply use case. It refuses a plan that is unknown, expired, already applied, has error
 * findings, whose target another apply holds, or whose live state changed since it was made; then
 * it runs the plan's operations in order, recording each, and stops at the first failure. The
 * operations add before they remove, so a failure leaves the old and new rules side by side: a
 * fresh plan and apply finish the job.
 */
public class ApplyService {

	private static final Logger log = LoggerFactory.getLogger(ApplyService.class);

	private final PlanStore store;

	private final AwsEnvironment aws;

	private final TargetLocks locks;

	private final Clock clock;

	public ApplyService(PlanStore store, AwsEnvironment aws, TargetLocks locks, Clock clock) {
		this.store = store;
		this.aws = aws;
		this.locks = locks;
		this.clock = clock;
	}

	public ApplyRecord apply(String planId) {
		Plan plan = store.find(planId)
			.orElseThrow(() -> new PlanException(PlanException.Kind.NOT_FOUND, "no plan has id " + planId));
		if (!Plan.PLANNED.equals(plan.status())) {
			throw new PlanException(PlanException.Kind.ALREADY_APPLIED,
					"plan " + planId + " is " + plan.status() + "; make a new plan");
		}
		if (clock.instant().isAfter(plan.expiresAt())) {
			throw new PlanException(PlanException.Kind.EXPIRED,
					"plan " + planId + " expired at " + plan.expiresAt() + "; make a new plan");
		}
		if (plan.hasErrors()) {
			throw new PlanException(PlanException.Kind.HAS_ERRORS,
					"plan " + planId + " has error findings; fix them and make a new plan");
		}
		Plan.AwsTarget target = plan.aws();
		if (target == null) {
			return record(plan, List.of(), true, clock.instant());
		}
		if (!locks.tryLock(target.lockKey())) {
			throw new PlanException(PlanException.Kind.TARGET_LOCKED,
					"another apply is running on " + target.lockKey() + "; try again when it has finished");
		}
		try {
			Instant started = clock.instant();
			AwsLiveState live = aws.read(target.region(), target.vpcId());
			String now = AwsPlanner.fingerprint(target.policy(), target.desired(), live);
			if (!now.equals(target.plan().fingerprint())) {
				throw new PlanException(PlanException.Kind.STALE, "the live state of " + target.vpcId()
						+ " changed since plan " + planId + " was made; make a new plan");
			}
			store.save(plan.withStatus(Plan.APPLYING));
			AwsEnvironment.ChangeRunner runner = aws.runner(target.region(), target.vpcId(), plan.policy(), live);
			List<ApplyRecord.Step> steps = new ArrayList<>();
			boolean ok = true;
			List<AwsChange> operations = target.plan().operations();
			for (int i = 0; i < operations.size(); i++) {
				AwsChange change = operations.get(i);
				String description = AwsChanges.describe(change);
				Instant at = clock.instant();
				try {
					String created = runner.run(change);
					steps.add(new ApplyRecord.Step(i, "aws", description, "succeeded", at, clock.instant(), created, null));
					log.info("plan {} step {}/{}: {}", planId, i + 1, operations.size(), description);
				}
				catch (RuntimeException e) {
					steps.add(new ApplyRecord.Step(i, "aws", description, "failed", at, clock.instant(), null,
							e.getMessage()));
					log.warn("plan {} step {}/{} failed: {}: {}", planId, i + 1, operations.size(), description,
							e.getMessage());
					ok = false;
					break;
				}
			}
			return record(plan, steps, ok, started);
		}
		finally {
			locks.unlock(target.lockKey());
		}
	}

	private ApplyRecord record(Plan plan, List<ApplyRecord.Step> steps, boolean ok, Instant started) {
		ApplyRecord record = new ApplyRecord(plan.id(), ok ? "succeeded" : "failed", started, clock.instant(), steps);
		store.saveApply(record);
		store.save(plan.withStatus(ok ? Plan.APPLIED : Plan.FAILED));
		return record;
	}
}
