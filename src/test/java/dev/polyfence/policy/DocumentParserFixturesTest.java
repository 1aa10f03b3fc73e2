package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.PARSER;
import static dev.polyfence.policy.Fixtures.cidr;
import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

class DocumentParserFixturesTest {

	@Test
	void specExampleParsesToTheExpectedRecords() {
		Policy policy = PARSER.parsePolicy(read("spec-example.yaml"));

		Policy expected = new Policy("payments", "Three-tier payments service", Defaults.STANDARD,
				Map.of("partners", List.of(cidr("198.51.100.0/24"), cidr("2001:db8:1::/48"))),
				List.of("web", "app", "db"),
				List.of(new Rule("block-scanners", Action.DENY, Direction.INGRESS, List.of(),
						List.of(new Peer.Cidr(cidr("203.0.113.0/24"))), List.of(), false),
						new Rule("https-from-internet", Action.ALLOW, Direction.INGRESS, List.of("web"),
								List.of(Peer.ANY), List.of(Service.of(Protocol.TCP, PortRange.of(443))), false),
						new Rule("web-to-app", Action.ALLOW, Direction.INGRESS, List.of("app"),
								List.of(new Peer.Group("web")),
								List.of(Service.of(Protocol.TCP, new PortRange(8080, 8081))), false),
						new Rule("partners-to-db", Action.ALLOW, Direction.INGRESS, List.of("db"),
								List.of(new Peer.AddressSet("partners"), new Peer.Group("app")),
								List.of(Service.of(Protocol.TCP, PortRange.of(5432)),
										Service.icmp(Protocol.ICMP, 8, null)),
								true)));
		assertThat(policy).isEqualTo(expected);
		assertThat(policy.rules().get(0).appliesToAll()).isTrue();
		assertThat(policy.rules().get(0).peers().get(0)).hasToString("203.0.113.0/24");
		assertThat(policy.addressSets().get("partners")).extracting(Object::toString)
			.containsExactly("198.51.100.0/24", "2001:db8:1::/48");
	}

	@Test
	void specExampleBindingsParseToTheExpectedRecords() {
		Bindings bindings = PARSER.parseBindings(read("spec-example-bindings.yaml"));

		assertThat(bindings.aws().region()).isEqualTo("eu-west-1");
		assertThat(bindings.aws().vpcId()).isEqualTo("vpc-0a1b2c3d");
		assertThat(bindings.aws().ephemeralPorts()).isEqualTo(new PortRange(1024, 65535));
		assertThat(bindings.aws().securityGroupRuleQuota()).isNull();
		assertThat(bindings.aws().group("db")).contains(new Bindings.AwsGroup("payments-db",
				List.of("subnet-0a1b2c03", "subnet-0a1b2c13"), List.of(cidr("10.0.3.0/24"), cidr("10.0.13.0/24"))));
		assertThat(bindings.azure()).isEqualTo(new Bindings.Azure("00000000-0000-0000-0000-000000000000", "payments-rg",
				"westeurope", 100,
				Map.of("web", new Bindings.AzureGroup("payments-web", "payments-web-asg", List.of(cidr("10.1.1.0/24"))),
						"app",
						new Bindings.AzureGroup("payments-app", "payments-app-asg", List.of(cidr("10.1.2.0/24"))), "db",
						new Bindings.AzureGroup("payments-db", "payments-db-asg", List.of(cidr("10.1.3.0/24"))))));
		assertThat(bindings.gcp().project()).isEqualTo("payments-prod");
		assertThat(bindings.gcp().network()).isEqualTo("prod-vpc");
		assertThat(bindings.gcp().priorityBase()).isEqualTo(1000);
		assertThat(bindings.gcp().group("web"))
			.contains(new Bindings.GcpGroup(List.of("web"), null, List.of(cidr("10.2.1.0/24"))));
		assertThat(bindings.gcp().group("db")).contains(new Bindings.GcpGroup(List.of(),
				"db@payments-prod.iam.gserviceaccount.com", List.of(cidr("10.2.3.0/24"))));
	}

	@ParameterizedTest
	@FieldSource("dev.polyfence.policy.Fixtures#POLICIES")
	void everyFixtureParsesAndItsBindingsBindEveryGroupInAllThreeClouds(String name) {
		Policy policy = PARSER.parsePolicy(read(name + ".yaml"));
		PolicyRequest request = PARSER.parseRequest(requestYaml(name), true);

		assertThat(request.policy()).isEqualTo(policy);
		Bindings bindings = request.bindings();
		assertThat(bindings.aws().groups().keySet()).containsExactlyInAnyOrderElementsOf(policy.groups());
		assertThat(bindings.azure().groups().keySet()).containsExactlyInAnyOrderElementsOf(policy.groups());
		assertThat(bindings.gcp().groups().keySet()).containsExactlyInAnyOrderElementsOf(policy.groups());
		for (String group : policy.groups()) {
			assertThat(bindings.aws().groups().get(group).cidrs()).isNotEmpty();
			assertThat(bindings.aws().groups().get(group).subnetIds()).isNotEmpty();
			assertThat(bindings.azure().groups().get(group).applicationSecurityGroupName()).isNotBlank();
			assertThat(bindings.azure().groups().get(group).cidrs()).isNotEmpty();
			Bindings.GcpGroup gcp = bindings.gcp().groups().get(group);
			assertThat(gcp.targetTags().isEmpty()).isNotEqualTo(gcp.serviceAccount() == null);
			assertThat(gcp.cidrs()).isNotEmpty();
		}
	}

	@ParameterizedTest
	@FieldSource("dev.polyfence.policy.Fixtures#POLICIES")
	void jsonAndYamlOfTheSameDocumentGiveTheSameRecords(String name) {
		String yaml = read(name + ".yaml");
		String json = JsonMapper.shared().writeValueAsString(YAMLMapper.shared().readTree(yaml));
		String bindingsJson = JsonMapper.shared()
			.writeValueAsString(YAMLMapper.shared().readTree(read(name + "-bindings.yaml")));

		assertThat(PARSER.parsePolicy(json)).isEqualTo(PARSER.parsePolicy(yaml));
		assertThat(PARSER.parseBindings(bindingsJson)).isEqualTo(PARSER.parseBindings(read(name + "-bindings.yaml")));
		String body = "{\"policy\": " + json + ", \"bindings\": " + bindingsJson + ", \"targets\": [\"gcp\", \"aws\"]}";
		PolicyRequest request = PARSER.parseRequest(body, false);
		assertThat(request.policy()).isEqualTo(PARSER.parsePolicy(yaml));
		assertThat(request.targets()).containsExactly(Cloud.AWS, Cloud.GCP);
	}

	@Test
	void handWrittenJsonFixtureParses() {
		Policy policy = PARSER.parsePolicy(read("frontend-to-database.json"));

		assertThat(policy).isEqualTo(PARSER.parsePolicy(read("frontend-to-database.yaml")));
	}

	@Test
	void threeTierHasItsBlockedRangePartnersAndIcmp() {
		Policy policy = PARSER.parsePolicy(read("three-tier.yaml"));

		assertThat(policy.name()).isEqualTo("shop");
		assertThat(policy.rules()).extracting(Rule::name)
			.containsExactly("block-bad-range-in", "block-bad-range-out", "web-from-internet", "app-from-web",
					"db-from-app", "db-from-partners", "ping-from-app");
		assertThat(policy.rules().get(1).direction()).isEqualTo(Direction.EGRESS);
		assertThat(policy.blocksOf(policy.rules().get(5).peers().get(0))).extracting(Object::toString)
			.containsExactly("198.51.100.0/24", "192.0.2.128/25", "2001:db8:1::/48");
		assertThat(policy.rules().get(6).services()).containsExactly(Service.icmp(Protocol.ICMP, 8, 0),
				Service.icmp(Protocol.ICMPV6, 128, null));
		assertThat(policy.rules().get(2).services())
			.containsExactly(Service.of(Protocol.TCP, PortRange.of(80), PortRange.of(443)));
	}

	@Test
	void omittedParts() {
		Policy policy = PARSER.parsePolicy("""
				apiVersion: polyfence.dev/v1
				kind: NetworkPolicy
				metadata: {name: bare}
				spec:
				  groups: [{name: only}]
				""");

		assertThat(policy.defaults()).isEqualTo(new Defaults(Action.DENY, Action.ALLOW));
		assertThat(policy.description()).isEmpty();
		assertThat(policy.addressSets()).isEmpty();
		assertThat(policy.rules()).isEmpty();
		Policy withRule = PARSER.parsePolicy(Fixtures.policyWithRules("""
				- {name: r, action: allow, direction: egress, appliesTo: [web], peers: [{any: true}]}
				"""));
		Rule rule = withRule.rules().get(0);
		assertThat(rule.services()).isEmpty();
		assertThat(rule.effectiveServices()).containsExactly(Service.ALL_TRAFFIC);
		assertThat(rule.log()).isFalse();
		assertThat(PARSER.parseBindings("{}")).isEqualTo(Bindings.NONE);
		Bindings partial = PARSER.parseBindings("aws: {region: eu-west-1}");
		assertThat(partial.aws().ephemeralPorts()).isEqualTo(Bindings.Aws.DEFAULT_EPHEMERAL_PORTS);
		assertThat(partial.azure()).isNull();
	}

	@Test
	void numericProtocolsAreNormalised() {
		Policy policy = PARSER.parsePolicy(Fixtures.policyWithRules("""
				- name: numbers
				  action: allow
				  direction: ingress
				  appliesTo: ["*"]
				  peers: [{any: true}]
				  services:
				    - {protocol: 6, ports: ["22"]}
				    - {protocol: 17, ports: ["53"]}
				    - {protocol: 1, icmpType: 3, icmpCode: 4}
				    - {protocol: 58}
				    - {protocol: 47}
				    - {protocol: 0}
				    - {protocol: any}
				"""));

		assertThat(policy.rules().get(0).services()).containsExactly(Service.of(Protocol.TCP, PortRange.of(22)),
				Service.of(Protocol.UDP, PortRange.of(53)), Service.icmp(Protocol.ICMP, 3, 4),
				Service.icmp(Protocol.ICMPV6, null, null), Service.of(new Protocol(47)), Service.of(new Protocol(0)),
				Service.ALL_TRAFFIC);
		assertThat(policy.rules().get(0).services().get(0).protocol().wire()).isEqualTo("tcp");
	}

	@Test
	void yamlAliasesOfListsAndMappingsAreExpanded() {
		Policy policy = PARSER.parsePolicy(Fixtures.policyWithRules("""
				- name: first
				  action: allow
				  direction: ingress
				  appliesTo: [web]
				  peers: &everyone [{any: true}]
				  services: &https [{protocol: tcp, ports: ["443"]}]
				- name: second
				  action: allow
				  direction: ingress
				  appliesTo: [app]
				  peers: *everyone
				  services: *https
				"""));

		assertThat(policy.rules().get(1).peers()).containsExactly(Peer.ANY);
		assertThat(policy.rules().get(1).services()).isEqualTo(policy.rules().get(0).services());
	}

	@Test
	void edgeValuesParse() {
		Policy policy = PARSER.parsePolicy("\uFEFF" + Fixtures.policyWithRules("""
				- name: everything
				  action: deny
				  direction: egress
				  appliesTo: ["*"]
				  peers: [{cidr: 0.0.0.0/0}, {cidr: "::/0"}, {cidr: 192.0.2.7/32}, {cidr: "2001:db8::1/128"}]
				  services: [{protocol: 6.0, ports: ["0-65535", "0"]}, {protocol: icmp, icmpType: 8.0}]
				"""));

		Rule rule = policy.rules().get(0);
		assertThat(rule.peers()).extracting(Object::toString)
			.containsExactly("0.0.0.0/0", "::/0", "192.0.2.7/32", "2001:db8::1/128");
		assertThat(rule.services()).containsExactly(Service.of(Protocol.TCP, PortRange.ALL, PortRange.of(0)),
				Service.icmp(Protocol.ICMP, 8, null));
	}

	@Test
	void jsonWithByteOrderMarkParses() {
		assertThat(PARSER.parsePolicy("\uFEFF" + read("frontend-to-database.json")).name())
			.isEqualTo("frontend-to-database");
	}

	static String requestYaml(String name) {
		return "policy:\n" + read(name + ".yaml").indent(2) + "bindings:\n" + read(name + "-bindings.yaml").indent(2);
	}

}
