package dev.polyfence.app;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operations of one apply, target after target, and writes each step to the
 * store as it finishes. It stops at the first failed step, and between two steps when
 * {@code stopCause} names a reason (a shutdown, a lost lock).
 */
final class ApplySteps {

	private static final Logger log = LoggerFactory.getLogger(ApplySteps.class);

	/** Calls of one wave that run at once, at most. */
	static final int CONCURRENT_CALLS = 8;

	private final PlanStore store;

	private final Clock clock;

	private final String planId;

	private final String applyId;

	private final Supplier<String> stopCause;

	private int count;

	private String stopReason;

	/**
	 * @param stopCause why the apply must stop before its next step, or null while it may
	 * go on
	 */
	ApplySteps(PlanStore store, Clock clock, String planId, String applyId, Supplier<String> stopCause) {
		this.store = store;
		this.clock = clock;
		this.planId = planId;
		this.applyId = applyId;
		this.stopCause = stopCause;
	}

	/**
	 * Runs every target's operations; the apply's status ({@link ApplyRecord#SUCCEEDED}
	 * and so on).
	 */
	String run(List<PreparedTarget<?>> targets) {
		for (PreparedTarget<?> target : targets) {
			String status = target.waves() == null ? runAll(target) : runWaves(target);
			if (!ApplyRecord.SUCCEEDED.equals(status)) {
				return status;
			}
		}
		return ApplyRecord.SUCCEEDED;
	}

	/** How many steps ran. */
	int count() {
		return count;
	}

	/** Why the apply stopped between two steps, or null. */
	String stopReason() {
		return stopReason;
	}

	/** Runs operations in order; the status at the first failure or stop. */
	private <T> String runAll(PreparedTarget<T> target) {
		List<T> operations = target.operations();
		for (int i = 0; i < operations.size(); i++) {
			if (mustStop()) {
				return ApplyRecord.INTERRUPTED;
			}
			if (!record(step(target, i))) {
				return ApplyRecord.FAILED;
			}
		}
		return ApplyRecord.SUCCEEDED;
	}

	/**
	 * Runs operations wave by wave: the calls of a wave at once (they may run in any
	 * order), a wave after the one before has finished. Steps are recorded in plan order;
	 * a failure ends the apply once its wave has finished, and so does a stop.
	 */
	private <T> String runWaves(PreparedTarget<T> target) {
		List<T> operations = target.operations();
		List<Integer> waves = target.waves();
		ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CALLS);
		try {
			for (int i = 0; i < operations.size();) {
				if (mustStop()) {
					return ApplyRecord.INTERRUPTED;
				}
				int j = i;
				while (j < operations.size() && waves.get(j).equals(waves.get(i))) {
					j++;
				}
				List<Future<ApplyRecord.Step>> calls = new ArrayList<>();
				for (int k = i; k < j; k++) {
					int index = k;
					calls.add(pool.submit(() -> step(target, index)));
				}
				boolean ok = true;
				for (Future<ApplyRecord.Step> call : calls) {
					ok &= record(call.get());
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
			throw new IllegalStateException("interrupted while applying plan " + planId, e);
		}
		catch (ExecutionException e) {
			throw new IllegalStateException("applying plan " + planId + " failed: " + e.getCause().getMessage(),
					e.getCause());
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * Runs one operation and says how it went; never throws for the operation's own
	 * failure.
	 */
	private <T> ApplyRecord.Step step(PreparedTarget<T> target, int i) {
		T change = target.operations().get(i);
		String description = target.describe().apply(change);
		int total = target.operations().size();
		Instant at = clock.instant();
		try {
			String created = target.runner().apply(change);
			log.info("plan {} {} step {}/{}: {}", planId, target.cloud(), i + 1, total, description);
			return new ApplyRecord.Step(i, target.cloud(), description, "succeeded", at, clock.instant(), created,
					null);
		}
		catch (RuntimeException e) {
			log.warn("plan {} {} step {}/{} failed: {}: {}", planId, target.cloud(), i + 1, total, description,
					e.getMessage());
			return new ApplyRecord.Step(i, target.cloud(), description, "failed", at, clock.instant(), null,
					e.getMessage());
		}
	}

	/** Writes the step to the store; false when it failed. */
	private boolean record(ApplyRecord.Step step) {
		store.recordStep(applyId, step);
		count++;
		return step.error() == null;
	}

	private boolean mustStop() {
		String cause = stopCause.get();
		if (cause != null) {
			stopReason = cause + " after " + count + " steps; make a fresh plan and apply it";
		}
		return cause != null;
	}

}
