package dev.polyfence.plan.aws;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.translate.Finding;
import java.util.List;

/**
 * The planned changes to one VPC: the operations in the order they must run (adds before
 * removes), the rows a reviewer reads, findings, what is in scope but not ours, and a
 * fingerprint of the live state the plan is based on.
 */
public record AwsPlan(List<AwsChange> operations, List<ChangeRow> rows, List<Finding> findings,
		List<ForeignResource> foreign, String fingerprint) {

	public AwsPlan {
		operations = List.copyOf(operations);
		rows = List.copyOf(rows);
		findings = List.copyOf(findings);
		foreign = List.copyOf(foreign);
	}
}
