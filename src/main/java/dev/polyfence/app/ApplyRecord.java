package dev.polyfence.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** What an apply did, step by step; a failed step ends it and the rest are not run. */
public record ApplyRecord(String planId, String status, Instant startedAt, Instant finishedAt, List<Step> steps) {

	public ApplyRecord {
		steps = List.copyOf(steps);
	}

	/** One operation of the plan as it ran: its outcome, and the id of what it created, if any. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Step(int step, String cloud, String description, String status, Instant startedAt,
			Instant finishedAt, String created, String error) {
	}
}
