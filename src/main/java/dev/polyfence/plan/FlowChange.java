package dev.polyfence.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A flow whose fate a plan changes: {@code allowed} (blocked now, allowed after the
 * apply) or {@code blocked} (the reverse), with the policy rule that decides it, when one
 * does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FlowChange(String cloud, String change, String source, String destination, String service, String rule) {

	public static final String ALLOWED = "allowed";

	public static final String BLOCKED = "blocked";

}
