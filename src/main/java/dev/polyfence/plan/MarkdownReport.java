package dev.polyfence.plan;

import dev.polyfence.translate.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan as Markdown for a pull-request comment: summary counts first, then a table of
 * changes per cloud, then what is in scope but left alone, findings last.
 */
public final class MarkdownReport {

	private MarkdownReport() {
	}

	/** The parts of a plan the report shows. */
	public record Input(String id, String policy, String status, Instant createdAt, Instant expiresAt,
			List<ChangeRow> changes, List<FlowChange> flows, List<ForeignResource> foreign, List<Finding> findings) {
	}

	public static String render(Input plan) {
		StringBuilder md = new StringBuilder();
		md.append("## Polyfence plan for policy `").append(plan.policy()).append("`\n\n");
		md.append("Plan `")
			.append(plan.id())
			.append("` · ")
			.append(plan.status())
			.append(" · made ")
			.append(plan.createdAt())
			.append(" · expires ")
			.append(plan.expiresAt())
			.append("\n\n");
		Map<String, int[]> counts = new TreeMap<>();
		int[] total = new int[3];
		for (ChangeRow r : plan.changes()) {
			int column = ChangeRow.CREATE.equals(r.action()) ? 0 : ChangeRow.UPDATE.equals(r.action()) ? 1 : 2;
			counts.computeIfAbsent(r.cloud(), c -> new int[3])[column]++;
			total[column]++;
		}
		long errors = plan.findings().stream().filter(f -> "error".equals(f.severity().wire())).count();
		long warnings = plan.findings().stream().filter(f -> "warning".equals(f.severity().wire())).count();
		md.append("| | create | update | delete |\n|---|---:|---:|---:|\n");
		counts.forEach((cloud, c) -> md.append("| ")
			.append(cloud)
			.append(" | ")
			.append(c[0])
			.append(" | ")
			.append(c[1])
			.append(" | ")
			.append(c[2])
			.append(" |\n"));
		md.append("| **total** | **")
			.append(total[0])
			.append("** | **")
			.append(total[1])
			.append("** | **")
			.append(total[2])
			.append("** |\n\n");
		if (plan.changes().isEmpty()) {
			md.append(errors > 0 ? "No changes are listed: the error findings below say what could not be planned.\n\n"
					: "No changes: the clouds already match the policy.\n\n");
		}
		md.append(
				errors > 0
						? "**This plan cannot be applied: it has " + errors + " error finding"
								+ (errors == 1 ? "" : "s") + ".**"
						: "Findings: " + warnings + " warning" + (warnings == 1 ? "" : "s") + ".")
			.append("\n\n");
		counts.keySet().forEach(cloud -> {
			md.append("### ")
				.append(cloud)
				.append("\n\n| step | action | type | resource | group |\n|---:|---|---|---|---|\n");
			plan.changes()
				.stream()
				.filter(r -> r.cloud().equals(cloud))
				.forEach(r -> md.append("| ")
					.append(r.step() + 1)
					.append(" | ")
					.append(r.action())
					.append(" | ")
					.append(r.resourceType())
					.append(" | ")
					.append(cell(r.resource()))
					.append(" | ")
					.append(cell(r.group()))
					.append(" |\n"));
			md.append('\n');
		});
		if (!plan.flows().isEmpty()) {
			long opened = plan.flows().stream().filter(f -> FlowChange.ALLOWED.equals(f.change())).count();
			md.append("### Flows that change\n\n")
				.append(opened)
				.append(" become allowed, ")
				.append(plan.flows().size() - opened)
				.append(" become blocked (representative flows of the policy's rules and of what is live now).\n\n")
				.append("| | cloud | source | destination | service | decided by |\n|---|---|---|---|---|---|\n");
			plan.flows()
				.forEach(f -> md.append("| ")
					.append(FlowChange.ALLOWED.equals(f.change()) ? "➕ allowed" : "➖ blocked")
					.append(" | ")
					.append(f.cloud())
					.append(" | ")
					.append(cell(f.source()))
					.append(" | ")
					.append(cell(f.destination()))
					.append(" | ")
					.append(cell(f.service()))
					.append(" | ")
					.append(f.rule() == null ? "default" : "`" + cell(f.rule()) + "`")
					.append(" |\n"));
			md.append('\n');
		}
		if (!plan.foreign().isEmpty()) {
			md.append("<details><summary>Not managed by this policy, left alone (")
				.append(plan.foreign().size())
				.append(")</summary>\n\n| cloud | type | id | name |\n|---|---|---|---|\n");
			plan.foreign()
				.forEach(f -> md.append("| ")
					.append(f.cloud())
					.append(" | ")
					.append(f.resourceType())
					.append(" | ")
					.append(cell(f.id()))
					.append(" | ")
					.append(cell(f.name()))
					.append(" |\n"));
			md.append("\n</details>\n\n");
		}
		md.append("### Findings\n\n");
		if (plan.findings().isEmpty()) {
			md.append("None.\n");
		}
		else {
			md.append("| severity | code | target | rule | message |\n|---|---|---|---|---|\n");
			plan.findings()
				.forEach(f -> md.append("| ")
					.append(f.severity().wire())
					.append(" | `")
					.append(f.code())
					.append("` | ")
					.append(f.target().wire())
					.append(" | ")
					.append(cell(f.rule()))
					.append(" | ")
					.append(cell(f.message()))
					.append(" |\n"));
		}
		return md.toString();
	}

	/** Table cells: no line breaks, pipes escaped, empty for null. */
	static String cell(String text) {
		return text == null ? "" : text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
	}

}
