package dev.polyfence.plan.azure;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.translate.Finding;
import java.util.List;

/** The planned changes to one resource group's NSGs; see {@link AzurePlanner}. */
public record AzurePlan(List<AzureChange> operations, List<ChangeRow> rows, List<Finding> findings,
		List<ForeignResource> foreign, String fingerprint) {

	public AzurePlan {
		operations = List.copyOf(operations);
		rows = List.copyOf(rows);
		findings = List.copyOf(findings);
		foreign = List.copyOf(foreign);
	}
}
