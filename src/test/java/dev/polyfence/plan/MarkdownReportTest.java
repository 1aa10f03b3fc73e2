package dev.polyfence.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

	private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

	@Test
	void summaryFirstThenChangesFlowsAndFindingsLastWithCellsEscaped() {
		String md = MarkdownReport.render(new MarkdownReport.Input("p1", "shop", "planned", NOW, NOW.plusSeconds(3600),
				List.of(new ChangeRow(0, "aws", "create", "security-group", "shop-web", "web", null, Map.of()),
						new ChangeRow(1, "aws", "delete", "security-group-rule", "a|b", "web", Map.of(), null)),
				List.of(new FlowChange("aws", "blocked", "outside@198.51.100.0", "db@10.0.3.0", "tcp/5432", null)),
				List.of(), List.of(new Finding(Severity.WARNING, "RISKY_RULE", Target.POLICY, "ssh", "line\nbreak"))));

		assertThat(md.indexOf("| **total** | **1** | **0** | **1** |")).isPositive().isLessThan(md.indexOf("### aws"));
		assertThat(md.indexOf("### aws")).isLessThan(md.indexOf("### Flows that change"));
		assertThat(md.indexOf("### Flows that change")).isLessThan(md.indexOf("### Findings"));
		assertThat(md).contains("a\\|b")
			.contains("line break")
			.contains("0 become allowed, 1 become blocked")
			.contains("| ➖ blocked | aws | outside@198.51.100.0 | db@10.0.3.0 | tcp/5432 | default |");
	}

	@Test
	void anEmptyPlanWithErrorsDoesNotClaimTheCloudsMatch() {
		String md = MarkdownReport
			.render(new MarkdownReport.Input("p2", "shop", "planned", NOW, NOW, List.of(), List.of(), List.of(),
					List.of(new Finding(Severity.ERROR, "TARGET_UNAVAILABLE", Target.AWS, null, "no credentials"))));

		assertThat(md).doesNotContain("already match")
			.contains("could not be planned")
			.contains("cannot be applied: it has 1 error finding");
	}

}
