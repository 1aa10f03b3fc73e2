package dev.polyfence.app;

import dev.polyfence.policy.DocumentParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply use case. It refuses a plan that is unknown, expired, already applied, has error
 * findings, one of whose targets another apply holds (on any replica), or whose live state changed
 * since it was made; every target is checked before any change. It then reproduces each target's
 * operations from the stored request and the live state ({@link PreparedTarget}), runs them in
 * order and records each step as it finishes, and stops at the first failure. The operations add
 * before they remove, so a stop leaves the old and new rules side by side: a fresh plan and apply
 * finish the job.
 */
public class ApplyService {

	private static final Logger log = LoggerFactory.getLogger(ApplyService.class);

	/** Calls of one wave that run at once, at most. */
	static final int CONCURRENT_CALLS = 8;

	private final PreparedTarget.Preparer preparer;

	private final PlanStore store;

	private final TargetLocks locks;

	private final AuditTrail audit;

	private final Clock clock;

	private final String instanceId;

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final Set<String> running = ConcurrentHashMap.newKeySet();

	/** @param instanceId names this replica in the apply records (its host name, say) */
	public ApplyService(DocumentParser parser, TranslationService translations, Clouds clouds, PlanStore store,
			TargetLocks locks, AuditTrail audit, Clock clock, String instanceId) {
		this.preparer = new PreparedTarget.Preparer(parser, translations, clouds);
		this.store = store;
		this.locks = locks;
		this.audit = audit;
		this.clock = clock;
		this.instanceId = instanceId;
	}

	/** Applies the plan for {@code actor} (the caller's name, for the records and the audit trail). */
	public ApplyRecord apply(String planId, String actor) {
		try {
			return applyOrRefuse(planId, actor);
		}
		catch (PlanException e) {
			String policy = store.find(planId).map(Plan::policy).orElse(null);
			audit.record(new AuditEvent(clock.instant(), actor, AuditEvent.APPLY, planId, policy,
					"refused:" + e.wire(), e.getMessage()));
			throw e;
		}
	}

	/**
	 * Starts no new apply, lets the current step of each running apply finish, records where each
	 * stopped and waits up to {@code grace} for them to do so. The container calls this when the
	 * service shuts down, after the web server has stopped taking requests and waited for running
	 * ones.
	 */
	public void shutdown(Duration grace) {
		stopping.set(true);
		long deadline = System.nanoTime() + grace.toNanos();
		while (!running.isEmpty() && System.nanoTime() - deadline < 0) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		if (!running.isEmpty()) {
			log.warn("shut down while applies {} were still running; their records show the last finished step",
					running);
		}
	}

	private ApplyRecord applyOrRefuse(String planId, String actor) {
		if (stopping.get()) {
			throw new PlanException(PlanException.Kind.SHUTTING_DOWN,
					"this instance is shutting down; try again on another replica or after the restart");
		}
		Plan plan = applicable(planId);
		TreeSet<String> keys = new TreeSet<>();
		plan.planned().forEach(t -> keys.add(t.lockKey()));
		String applyId = UUID.randomUUID().toString();
		TargetLocks.Lease lease = locks.tryAcquire(keys, applyId)
			.orElseThrow(() -> new PlanException(PlanException.Kind.TARGET_LOCKED,
					"another apply is running on one of " + keys + "; try again when it has finished"));
		try (lease) {
			lease.previousHolders().forEach(this::abandon);
			// Another replica may have applied the plan between the first look and the lock.
			plan = applicable(planId);
			List<PreparedTarget<?>> prepared = preparer.prepare(plan);
			if (!store.transition(planId, Plan.PLANNED, Plan.APPLYING)) {
				throw new PlanException(PlanException.Kind.ALREADY_APPLIED,
						"plan " + planId + " is being applied or was applied already; make a new plan");
			}
			running.add(applyId);
			try {
				return run(plan, applyId, actor, prepared, lease);
			}
			finally {
				running.remove(applyId);
			}
		}
	}

	/** An apply whose lapsed lock this one took over will never finish: its record says so. */
	private void abandon(String applyId) {
		String reason = "its replica stopped renewing its lock (it died or stalled) and another apply took the target;"
				+ " the steps listed ran, the rest did not; make a fresh plan and apply it";
		store.abandonApply(applyId, clock.instant(), reason).ifPresent(record -> {
			log.warn("apply {} of plan {} was abandoned by its replica after {} steps", applyId, record.planId(),
					record.steps().size());
			String policy = store.find(record.planId()).map(Plan::policy).orElse(null);
			audit.record(new AuditEvent(clock.instant(), record.appliedBy(), AuditEvent.APPLY, record.planId(), policy,
					ApplyRecord.INTERRUPTED, reason));
		});
	}

	/** The plan, or the reason it cannot be applied. */
	private Plan applicable(String planId) {
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
		return plan;
	}

	private ApplyRecord run(Plan plan, String applyId, String actor, List<PreparedTarget<?>> prepared,
			TargetLocks.Lease lease) {
		Instant started = clock.instant();
		store.startApply(new ApplyRecord(applyId, plan.id(), ApplyRecord.RUNNING, actor, started, null, null, List.of()),
				instanceId);
		Recorder recorder = new Recorder(plan.id(), applyId, lease);
		String status = ApplyRecord.SUCCEEDED;
		for (PreparedTarget<?> target : prepared) {
			status = target.waves() == null ? runAll(target, recorder) : runWaves(target, recorder);
			if (!ApplyRecord.SUCCEEDED.equals(status)) {
				break;
			}
		}
		Instant finished = clock.instant();
		store.finishApply(applyId, status, finished, recorder.stopReason);
		String planStatus = switch (status) {
			case ApplyRecord.SUCCEEDED -> Plan.APPLIED;
			case ApplyRecord.INTERRUPTED -> Plan.INTERRUPTED;
			default -> Plan.FAILED;
		};
		store.transition(plan.id(), Plan.APPLYING, planStatus);
		String detail = recorder.steps + " steps" + (recorder.stopReason == null ? "" : "; " + recorder.stopReason);
		audit.record(new AuditEvent(finished, actor, AuditEvent.APPLY, plan.id(), plan.policy(), status, detail));
		log.info("apply {} of plan {} by {}: {} ({})", applyId, plan.id(), actor, status, detail);
		return store.findApply(applyId).orElseThrow();
	}

	/** Runs operations in order; the status at the first failure or stop. */
	private <T> String runAll(PreparedTarget<T> target, Recorder recorder) {
		List<T> operations = target.operations();
		for (int i = 0; i < operations.size(); i++) {
			if (recorder.mustStop()) {
				return ApplyRecord.INTERRUPTED;
			}
			if (!recorder.record(step(recorder.planId, target, i))) {
				return ApplyRecord.FAILED;
			}
		}
		return ApplyRecord.SUCCEEDED;
	}

	/**
	 * Runs operations wave by wave: the calls of a wave at once (they may run in any order), a wave
	 * after the one before has finished. Steps are recorded in plan order; a failure ends the apply
	 * once its wave has finished, and so does a stop.
	 */
	private <T> String runWaves(PreparedTarget<T> target, Recorder recorder) {
		List<T> operations = target.operations();
		List<Integer> waves = target.waves();
		ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CALLS);
		try {
			for (int i = 0; i < operations.size();) {
				if (recorder.mustStop()) {
					return ApplyRecord.INTERRUPTED;
				}
				int j = i;
				while (j < operations.size() && waves.get(j).equals(waves.get(i))) {
					j++;
				}
				List<Future<ApplyRecord.Step>> calls = new ArrayList<>();
				for (int k = i; k < j; k++) {
					int index = k;
					calls.add(pool.submit(() -> step(recorder.planId, target, index)));
				}
				boolean ok = true;
				for (Future<ApplyRecord.Step> call : calls) {
					ok &= recorder.record(call.get());
				}
				if (!ok) {
					return ApplyRecord.FAILED;
				}
				i = j;
			}
			return ApplyRecord.SUCCEEDED;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while applying plan " + recorder.planId, e);
		}
		catch (ExecutionException e) {
			throw new IllegalStateException("applying plan " + recorder.planId + " failed: " + e.getCause().getMessage(),
					e.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

	/** Runs one operation and says how it went; never throws for the operation's own failure. */
	private <T> ApplyRecord.Step step(String planId, PreparedTarget<T> target, int i) {
		T change = target.operations().get(i);
		String description = target.describe().apply(change);
		int total = target.operations().size();
		Instant at = clock.instant();
		try {
			String created = target.runner().apply(change);
			log.info("plan {} {} step {}/{}: {}", planId, target.cloud(), i + 1, total, description);
			return new ApplyRecord.Step(i, target.cloud(), description, "succeeded", at, clock.instant(), created, null);
		}
		catch (RuntimeException e) {
			log.warn("plan {} {} step {}/{} failed: {}: {}", planId, target.cloud(), i + 1, total, description,
					e.getMessage());
			return new ApplyRecord.Step(i, target.cloud(), description, "failed", at, clock.instant(), null,
					e.getMessage());
		}
	}

	/** Writes each finished step to the store and knows when the apply must stop between two steps. */
	private final class Recorder {

		final String planId;

		final String applyId;

		final TargetLocks.Lease lease;

		int steps;

		String stopReason;

		Recorder(String planId, String applyId, TargetLocks.Lease lease) {
			this.planId = planId;
			this.applyId = applyId;
			this.lease = lease;
		}

		/** Records the step; false when it failed. */
		boolean record(ApplyRecord.Step step) {
			store.recordStep(applyId, step);
			steps++;
			return step.error() == null;
		}

		boolean mustStop() {
			if (stopping.get()) {
				stopReason = "the service shut down after " + steps + " steps; make a fresh plan and apply it";
			}
			else if (!lease.held()) {
				stopReason = "the lock on a target lapsed after " + steps + " steps; make a fresh plan and apply it";
			}
			return stopReason != null;
		}
	}
}
