package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.ip;
import static dev.polyfence.verify.Fixtures.outside;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AzureEvaluatorTest {

	private static final Policy POLICY = Fixtures.policy("p", Defaults.STANDARD, Map.of(), List.of("web", "app"));

	private static final Bindings BINDINGS = new Bindings(null, new Bindings.Azure("sub", "rg", "westeurope", null,
			Map.of("web",
					new Bindings.AzureGroup("p-web", "web-asg", List.of(ip("10.0.1.0/24"), ip("2001:db8:1::/64"))),
					"app", new Bindings.AzureGroup(null, null, List.of(ip("10.0.2.0/24"), ip("2001:db8:2::/64"))))),
			null);

	private static final String ASG_PATH = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/";

	private final Endpoint.Workload web = workload("web", "10.0.1.10");

	private final Endpoint.Workload app = workload("app", "10.0.2.10");

	private final Endpoint.Workload web6 = workload("web", "2001:db8:1::10");

	private final Endpoint.Workload app6 = workload("app", "2001:db8:2::10");

	/**
	 * src/dst: "asg:name" for an ASG, "a,b" for prefixes, else one prefix; one port gives
	 * destinationPortRange.
	 */
	static SecurityRule rule(String name, int priority, String direction, String access, String protocol, String src,
			String dst, String... ports) {
		return new SecurityRule(name,
				new SecurityRule.Properties(null, priority, direction, access, protocol, single(src), several(src),
						asgs(src), "*", single(dst), several(dst), asgs(dst), ports.length == 1 ? ports[0] : null,
						ports.length > 1 ? List.of(ports) : null));
	}

	private static String single(String side) {
		return side.startsWith("asg:") || side.contains(",") ? null : side;
	}

	private static List<String> several(String side) {
		return side.startsWith("asg:") || !side.contains(",") ? null : Arrays.asList(side.split(","));
	}

	private static List<SecurityRule.ApplicationSecurityGroupRef> asgs(String side) {
		return side.startsWith("asg:")
				? List.of(new SecurityRule.ApplicationSecurityGroupRef(ASG_PATH + side.substring(4))) : null;
	}

	static NetworkSecurityGroup nsg(String group, SecurityRule... rules) {
		return new NetworkSecurityGroup(group, "p-" + group, "westeurope",
				new NetworkSecurityGroup.Properties(List.of(rules)));
	}

	private static final NetworkSecurityGroup WEB = nsg("web",
			rule("https", 100, "Inbound", "Allow", "Tcp", "*", "*", "443"),
			rule("deny-in", 4096, "Inbound", "Deny", "*", "*", "*", "*"));

	private static final NetworkSecurityGroup APP = nsg("app",
			rule("web-to-app", 100, "Inbound", "Allow", "Tcp", "asg:web-asg", "asg:p-app", "8080-8081"),
			rule("no-ping", 110, "Inbound", "Deny", "Icmp", "*", "*", "*"));

	private static AzureEvaluator evaluator(NetworkSecurityGroup... nsgs) {
		return new AzureEvaluator(POLICY, BINDINGS, new AzureOutput(List.of(nsgs)));
	}

	@Test
	void theFirstRuleByPriorityDecides() {
		AzureEvaluator eval = evaluator(WEB, APP);
		CloudVerdict https = eval.evaluate(Flow.tcp(outside("198.51.100.1"), web, 443));
		assertThat(https.allowed()).isTrue();
		assertThat(https.explanation()).isEqualTo("NSG p-web inbound: https (100) allow");
		CloudVerdict http = eval.evaluate(Flow.tcp(outside("198.51.100.1"), web, 80));
		assertThat(http.allowed()).isFalse();
		assertThat(http.explanation()).contains("deny-in (4096)");
	}

	@Test
	void asgReferencesMatchByTheLastSegmentOfTheirId() {
		CloudVerdict verdict = evaluator(WEB, APP).evaluate(Flow.tcp(web, app, 8081));
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.explanation()).isEqualTo(
				"NSG p-web outbound: AllowVnetOutBound (65000) allow; NSG p-app inbound: web-to-app (100) allow");
		// an outside address in the ASG's cidrs is no member
		assertThat(evaluator(WEB, APP).evaluate(Flow.tcp(outside("10.0.3.1"), app, 8081)).allowed()).isFalse();
	}

	@Test
	void azuresDefaultRulesApplyBelowTheNsgsOwn() {
		AzureEvaluator eval = evaluator(WEB, APP);
		CloudVerdict vnet = eval.evaluate(Flow.tcp(web, app, 9000));
		assertThat(vnet.allowed()).isTrue();
		assertThat(vnet.explanation()).contains("AllowVnetInBound (65000)");
		CloudVerdict internet = eval.evaluate(Flow.tcp(outside("198.51.100.1"), app, 9000));
		assertThat(internet.allowed()).isFalse();
		assertThat(internet.explanation()).contains("DenyAllInBound (65500)");
		assertThat(eval.evaluate(Flow.other(outside("168.63.129.16"), app, 47)).explanation())
			.contains("AllowAzureLoadBalancerInBound (65001) allow");
		assertThat(eval.evaluate(Flow.udp(app, outside("198.51.100.1"), 53)).explanation())
			.contains("AllowInternetOutBound (65001) allow");
	}

	@Test
	void icmpMatchesIcmpv6Too() {
		AzureEvaluator eval = evaluator(WEB, APP);
		assertThat(eval.evaluate(Flow.icmp(web, app, 8, 0)).explanation()).contains("no-ping (110) DENY");
		assertThat(eval.evaluate(Flow.icmp(web6, app6, 128, 0)).explanation()).contains("no-ping (110) DENY");
		assertThat(eval.evaluate(Flow.other(web6, app6, 50)).allowed()).isTrue();
	}

	@Test
	void serviceTagsSplitVirtualNetworkFromInternet() {
		NetworkSecurityGroup web = nsg("web", rule("no-internet", 200, "Outbound", "Deny", "*", "*", "Internet", "*"));
		AzureEvaluator eval = evaluator(web, APP);
		assertThat(eval.evaluate(Flow.tcp(this.web, outside("198.51.100.1"), 443)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(web6, outside("2001:db8:9::1"), 443)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(this.web, app, 8080)).allowed()).isTrue();
		NetworkSecurityGroup vnetOnly = nsg("web",
				rule("vnet", 200, "Outbound", "Deny", "*", "VirtualNetwork", "VirtualNetwork", "*"));
		assertThat(evaluator(vnetOnly, APP).evaluate(Flow.tcp(this.web, app, 8080)).allowed()).isFalse();
		assertThat(evaluator(vnetOnly, APP).evaluate(Flow.tcp(this.web, outside("198.51.100.1"), 80)).allowed())
			.isTrue();
	}

	@Test
	void portsApplyToTcpAndUdpOnly() {
		NetworkSecurityGroup app = nsg("app",
				rule("dns", 100, "Inbound", "Allow", "Udp", "198.51.100.0/24,203.0.113.5", "*", "53", "5000-5001"),
				rule("all-443", 110, "Inbound", "Allow", "*", "192.0.2.0/24", "10.0.2.0/24", "443"));
		AzureEvaluator eval = evaluator(WEB, app);
		assertThat(eval.evaluate(Flow.udp(outside("203.0.113.5"), this.app, 5001)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.udp(outside("203.0.113.6"), this.app, 5001)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.udp(outside("198.51.100.9"), this.app, 5002)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(outside("198.51.100.9"), this.app, 53)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(outside("192.0.2.1"), this.app, 443)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.tcp(outside("192.0.2.1"), this.app, 444)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.icmp(outside("192.0.2.1"), this.app, 8, 0)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.other(outside("192.0.2.1"), this.app, 50)).allowed()).isTrue();
	}

	@Test
	void unboundGroupsUseDefaultAsgNames() {
		AzureEvaluator eval = new AzureEvaluator(POLICY, Bindings.NONE,
				new AzureOutput(
						List.of(WEB, nsg("app", rule("from-web", 100, "Inbound", "Allow", "*", "asg:p-web", "*", "*"),
								rule("deny", 4096, "Inbound", "Deny", "*", "*", "*", "*")))));
		assertThat(eval.evaluate(Flow.tcp(web, app, 1)).allowed()).isTrue();
		// no bound cidrs: nothing is VirtualNetwork
		assertThat(eval.evaluate(Flow.tcp(web, app, 1)).explanation()).contains("AllowInternetOutBound");
	}

	@Test
	void malformedOutputIsRefused() {
		SecurityRule sourcePort = new SecurityRule("sp", new SecurityRule.Properties(null, 100, "Inbound", "Allow",
				"Tcp", "*", null, null, "1024", "*", null, null, "443", null));
		assertThatThrownBy(() -> evaluator(WEB, nsg("app", sourcePort))).hasMessageContaining("sourcePortRange");
		assertThatThrownBy(() -> evaluator(WEB,
				nsg("app", rule("a", 100, "Inbound", "Allow", "*", "*", "*", "*"),
						rule("b", 100, "Inbound", "Deny", "*", "*", "*", "*"))))
			.hasMessageContaining("priority 100 used twice");
		evaluator(WEB, nsg("app", rule("a", 100, "Inbound", "Allow", "*", "*", "*", "*"),
				rule("b", 100, "Outbound", "Deny", "*", "*", "*", "*")));
		assertThatThrownBy(() -> evaluator(WEB, nsg("app", rule("a", 100, "Inbound", "Allow", "Gre", "*", "*", "*"))))
			.hasMessageContaining("not one Azure knows");
		assertThatThrownBy(() -> evaluator(WEB, nsg("app", rule("a", 65000, "Inbound", "Allow", "*", "*", "*", "*"))))
			.hasMessageContaining("below the default rules");
		assertThatThrownBy(
				() -> evaluator(WEB, nsg("app", rule("a", 100, "Inbound", "Allow", "*", "Storage", "*", "*"))))
			.hasMessageContaining("not an IP address");
		assertThatThrownBy(() -> evaluator(WEB)).hasMessageContaining("group app has no NSG");
	}

}
