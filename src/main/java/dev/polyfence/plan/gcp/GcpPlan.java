package dev.polyfence.plan.gcp;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.translate.Finding;
import java.util.List;

/**
 * The planned calls to one network's firewall rules, in order; see {@link GcpPlanner}.
 * {@code waves} gives each call its wave: calls of one wave may run in any order or at
 * once, and a wave starts when the one before has finished.
 */
public record GcpPlan(List<GcpChange> operations, List<Integer> waves, List<ChangeRow> rows, List<Finding> findings,
		List<ForeignResource> foreign, String fingerprint) {

	public GcpPlan {
		operations = List.copyOf(operations);
		waves = List.copyOf(waves);
		if (waves.size() != operations.size()) {
			throw new IllegalArgumentException(waves.size() + " waves for " + operations.size() + " calls");
		}
		rows = List.copyOf(rows);
		findings = List.copyOf(findings);
		foreign = List.copyOf(foreign);
	}
}
