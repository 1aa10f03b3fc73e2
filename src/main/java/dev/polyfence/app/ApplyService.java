package dev.polyfence.app;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsChanges;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlanner;
import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureChanges;
import dev.polyfence.plan.azure.AzureLiveState;
import dev.polyfence.plan.azure.AzurePlanner;
import dev.polyfence.plan.gcp.GcpChanges;
import dev.polyfence.plan.gcp.GcpLiveState;
import dev.polyfence.plan.gcp.GcpPlanner;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply use case. It refuses a plan that is unknown, expired, already applied, has error
 * findings, one of whose targets another apply holds, or whose live state changed since it was
 * made (every target is checked before any change); then it runs each target's operations in
 * order, recording each, and stops at the first failure. The operations add before they remove, so
 * a failure leaves the old and new rules side by side: a fresh plan and apply finish the job.
 */
public class ApplyService {

	private static final Logger log = LoggerFactory.getLogger(ApplyService.class);

	private final PlanStore store;

	private final AwsEnvironment aws;

	private final AzureEnvironment azure;

	private final GcpEnvironment gcp;

	private final TargetLocks locks;

	private final Clock clock;

	public ApplyService(PlanStore store, AwsEnvironment aws, TargetLocks locks, Clock clock) {
		this(store, aws, null, null, locks, clock);
	}

	/** Each adapter may be null when this instance has none for that cloud. */
	public ApplyService(PlanStore store, AwsEnvironment aws, AzureEnvironment azure, GcpEnvironment gcp,
			TargetLocks locks, Clock clock) {
		this.store = store;
		this.aws = aws;
		this.azure = azure;
		this.gcp = gcp;
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
		TreeSet<String> keys = new TreeSet<>();
		if (plan.aws() != null) {
			keys.add(plan.aws().lockKey());
		}
		if (plan.azure() != null) {
			keys.add(plan.azure().lockKey());
		}
		if (plan.gcp() != null) {
			keys.add(plan.gcp().lockKey());
		}
		List<String> held = new ArrayList<>();
		try {
			for (String key : keys) {
				if (!locks.tryLock(key)) {
					throw new PlanException(PlanException.Kind.TARGET_LOCKED,
							"another apply is running on " + key + "; try again when it has finished");
				}
				held.add(key);
			}
			return run(plan);
		}
		finally {
			held.forEach(locks::unlock);
		}
	}

	private ApplyRecord run(Plan plan) {
		Instant started = clock.instant();
		AwsLiveState awsLive = null;
		Plan.AwsTarget awsTarget = plan.aws();
		if (awsTarget != null) {
			awsLive = aws.read(awsTarget.region(), awsTarget.vpcId());
			requireFresh(plan, AwsPlanner.fingerprint(awsTarget.policy(), awsTarget.desired(), awsLive)
				.equals(awsTarget.plan().fingerprint()), awsTarget.vpcId());
		}
		Plan.AzureTarget azureTarget = plan.azure();
		if (azureTarget != null) {
			AzureLiveState live = azure.read(azureTarget.subscriptionId(), azureTarget.resourceGroup());
			requireFresh(plan, AzurePlanner.fingerprint(azureTarget.policy(), azureTarget.desired(), live)
				.equals(azureTarget.plan().fingerprint()), azureTarget.resourceGroup());
		}
		Plan.GcpTarget gcpTarget = plan.gcp();
		if (gcpTarget != null) {
			GcpLiveState live = gcp.read(gcpTarget.project(), gcpTarget.network());
			requireFresh(plan, GcpPlanner.fingerprint(gcpTarget.policy(), live).equals(gcpTarget.plan().fingerprint()),
					gcpTarget.network());
		}
		store.save(plan.withStatus(Plan.APPLYING));
		List<ApplyRecord.Step> steps = new ArrayList<>();
		boolean ok = true;
		if (awsTarget != null) {
			AwsEnvironment.ChangeRunner runner = aws.runner(awsTarget.region(), awsTarget.vpcId(), plan.policy(), awsLive);
			ok = runAll(plan.id(), "aws", awsTarget.plan().operations(), AwsChanges::describe, runner::run, steps);
		}
		if (ok && azureTarget != null) {
			AzureEnvironment.ChangeRunner runner = azure.runner(azureTarget.subscriptionId(), azureTarget.resourceGroup());
			ok = runAll(plan.id(), "azure", azureTarget.plan().operations(), AzureChanges::describe, runner::run, steps);
		}
		if (ok && gcpTarget != null) {
			GcpEnvironment.ChangeRunner runner = gcp.runner(gcpTarget.project(), gcpTarget.network());
			ok = runWaves(plan.id(), "gcp", gcpTarget.plan().operations(), gcpTarget.plan().waves(), GcpChanges::describe,
					runner::run, steps);
		}
		ApplyRecord record = new ApplyRecord(plan.id(), ok ? "succeeded" : "failed", started, clock.instant(), steps);
		store.saveApply(record);
		store.save(plan.withStatus(ok ? Plan.APPLIED : Plan.FAILED));
		return record;
	}

	private static void requireFresh(Plan plan, boolean fresh, String scope) {
		if (!fresh) {
			throw new PlanException(PlanException.Kind.STALE,
					"the live state of " + scope + " changed since plan " + plan.id() + " was made; make a new plan");
		}
	}

	/** Calls of one wave that run at once, at most. */
	static final int CONCURRENT_CALLS = 8;

	/**
	 * Runs operations wave by wave: the calls of a wave at once (they may run in any order), a wave
	 * after the one before has finished. Steps are recorded in plan order; a failure ends the apply
	 * once its wave has finished.
	 */
	private <T> boolean runWaves(String planId, String cloud, List<T> operations, List<Integer> waves,
			Function<T, String> describe, Function<T, String> runner, List<ApplyRecord.Step> steps) {
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(CONCURRENT_CALLS);
		try {
			for (int i = 0; i < operations.size();) {
				int j = i;
				while (j < operations.size() && waves.get(j).equals(waves.get(i))) {
					j++;
				}
				List<java.util.concurrent.Future<ApplyRecord.Step>> running = new ArrayList<>();
				for (int k = i; k < j; k++) {
					int index = k;
					running.add(pool.submit(() -> step(planId, cloud, index, operations.size(), operations.get(index),
							describe, runner)));
				}
				boolean ok = true;
				for (java.util.concurrent.Future<ApplyRecord.Step> f : running) {
					ApplyRecord.Step step = f.get();
					steps.add(step);
					ok &= step.error() == null;
				}
				if (!ok) {
					return false;
				}
				i = j;
			}
			return true;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while applying plan " + planId, e);
		}
		catch (java.util.concurrent.ExecutionException e) {
			throw new IllegalStateException("applying plan " + planId + " failed: " + e.getCause().getMessage(), e.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Runs one operation and says how it went; never throws for the operation's own failure. */
	private <T> ApplyRecord.Step step(String planId, String cloud, int i, int total, T change,
			Function<T, String> describe, Function<T, String> runner) {
		String description = describe.apply(change);
		Instant at = clock.instant();
		try {
			String created = runner.apply(change);
			log.info("plan {} {} step {}/{}: {}", planId, cloud, i + 1, total, description);
			return new ApplyRecord.Step(i, cloud, description, "succeeded", at, clock.instant(), created, null);
		}
		catch (RuntimeException e) {
			log.warn("plan {} {} step {}/{} failed: {}: {}", planId, cloud, i + 1, total, description, e.getMessage());
			return new ApplyRecord.Step(i, cloud, description, "failed", at, clock.instant(), null, e.getMessage());
		}
	}

	/** Runs operations in order, recording each; false at the first failure, which ends the apply. */
	private <T> boolean runAll(String planId, String cloud, List<T> operations, Function<T, String> describe,
			Function<T, String> runner, List<ApplyRecord.Step> steps) {
		for (int i = 0; i < operations.size(); i++) {
			ApplyRecord.Step step = step(planId, cloud, i, operations.size(), operations.get(i), describe, runner);
			steps.add(step);
			if (step.error() != null) {
				return false;
			}
		}
		return true;
	}
}
