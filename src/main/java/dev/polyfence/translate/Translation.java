package dev.polyfence.translate;

import java.util.List;
import java.util.Objects;

/**
 * One cloud's output and the findings made while producing it. The output is always
 * whole.
 */
public record Translation<T>(T output, List<Finding> findings) {

	public Translation {
		Objects.requireNonNull(output, "output");
		findings = List.copyOf(findings);
	}

	public boolean hasErrors() {
		return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
	}
}
