package dev.polyfence.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the audit trail. {@code action} is {@code plan} or {@code apply};
 * {@code outcome} is {@code planned}, an apply's final status, or
 * {@code refused:<problem>} for an apply refused before any change (for example
 * {@code refused:stale-plan}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(Instant at, String actor, String action, String planId, String policy, String outcome,
		String detail) {

	public static final String PLAN = "plan";

	public static final String APPLY = "apply";

	public AuditEvent {
		Objects.requireNonNull(at, "at");
		Objects.requireNonNull(actor, "actor");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(outcome, "outcome");
	}
}
