package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.outside;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GcpEvaluatorTest {

	private static final Policy POLICY = Fixtures.policy("p", Defaults.STANDARD, Map.of(), List.of("web", "app", "db"));

	private static final String APP_SA = "app@proj.iam.gserviceaccount.com";

	private static final Bindings BINDINGS = new Bindings(null, null,
			new Bindings.Gcp("proj", "vpc", null, Map.of("web", new Bindings.GcpGroup(List.of("web"), null, List.of()),
					"app", new Bindings.GcpGroup(List.of(), APP_SA, List.of()))));

	private final Endpoint.Workload web = workload("web", "10.0.1.10");

	private final Endpoint.Workload app = workload("app", "10.0.2.10");

	private final Endpoint.Workload db = workload("db", "10.0.3.10");

	/**
	 * A firewall from short fields: {@code action} "allow:tcp:443,8080-8081;udp" style,
	 * peers "ranges=..", "tags=..", "sas=..", targets "tt=..", "tsa=.." (comma separated
	 * values).
	 */
	static Firewall fw(String name, int priority, String direction, String action, String... fields) {
		boolean allow = action.startsWith("allow:");
		List<Firewall.ProtocolPorts> items = new ArrayList<>();
		for (String item : action.substring(action.indexOf(':') + 1).split(";")) {
			String[] parts = item.split(":");
			items.add(new Firewall.ProtocolPorts(parts[0],
					parts.length > 1 ? Arrays.asList(parts[1].split(",")) : List.of()));
		}
		List<String> ranges = List.of();
		List<String> tags = List.of();
		List<String> sas = List.of();
		List<String> targetTags = List.of();
		List<String> targetSas = List.of();
		for (String field : fields) {
			String key = field.substring(0, field.indexOf('='));
			List<String> values = Arrays.asList(field.substring(field.indexOf('=') + 1).split(","));
			switch (key) {
				case "ranges" -> ranges = values;
				case "tags" -> tags = values;
				case "sas" -> sas = values;
				case "tt" -> targetTags = values;
				case "tsa" -> targetSas = values;
				default -> throw new IllegalArgumentException(key);
			}
		}
		boolean ingress = direction.equals("INGRESS");
		return new Firewall(name, "", "vpc", priority, direction, allow ? items : List.of(), allow ? List.of() : items,
				ingress ? ranges : List.of(), ingress ? List.of() : ranges, tags, sas, targetTags, targetSas, null);
	}

	private static GcpEvaluator evaluator(Firewall... firewalls) {
		return new GcpEvaluator(POLICY, BINDINGS, new GcpOutput(List.of(firewalls)));
	}

	private static final Firewall HTTPS = fw("https-web", 1000, "INGRESS", "allow:tcp:443", "ranges=0.0.0.0/0",
			"tt=web");

	private static final Firewall SCANNERS = fw("scanners", 1000, "INGRESS", "deny:all", "ranges=203.0.113.0/24");

	private static final Firewall WEB_TO_APP = fw("web-to-app", 1001, "INGRESS", "allow:tcp:8080-8081",
			"ranges=10.0.1.0/24", "tsa=" + APP_SA);

	private static final Firewall FROM_APP = fw("from-app", 1002, "INGRESS", "allow:tcp:5432", "sas=" + APP_SA);

	private static final Firewall DB_NO_EGRESS = fw("db-no-egress", 1003, "EGRESS", "deny:all", "ranges=0.0.0.0/0",
			"tt=p-db");

	private static final Firewall DB_DNS = fw("db-dns", 1004, "EGRESS", "allow:udp:53", "ranges=0.0.0.0/0", "tt=p-db");

	private final GcpEvaluator eval = evaluator(HTTPS, SCANNERS, WEB_TO_APP, FROM_APP, DB_NO_EGRESS, DB_DNS);

	@Test
	void targetTagsSelectTheWorkloads() {
		assertThat(eval.evaluate(Flow.tcp(outside("198.51.100.1"), web, 443)).explanation())
			.isEqualTo("INGRESS to web: https-web (1000) allow");
		assertThat(eval.evaluate(Flow.tcp(outside("198.51.100.1"), app, 443)).explanation())
			.isEqualTo("INGRESS to app: implied rule (65535) DENY");
	}

	@Test
	void atEqualPriorityDenyWins() {
		CloudVerdict verdict = eval.evaluate(Flow.tcp(outside("203.0.113.9"), web, 443));
		assertThat(verdict.allowed()).isFalse();
		assertThat(verdict.explanation()).contains("scanners (1000) DENY");
	}

	@Test
	void serviceAccountsSelectTargetsAndSources() {
		CloudVerdict verdict = eval.evaluate(Flow.tcp(web, app, 8081));
		assertThat(verdict.explanation())
			.isEqualTo("EGRESS from web: implied rule (65535) allow; INGRESS to app: web-to-app (1001) allow");
		assertThat(eval.evaluate(Flow.tcp(app, db, 5432)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.tcp(app, web, 5432)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.tcp(web, db, 5432)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(outside("10.0.2.99"), db, 5432)).allowed()).isFalse();
	}

	@Test
	void theLowestPriorityNumberDecidesEgress() {
		CloudVerdict verdict = eval.evaluate(Flow.udp(db, outside("198.51.100.1"), 53));
		assertThat(verdict.allowed()).isFalse();
		assertThat(verdict.explanation()).contains("db-no-egress (1003) DENY");
		// egress ranges of one family do not hold the other
		assertThat(eval.evaluate(Flow.udp(workload("db", "2001:db8:3::1"), outside("2001:db8:9::1"), 53)).allowed())
			.isTrue();
	}

	@Test
	void sourceTagsMatchWorkloadsCarryingThem() {
		GcpEvaluator e = evaluator(fw("ssh", 900, "INGRESS", "allow:tcp:22", "tags=web", "tt=p-db"));
		assertThat(e.evaluate(Flow.tcp(web, db, 22)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.tcp(app, db, 22)).allowed()).isFalse();
		assertThat(e.evaluate(Flow.tcp(outside("10.0.1.11"), db, 22)).allowed()).isFalse();
	}

	@Test
	void protocolsByNameAndNumber() {
		GcpEvaluator e = evaluator(fw("mixed", 900, "INGRESS", "allow:esp;58;udp:1000-1001,53;icmp",
				"ranges=0.0.0.0/0,10.0.0.0/8", "tt=web"),
				fw("mixed6", 901, "INGRESS", "allow:58;47", "ranges=::/0", "tt=web"));
		assertThat(e.evaluate(Flow.other(outside("192.0.2.1"), web, 50)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.other(outside("192.0.2.1"), web, 51)).allowed()).isFalse();
		assertThat(e.evaluate(Flow.udp(outside("192.0.2.1"), web, 1001)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.udp(outside("192.0.2.1"), web, 53)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.udp(outside("192.0.2.1"), web, 1002)).allowed()).isFalse();
		assertThat(e.evaluate(Flow.tcp(outside("192.0.2.1"), web, 1001)).allowed()).isFalse();
		assertThat(e.evaluate(Flow.icmp(outside("192.0.2.1"), web, 3, 4)).allowed()).isTrue();
		Endpoint.Workload web6 = workload("web", "2001:db8:1::1");
		assertThat(e.evaluate(Flow.icmp(outside("2001:db8:9::1"), web6, 128, 0)).explanation())
			.contains("mixed6 (901)");
		assertThat(e.evaluate(Flow.other(outside("2001:db8:9::1"), web6, 47)).allowed()).isTrue();
	}

	@Test
	void unboundGroupsCarryTheDefaultTag() {
		GcpEvaluator e = new GcpEvaluator(POLICY, Bindings.NONE,
				new GcpOutput(List.of(fw("to-web", 900, "INGRESS", "allow:all", "ranges=0.0.0.0/0", "tt=p-web"))));
		assertThat(e.evaluate(Flow.other(outside("192.0.2.1"), web, 47)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.other(outside("192.0.2.1"), app, 47)).allowed()).isFalse();
	}

	@Test
	void anotherVmIsJudgedOnlyByTheFirewallsThatTargetItAndTheImpliedRules() {
		Endpoint.OtherVm vm = new Endpoint.OtherVm(Fixtures.ip("10.0.9.9"), List.of("legacy"), null);
		GcpEvaluator e = evaluator(fw("to-web", 900, "INGRESS", "allow:all", "ranges=0.0.0.0/0", "tt=web"),
				fw("legacy-ssh", 901, "INGRESS", "allow:tcp:22", "ranges=0.0.0.0/0", "tt=legacy"),
				fw("everyone-out", 902, "EGRESS", "deny:udp", "ranges=0.0.0.0/0"));
		assertThat(e.evaluate(Flow.tcp(outside("198.51.100.1"), vm, 443)).explanation())
			.isEqualTo("INGRESS to vm[legacy]@10.0.9.9: implied rule (65535) DENY");
		assertThat(e.evaluate(Flow.tcp(outside("198.51.100.1"), vm, 22)).allowed()).isTrue();
		assertThat(e.evaluate(Flow.udp(vm, outside("198.51.100.1"), 53)).explanation())
			.isEqualTo("EGRESS from vm[legacy]@10.0.9.9: everyone-out (902) DENY");
		assertThat(e.evaluate(Flow.tcp(vm, outside("198.51.100.1"), 53)).allowed()).isTrue();
		// a flow from a workload to the VM needs both steps; each step can be judged
		// alone
		Flow webToVm = Flow.tcp(web, vm, 443);
		assertThat(e.evaluate(webToVm).explanation())
			.isEqualTo("EGRESS from web: implied rule (65535) allow; INGRESS to vm[legacy]@10.0.9.9: "
					+ "implied rule (65535) DENY");
		assertThat(e.evaluateStep(webToVm, Direction.EGRESS).allowed()).isTrue();
		assertThat(e.evaluateStep(webToVm, Direction.INGRESS).allowed()).isFalse();
		assertThatThrownBy(() -> e.evaluateStep(Flow.tcp(outside("198.51.100.1"), web, 1), Direction.EGRESS))
			.hasMessageContaining("no firewall targets outside@198.51.100.1");
	}

	@Test
	void aVmWithAGroupsTagOrServiceAccountIsThatGroupsWorkload() {
		Endpoint.OtherVm tagged = new Endpoint.OtherVm(Fixtures.ip("10.0.9.9"), List.of("web"), null);
		Endpoint.OtherVm account = new Endpoint.OtherVm(Fixtures.ip("10.0.9.9"), List.of(), APP_SA);
		assertThatThrownBy(() -> eval.evaluate(Flow.tcp(outside("198.51.100.1"), tagged, 443)))
			.hasMessageContaining("group web");
		assertThatThrownBy(() -> eval.evaluate(Flow.tcp(web, account, 443))).hasMessageContaining("group app");
	}

	@Test
	void aFlowBetweenAddressesThatAreNoVmIsNotJudged() {
		assertThatThrownBy(() -> eval.evaluate(Flow.tcp(outside("198.51.100.1"), outside("198.51.100.2"), 443)))
			.hasMessageContaining("no VM of the network");
	}

	@Test
	void malformedOutputIsRefused() {
		assertThatThrownBy(() -> evaluator(fw("mix", 900, "INGRESS", "allow:all", "ranges=0.0.0.0/0,::/0")))
			.hasMessageContaining("IPv4 and IPv6");
		assertThatThrownBy(() -> evaluator(fw("a", 900, "INGRESS", "allow:all", "ranges=0.0.0.0/0"),
				fw("a", 901, "INGRESS", "allow:all", "ranges=0.0.0.0/0")))
			.hasMessageContaining("used twice");
		assertThatThrownBy(() -> evaluator(fw("eg", 900, "EGRESS", "allow:all", "ranges=0.0.0.0/0", "tags=web")))
			.hasMessageContaining("EGRESS cannot have sourceTags");
		assertThatThrownBy(() -> evaluator(fw("t", 900, "INGRESS", "allow:all", "ranges=0.0.0.0/0", "tt=web", "tsa=x")))
			.hasMessageContaining("targetServiceAccounts");
		assertThatThrownBy(() -> evaluator(fw("p", 900, "INGRESS", "allow:icmp:8", "ranges=0.0.0.0/0")))
			.hasMessageContaining("only for tcp, udp and sctp");
		assertThatThrownBy(() -> evaluator(fw("g", 900, "INGRESS", "allow:gre", "ranges=0.0.0.0/0")))
			.hasMessageContaining("not one GCP knows");
		assertThatThrownBy(() -> evaluator(fw("n", 900, "INGRESS", "allow:all"))).hasMessageContaining("INGRESS needs");
	}

}
