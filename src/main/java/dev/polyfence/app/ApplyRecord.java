package dev.polyfence.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;

/**
 * What an apply did, step by step. A failed step ends it and the rest are not run; so
 * does a stop between two steps (status {@code interrupted}, {@code stopReason} says
 * why). {@code finishedAt} is absent while it runs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "id", "planId", "status", "appliedBy", "startedAt", "finishedAt", "stopReason", "steps" })
public record ApplyRecord(String id, String planId, String status, String appliedBy, Instant startedAt,
		Instant finishedAt, String stopReason, List<Step> steps) {

	public static final String RUNNING = "running";

	public static final String SUCCEEDED = "succeeded";

	public static final String FAILED = "failed";

	public static final String INTERRUPTED = "interrupted";

	public ApplyRecord {
		steps = List.copyOf(steps);
	}

	/**
	 * One operation of the plan as it ran: its outcome, and the id of what it created, if
	 * any.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Step(int step, String cloud, String description, String status, Instant startedAt, Instant finishedAt,
			String created, String error) {
	}
}
