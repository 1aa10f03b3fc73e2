package dev.polyfence.plan.gcp;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.translate.Finding;
import java.util.List;

/** The planned calls to one network's firewall rules, in order; see {@link GcpPlanner}. */
public record GcpPlan(List<GcpChange> operations, List<ChangeRow> rows, List<Finding> findings,
		List<ForeignResource> foreign, String fingerprint) {

	public GcpPlan {
		operations = List.copyOf(operations);
		rows = List.copyOf(rows);
		findings = List.copyOf(findings);
		foreign = List.copyOf(foreign);
	}
}
