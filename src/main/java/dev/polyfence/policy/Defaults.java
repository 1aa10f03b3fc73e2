package dev.polyfence.policy;

import java.util.Objects;

/**
 * The decisions taken when no rule matches (spec section 1: ingress deny and egress allow
 * unless said).
 */
public record Defaults(Action ingress, Action egress) {

	public static final Defaults STANDARD = new Defaults(Action.DENY, Action.ALLOW);

	public Defaults {
		Objects.requireNonNull(ingress, "ingress");
		Objects.requireNonNull(egress, "egress");
	}

	public Action of(Direction direction) {
		return direction == Direction.INGRESS ? ingress : egress;
	}
}
