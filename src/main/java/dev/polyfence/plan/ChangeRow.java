package dev.polyfence.plan;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a plan as a reviewer reads it: what happens to which resource, with the
 * state before and after (absent for creates and deletes respectively). {@code step} is
 * the index of the operation that carries it out; several rows may share one step (one
 * authorize call adds many rules).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChangeRow(int step, String cloud, String action, String resourceType, String resource, String group,
		Object before, Object after) {

	public static final String CREATE = "create";

	public static final String UPDATE = "update";

	public static final String DELETE = "delete";

}
