package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.assertProblem;
import static dev.polyfence.policy.Fixtures.invalidPolicy;
import static dev.polyfence.policy.Fixtures.policyWithRules;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One test per kind of mistake in a policy document: the exact pointer and what the
 * message says.
 */
class PolicyErrorsTest {

	private static final String HEADER = """
			apiVersion: polyfence.dev/v1
			kind: NetworkPolicy
			metadata: {name: test}
			""";

	private static InvalidDocumentException rule(String rule) {
		return invalidPolicy(policyWithRules(rule));
	}

	@Test
	void nonCanonicalCidrNamesTheBlockItMeant() {
		InvalidDocumentException e = rule(
				"""
						- {name: r, action: deny, direction: ingress, appliesTo: ["*"], peers: [{any: true}, {cidr: 10.0.0.1/8}]}
						""");

		assertProblem(e, "/spec/rules/0/peers/1/cidr",
				"10.0.0.1/8 is not a canonical CIDR block: its host bits are set; did you mean 10.0.0.0/8?");
		assertThat(e.problems()).hasSize(1);
	}

	@Test
	void nonCanonicalIpv6CidrAndBadCidrsInAddressSets() {
		InvalidDocumentException e = invalidPolicy(HEADER + """
				spec:
				  addressSets:
				    partners: [2001:db8:1::1/48, 300.0.0.0/8, 10.0.0.0/33, 10.0.0.1, not-an-address, 010.0.0.0/8]
				  groups: [{name: web}]
				""");

		assertProblem(e, "/spec/addressSets/partners/0", "did you mean 2001:db8:1::/48?");
		assertProblem(e, "/spec/addressSets/partners/1", "300.0.0.0 is not an IPv4 or IPv6 address");
		assertProblem(e, "/spec/addressSets/partners/2", "the prefix length 33 is more than 32");
		assertProblem(e, "/spec/addressSets/partners/3", "it has no prefix length; did you mean 10.0.0.1/32");
		assertProblem(e, "/spec/addressSets/partners/4", "'not-an-address' is not a CIDR block");
		assertProblem(e, "/spec/addressSets/partners/5", "is not a CIDR block");
		assertThat(e.problems()).hasSize(6);
	}

	@Test
	void unknownFieldsAtSeveralDepths() {
		InvalidDocumentException e = invalidPolicy("""
				apiVersion: polyfence.dev/v1
				kind: NetworkPolicy
				metdata: {name: test}
				metadata: {name: test, labels: {a: b}}
				spec:
				  default: {ingress: deny}
				  defaults: {ingres: deny}
				  groups: [{name: web, tier: 1}]
				  rules:
				    - name: r
				      action: allow
				      direction: ingress
				      appliesto: [web]
				      appliesTo: [web]
				      peers: [{any: true, except: [10.0.0.0/8]}]
				      services: [{protocol: tcp, prots: ["443"]}]
				""");

		assertProblem(e, "/metdata", "unknown field 'metdata'; did you mean 'metadata'?");
		assertProblem(e, "/metadata/labels", "unknown field 'labels'");
		assertProblem(e, "/spec/default", "unknown field 'default'; did you mean 'defaults'?");
		assertProblem(e, "/spec/defaults/ingres", "unknown field 'ingres'; did you mean 'ingress'?");
		assertProblem(e, "/spec/groups/0/tier", "unknown field 'tier'");
		assertProblem(e, "/spec/rules/0/appliesto", "unknown field 'appliesto'; did you mean 'appliesTo'?");
		assertProblem(e, "/spec/rules/0/peers/0/except", "unknown field 'except'");
		assertProblem(e, "/spec/rules/0/services/0/prots", "unknown field 'prots'");
	}

	@Test
	void unknownFieldWithSlashInItsNameIsEscapedInThePointer() {
		InvalidDocumentException e = invalidPolicy(HEADER + "spec: {groups: [{name: web}], \"a/b~c\": 1}\n");

		assertProblem(e, "/spec/a~1b~0c", "unknown field 'a/b~c'");
	}

	@Test
	void missingRequiredFields() {
		InvalidDocumentException e = invalidPolicy("""
				kind: NetworkPolicy
				metadata: {description: no name}
				spec:
				  groups: [{name: web}]
				  rules: [{name: r, direction: ingress, peers: [{any: true}]}]
				""");

		assertProblem(e, "", "required field 'apiVersion' is missing");
		assertProblem(e, "/metadata", "required field 'name' is missing");
		assertProblem(e, "/spec/rules/0", "required field 'action' is missing");
		assertProblem(e, "/spec/rules/0", "required field 'appliesTo' is missing");
	}

	@Test
	void wrongApiVersionAndKind() {
		InvalidDocumentException e = invalidPolicy("""
				apiVersion: polyfence.dev/v2
				kind: Policy
				metadata: {name: test}
				spec: {groups: [{name: web}]}
				""");

		assertProblem(e, "/apiVersion", "apiVersion must be polyfence.dev/v1, not 'polyfence.dev/v2'");
		assertProblem(e, "/kind", "kind must be NetworkPolicy, not 'Policy'");
	}

	@Test
	void badNames() {
		InvalidDocumentException e = invalidPolicy(
				"""
						apiVersion: polyfence.dev/v1
						kind: NetworkPolicy
						metadata: {name: a-policy-name-that-is-much-too-long}
						spec:
						  addressSets: {Partners: [10.0.0.0/8]}
						  groups: [{name: Web_Tier}, {name: web-}]
						  rules:
						    - {name: a-rule-name-that-is-longer-than-forty-characters, action: allow, direction: ingress, appliesTo: ["*"], peers: [{any: true}]}
						""");

		assertProblem(e, "/metadata/name",
				"policy name 'a-policy-name-that-is-much-too-long' is longer than 30 characters");
		assertProblem(e, "/spec/addressSets/Partners", "'Partners' is not a valid address set name");
		assertProblem(e, "/spec/groups/0/name", "'Web_Tier' is not a valid group name: use lower-case letters");
		assertProblem(e, "/spec/groups/1/name", "'web-' is not a valid group name");
		assertProblem(e, "/spec/rules/0/name", "is longer than 40 characters");
	}

	@Test
	void wrongEnumValuesAndTypes() {
		InvalidDocumentException e = invalidPolicy(HEADER + """
				spec:
				  defaults: {ingress: dney, egress: allow}
				  groups: [{name: web}]
				  rules:
				    - {name: r, action: permit, direction: inbound, appliesTo: web, peers: [{any: true}], log: yes}
				""");

		assertProblem(e, "/spec/defaults/ingress", "'dney' is not one of allow, deny");
		assertProblem(e, "/spec/rules/0/action", "'permit' is not one of allow, deny");
		assertProblem(e, "/spec/rules/0/direction", "'inbound' is not one of ingress, egress");
		assertProblem(e, "/spec/rules/0/appliesTo", "expected a list, found 'web'");
		assertProblem(e, "/spec/rules/0/log", "expected true or false, found 'yes'");
	}

	@Test
	void duplicateRuleNames() {
		InvalidDocumentException e = rule("""
				- {name: web, action: allow, direction: ingress, appliesTo: [web], peers: [{any: true}]}
				- {name: other, action: allow, direction: ingress, appliesTo: [web], peers: [{any: true}]}
				- {name: web, action: deny, direction: egress, appliesTo: [web], peers: [{any: true}]}
				""");

		assertProblem(e, "/spec/rules/2/name", "rule name 'web' is used twice (also at /spec/rules/0/name)");
		assertThat(e.problems()).hasSize(1);
	}

	@Test
	void duplicateGroupNames() {
		InvalidDocumentException e = invalidPolicy(HEADER + "spec: {groups: [{name: web}, {name: db}, {name: web}]}\n");

		assertProblem(e, "/spec/groups/2/name", "group name 'web' is used twice (also at /spec/groups/0/name)");
	}

	@Test
	void duplicateAddressSetNamesAreDuplicateKeys() {
		InvalidDocumentException e = invalidPolicy(HEADER + """
				spec:
				  addressSets:
				    partners: [10.0.0.0/8]
				    partners: [192.168.0.0/16]
				  groups: [{name: web}]
				""");

		assertProblem(e, "/spec/addressSets/partners",
				"'partners' is given twice in the same object (again at line 7, column 5)");
	}

	@Test
	void appliesToUndeclaredGroupOrMixingStar() {
		InvalidDocumentException e = rule("""
				- {name: r1, action: allow, direction: ingress, appliesTo: [web, cache], peers: [{any: true}]}
				- {name: r2, action: allow, direction: ingress, appliesTo: ["*", web], peers: [{any: true}]}
				- {name: r3, action: allow, direction: ingress, appliesTo: [Web], peers: [{any: true}]}
				""");

		assertProblem(e, "/spec/rules/0/appliesTo/1", "group 'cache' is not declared in /spec/groups");
		assertProblem(e, "/spec/rules/1/appliesTo", "appliesTo mixes '*' with group names");
		assertProblem(e, "/spec/rules/2/appliesTo/0", "'Web' is not a group name or '*'");
		assertThat(e.problems()).hasSize(3);
	}

	@Test
	void starListedTwiceIsADuplicateNotAMix() {
		InvalidDocumentException e = rule("""
				- {name: r, action: allow, direction: ingress, appliesTo: ["*", "*"], peers: [{any: true}]}
				""");

		assertProblem(e, "/spec/rules/0/appliesTo/1", "'*' is listed twice in appliesTo");
		assertThat(e.problems()).hasSize(1);
	}

	@Test
	void peersNamingUndeclaredGroupsAndAddressSets() {
		InvalidDocumentException e = rule(
				"""
						- {name: r, action: allow, direction: ingress, appliesTo: [web], peers: [{group: cache}, {addressSet: vendors}, {addressSet: partners}, {group: db}]}
						""");

		assertProblem(e, "/spec/rules/0/peers/0/group", "group 'cache' is not declared in /spec/groups");
		assertProblem(e, "/spec/rules/0/peers/1/addressSet",
				"address set 'vendors' is not declared in /spec/addressSets");
		assertThat(e.problems()).hasSize(2);
	}

	@Test
	void peerShapes() {
		InvalidDocumentException e = rule(
				"""
						- {name: r1, action: allow, direction: ingress, appliesTo: [web], peers: []}
						- {name: r2, action: allow, direction: ingress, appliesTo: [web], peers: [{}, {cidr: 10.0.0.0/8, group: db}, {any: false}]}
						""");

		assertProblem(e, "/spec/rules/0/peers", "peers must not be empty: say {any: true} for every address");
		assertProblem(e, "/spec/rules/1/peers/0", "a peer needs one of cidr, group, addressSet or any: true");
		assertProblem(e, "/spec/rules/1/peers/1", "this one has cidr and group");
		assertProblem(e, "/spec/rules/1/peers/2/any", "{any: false} is not a peer");
	}

	@Test
	void emptyListsThatMustNotBeEmpty() {
		InvalidDocumentException e = invalidPolicy(
				HEADER + """
						spec:
						  addressSets: {partners: []}
						  groups: []
						  rules:
						    - {name: r, action: allow, direction: ingress, appliesTo: [], peers: [{any: true}], services: []}
						    - {name: s, action: allow, direction: ingress, appliesTo: ["*"], peers: [{any: true}], services: [{protocol: tcp, ports: []}]}
						""");

		assertProblem(e, "/spec/addressSets/partners", "address set 'partners' must not be empty");
		assertProblem(e, "/spec/groups", "groups must not be empty");
		assertProblem(e, "/spec/rules/0/appliesTo", "appliesTo must not be empty");
		assertProblem(e, "/spec/rules/0/services",
				"services must not be empty: leave services out to match all traffic");
		assertProblem(e, "/spec/rules/1/services/0/ports",
				"ports must not be empty: leave ports out to match every port");
	}

	@Test
	void badPorts() {
		InvalidDocumentException e = rule("""
				- name: r
				  action: allow
				  direction: ingress
				  appliesTo: [web]
				  peers: [{any: true}]
				  services: [{protocol: tcp, ports: ["70000", "90-80", "80-", 443, "1-65536", "0-65535"]}]
				""");

		assertProblem(e, "/spec/rules/0/services/0/ports/0", "port 70000 is not within 0-65535");
		assertProblem(e, "/spec/rules/0/services/0/ports/1", "port range 90-80 runs backwards; did you mean 80-90?");
		assertProblem(e, "/spec/rules/0/services/0/ports/2", "'80-' is not a port or port range");
		assertProblem(e, "/spec/rules/0/services/0/ports/3",
				"expected a string, found the number 443; quote it: \"443\"");
		assertProblem(e, "/spec/rules/0/services/0/ports/4", "port range 1-65536 is not within 0-65535");
		assertThat(e.problems()).hasSize(5);
	}

	@Test
	void portsOnlyForTcpAndUdp() {
		InvalidDocumentException e = rule("""
				- name: r
				  action: allow
				  direction: ingress
				  appliesTo: [web]
				  peers: [{any: true}]
				  services:
				    - {protocol: icmp, ports: ["443"]}
				    - {protocol: any, ports: ["443"]}
				    - {protocol: 47, ports: ["443"]}
				    - {protocol: 6, ports: ["443"]}
				    - {protocol: 17, ports: ["53"]}
				""");

		assertProblem(e, "/spec/rules/0/services/0/ports", "ports are only for tcp and udp, not icmp");
		assertProblem(e, "/spec/rules/0/services/1/ports", "ports are only for tcp and udp, not any");
		assertProblem(e, "/spec/rules/0/services/2/ports", "ports are only for tcp and udp, not protocol 47");
		assertThat(e.problems()).hasSize(3);
	}

	@Test
	void icmpFields() {
		InvalidDocumentException e = rule("""
				- name: r
				  action: allow
				  direction: ingress
				  appliesTo: [web]
				  peers: [{any: true}]
				  services:
				    - {protocol: tcp, icmpType: 8}
				    - {protocol: icmp, icmpCode: 0}
				    - {protocol: icmpv6, icmpType: 256, icmpCode: -1}
				    - {protocol: udp, icmpCode: 1}
				""");

		assertProblem(e, "/spec/rules/0/services/0/icmpType", "icmpType is only for icmp and icmpv6, not tcp");
		assertProblem(e, "/spec/rules/0/services/1/icmpCode", "icmpCode needs icmpType");
		assertProblem(e, "/spec/rules/0/services/2/icmpType", "icmpType 256 is not within 0-255");
		assertProblem(e, "/spec/rules/0/services/2/icmpCode", "icmpCode -1 is not within 0-255");
		assertProblem(e, "/spec/rules/0/services/3/icmpCode", "icmpCode is only for icmp and icmpv6, not udp");
		assertProblem(e, "/spec/rules/0/services/3/icmpCode", "icmpCode needs icmpType");
	}

	@Test
	void badProtocols() {
		InvalidDocumentException e = rule("""
				- name: r
				  action: allow
				  direction: ingress
				  appliesTo: [web]
				  peers: [{any: true}]
				  services: [{protocol: tpc}, {protocol: 300}, {protocol: -1}, {protocol: TCP}, {ports: ["443"]}]
				""");

		assertProblem(e, "/spec/rules/0/services/0/protocol",
				"'tpc' is not a protocol: use tcp, udp, icmp, icmpv6, any or a protocol number 0-255");
		assertProblem(e, "/spec/rules/0/services/1/protocol", "protocol number 300 is not within 0-255");
		assertProblem(e, "/spec/rules/0/services/2/protocol", "protocol number -1 is not within 0-255");
		assertProblem(e, "/spec/rules/0/services/3/protocol", "'TCP' is not a protocol");
		assertProblem(e, "/spec/rules/0/services/4", "required field 'protocol' is missing");
		assertThat(e.problems()).hasSize(5);
	}

	@Test
	void appliesToListingAGroupTwice() {
		InvalidDocumentException e = rule("""
				- {name: r, action: allow, direction: ingress, appliesTo: [web, db, web], peers: [{any: true}]}
				""");

		assertProblem(e, "/spec/rules/0/appliesTo/2",
				"'web' is listed twice in appliesTo (also at /spec/rules/0/appliesTo/0)");
	}

	@Test
	void duplicateKeysNameTheirPlace() {
		InvalidDocumentException e = rule("""
				- name: r
				  action: allow
				  action: deny
				  direction: ingress
				  appliesTo: [web]
				  peers: [{any: true, any: true}]
				""");

		assertProblem(e, "/spec/rules/0/action", "'action' is given twice in the same object");
		assertProblem(e, "/spec/rules/0/peers/0/any", "'any' is given twice");
		assertThat(e.problems()).hasSize(2);
	}

	@Test
	void duplicateKeysInJson() {
		InvalidDocumentException e = invalidPolicy("""
				{"apiVersion": "polyfence.dev/v1", "kind": "NetworkPolicy", "metadata": {"name": "a", "name": "b"},
				 "spec": {"groups": [{"name": "web"}]}}
				""");

		assertProblem(e, "/metadata/name", "'name' is given twice in the same object (again at line 1, column");
	}

	@Test
	void documentThatIsNotAnObject() {
		assertProblem(invalidPolicy("just some words"), "", "expected an object, found 'just some words'");
		assertProblem(invalidPolicy("[1, 2]"), "", "expected an object, found a list");
		assertProblem(invalidPolicy(""), "", "the document is empty");
		assertProblem(invalidPolicy("# only a comment\n"), "", "the document is empty");
	}

	@Test
	void nullValues() {
		InvalidDocumentException e = invalidPolicy(HEADER + """
				spec:
				  groups: [{name: web}]
				  rules:
				    - name:
				      action: allow
				      direction: ingress
				      appliesTo: [web]
				      peers: [{cidr: }]
				""");

		assertProblem(e, "/spec/rules/0/name", "expected a string, found nothing (null)");
		assertProblem(e, "/spec/rules/0/peers/0/cidr", "expected a string, found nothing (null)");
	}

}
