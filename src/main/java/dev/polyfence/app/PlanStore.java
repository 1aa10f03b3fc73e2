package dev.polyfence.app;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where plans and their applies are kept, shared by every replica. A plan's status
 * changes only through {@link #transition}, which is atomic, so two replicas never both
 * start applying one plan.
 */
public interface PlanStore {

	/** Stores a new plan with its request and planned targets. */
	void save(Plan plan);

	/**
	 * The plan as callers see it, with its request and planned targets; without the
	 * planner's details.
	 */
	Optional<Plan> find(String id);

	/**
	 * Sets the plan's status to {@code to} if it is {@code from}; false when it was not.
	 */
	boolean transition(String id, String from, String to);

	/**
	 * Records that an apply started ({@code record} has no steps yet) on the named
	 * instance.
	 */
	void startApply(ApplyRecord record, String instanceId);

	/** Records one finished step of a running apply. */
	void recordStep(String applyId, ApplyRecord.Step step);

	/** Records how an apply ended. */
	void finishApply(String applyId, String status, Instant finishedAt, String stopReason);

	/**
	 * Records that an apply still marked running will never finish (its replica died): it
	 * and its plan become {@code interrupted}. Answers the record as it now is; empty
	 * when no such apply was running.
	 */
	Optional<ApplyRecord> abandonApply(String applyId, Instant at, String reason);

	Optional<ApplyRecord> findApply(String applyId);

	/** The applies of a plan, oldest first, each with its steps. */
	List<ApplyRecord> appliesOf(String planId);

	/**
	 * Deletes the plans that expired before {@code cutoff}, with their applies, except
	 * one that an apply holding a live lock at {@code now} is still running; the audit
	 * trail keeps its entries. Answers how many plans went.
	 */
	int purgeExpiredBefore(Instant cutoff, Instant now);

}
