package dev.polyfence.translate;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * Something a translation or plan wants a reviewer to know (spec section 5). {@code code}
 * is a stable UPPER_SNAKE identifier from {@link FindingCode}; {@code rule} is the policy
 * rule concerned, or null when the finding is about a group or the whole output.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Finding(Severity severity, String code, Target target, String rule, String message) {

	public Finding {
		Objects.requireNonNull(severity, "severity");
		Objects.requireNonNull(code, "code");
		Objects.requireNonNull(target, "target");
		Objects.requireNonNull(message, "message");
	}

	public static Finding of(FindingCode code, Target target, String rule, String message) {
		return new Finding(code.severity(), code.name(), target, rule, message);
	}
}
