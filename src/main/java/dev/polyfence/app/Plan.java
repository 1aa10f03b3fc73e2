package dev.polyfence.app;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.FlowChange;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsPlan;
import dev.polyfence.plan.azure.AzurePlan;
import dev.polyfence.plan.gcp.GcpPlan;
import dev.polyfence.translate.gcp.GcpOutput;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan: what was asked, what the clouds had, and the changes that would make them
 * match. Callers see everything but the last five components. {@code request} and
 * {@code planned} are stored with the plan: an apply reproduces the operations from them
 * (see {@link PlannedTarget}). {@code aws}, {@code azure} and {@code gcp} hold what the
 * planner worked out; only the plan as just made has them, a plan read back from the
 * store has null there.
 */
@JsonPropertyOrder({ "id", "status", "policy", "targets", "createdAt", "expiresAt", "createdBy", "summary", "changes",
		"flows", "foreign", "findings" })
public record Plan(String id, String status, String policy, List<String> targets, Instant createdAt, Instant expiresAt,
		String createdBy, Summary summary, List<ChangeRow> changes, List<FlowChange> flows,
		List<ForeignResource> foreign, List<Finding> findings, @JsonIgnore RequestDocument request,
		@JsonIgnore List<PlannedTarget> planned, @JsonIgnore AwsTarget aws, @JsonIgnore AzureTarget azure,
		@JsonIgnore GcpTarget gcp) {

	public static final String PLANNED = "planned";

	public static final String APPLYING = "applying";

	public static final String APPLIED = "applied";

	public static final String FAILED = "failed";

	/**
	 * The apply stopped between two steps: the service shut down or lost its lock on a
	 * target.
	 */
	public static final String INTERRUPTED = "interrupted";

	public Plan {
		targets = List.copyOf(targets);
		changes = List.copyOf(changes);
		flows = List.copyOf(flows);
		foreign = List.copyOf(foreign);
		findings = List.copyOf(findings);
		planned = List.copyOf(planned);
	}

	/** The AWS part of a plan: where, what was asked for, and the planner's result. */
	public record AwsTarget(String region, String vpcId, Policy policy, AwsOutput desired, AwsLiveState live,
			AwsPlan plan) {
	}

	/** The Azure part of a plan: where, what was asked for, and the planner's result. */
	public record AzureTarget(String subscriptionId, String resourceGroup, Policy policy, AzureOutput desired,
			AzurePlan plan) {
	}

	/** The GCP part of a plan: where, what was asked for, and the planner's result. */
	public record GcpTarget(String project, String network, Policy policy, GcpOutput desired, GcpPlan plan) {
	}

	/** Counts of changes by action, overall and per cloud. */
	public record Summary(int create, int update, int delete, Map<String, Map<String, Integer>> byCloud) {

		public static Summary of(List<ChangeRow> rows) {
			Map<String, Map<String, Integer>> byCloud = new TreeMap<>();
			int[] totals = new int[3];
			for (ChangeRow r : rows) {
				byCloud.computeIfAbsent(r.cloud(), c -> new TreeMap<>()).merge(r.action(), 1, Integer::sum);
				totals[switch (r.action()) {
					case ChangeRow.CREATE -> 0;
					case ChangeRow.UPDATE -> 1;
					default -> 2;
				}]++;
			}
			return new Summary(totals[0], totals[1], totals[2], byCloud);
		}
	}

	public boolean hasErrors() {
		return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
	}

	public Plan withStatus(String newStatus) {
		return new Plan(id, newStatus, policy, targets, createdAt, expiresAt, createdBy, summary, changes, flows,
				foreign, findings, request, planned, aws, azure, gcp);
	}
}
