package dev.polyfence.app;

import dev.polyfence.policy.DocumentParser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply use case. It refuses a plan that is unknown, expired, already applied, has
 * error findings, one of whose targets another apply holds (on any replica), or whose
 * live state changed since it was made; every target is checked before any change. It
 * then reproduces each target's operations from the stored request and the live state
 * ({@link PreparedTarget}), runs them in order and records each step as it finishes, and
 * stops at the first failure. The operations add before they remove, so a stop leaves the
 * old and new rules side by side: a fresh plan and apply finish the job.
 */
public class ApplyService {

	private static final Logger log = LoggerFactory.getLogger(ApplyService.class);

	private final PreparedTarget.Preparer preparer;

	private final PlanStore store;

	private final TargetLocks locks;

	private final AuditTrail audit;

	private final Clock clock;

	private final String instanceId;

	private final AtomicBoolean stopping = new AtomicBoolean();

	private final Set<String> running = ConcurrentHashMap.newKeySet();

	/**
	 * @param instanceId names this replica in the apply records (its host name, say)
	 */
	public ApplyService(DocumentParser parser, TranslationService translations, Clouds clouds, PlanStore store,
			TargetLocks locks, AuditTrail audit, Clock clock, String instanceId) {
		this.preparer = new PreparedTarget.Preparer(parser, translations, clouds);
		this.store = store;
		this.locks = locks;
		this.audit = audit;
		this.clock = clock;
		this.instanceId = instanceId;
	}

	/**
	 * Applies the plan for {@code actor} (the caller's name, for the records and the
	 * audit trail).
	 */
	public ApplyRecord apply(String planId, String actor) {
		try {
			return applyOrRefuse(planId, actor);
		}
		catch (PlanException e) {
			String policy = store.find(planId).map(Plan::policy).orElse(null);
			audit.record(new AuditEvent(clock.instant(), actor, AuditEvent.APPLY, planId, policy, "refused:" + e.wire(),
					e.getMessage()));
			throw e;
		}
	}

	/**
	 * Starts no new apply, lets the current step of each running apply finish, records
	 * where each stopped and waits up to {@code grace} for them to do so. The container
	 * calls this when the service shuts down, after the web server has stopped taking
	 * requests and waited for running ones.
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
			// Another replica may have applied the plan between the first look and the
			// lock.
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

	/**
	 * An apply whose lapsed lock this one took over will never finish: its record says
	 * so.
	 */
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
		store.startApply(
				new ApplyRecord(applyId, plan.id(), ApplyRecord.RUNNING, actor, started, null, null, List.of()),
				instanceId);
		ApplySteps steps = new ApplySteps(store, clock, plan.id(), applyId,
				() -> stopping.get() ? "the service shut down" : lease.held() ? null : "the lock on a target lapsed");
		String status = steps.run(prepared);
		Instant finished = clock.instant();
		store.finishApply(applyId, status, finished, steps.stopReason());
		String planStatus = switch (status) {
			case ApplyRecord.SUCCEEDED -> Plan.APPLIED;
			case ApplyRecord.INTERRUPTED -> Plan.INTERRUPTED;
			default -> Plan.FAILED;
		};
		store.transition(plan.id(), Plan.APPLYING, planStatus);
		String detail = steps.count() + " steps" + (steps.stopReason() == null ? "" : "; " + steps.stopReason());
		audit.record(new AuditEvent(finished, actor, AuditEvent.APPLY, plan.id(), plan.policy(), status, detail));
		log.info("apply {} of plan {} by {}: {} ({})", applyId, plan.id(), actor, status, detail);
		return store.findApply(applyId).orElseThrow();
	}

}
