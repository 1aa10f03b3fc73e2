package dev.polyfence.verify;

import static dev.polyfence.verify.Fixtures.outside;
import static dev.polyfence.verify.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import dev.polyfence.translate.aws.SecurityGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AwsEvaluatorTest {

	private static final Policy POLICY = Fixtures.policy("p", Defaults.STANDARD, Map.of(), List.of("web", "app"));

	private final Endpoint.Workload web = workload("web", "10.0.1.10");

	private final Endpoint.Workload app = workload("app", "10.0.2.10");

	private final Endpoint.Workload app6 = workload("app", "2001:db8:2::10");

	// ---- builders ----

	static IpPermission perm(String protocol, Integer from, Integer to, String... peers) {
		List<IpPermission.IpRange> v4 = new ArrayList<>();
		List<IpPermission.Ipv6Range> v6 = new ArrayList<>();
		List<IpPermission.UserIdGroupPair> pairs = new ArrayList<>();
		for (String peer : peers) {
			if (peer.startsWith("sg:")) {
				pairs.add(new IpPermission.UserIdGroupPair(null, peer.substring(3)));
			}
			else if (peer.startsWith("id:")) {
				pairs.add(new IpPermission.UserIdGroupPair(peer.substring(3), null));
			}
			else if (peer.contains(":")) {
				v6.add(new IpPermission.Ipv6Range(peer));
			}
			else {
				v4.add(new IpPermission.IpRange(peer));
			}
		}
		return new IpPermission(protocol, from, to, v4, v6, pairs);
	}

	static SecurityGroup sg(String group, List<IpPermission> ingress, List<IpPermission> egress) {
		return new SecurityGroup(group, "p-" + group, "", "vpc-1", ingress, egress);
	}

	static NetworkAclEntry entry(int number, boolean egress, String action, String protocol, String cidr, Integer from,
			Integer to) {
		boolean v6 = cidr.contains(":");
		boolean ports = protocol.equals("6") || protocol.equals("17");
		boolean icmp = protocol.equals("1") || protocol.equals("58");
		return new NetworkAclEntry(number, protocol, action, egress, v6 ? null : cidr, v6 ? cidr : null,
				ports ? new NetworkAclEntry.Ports(from, to) : null,
				icmp && from != null ? new NetworkAclEntry.IcmpTypeCode(from, to) : null);
	}

	static NetworkAcl acl(String group, NetworkAclEntry... entries) {
		return new NetworkAcl(group, "vpc-1", List.of("subnet-" + group), List.of(entries));
	}

	private static final SecurityGroup WEB = sg("web",
			List.of(perm("tcp", 443, 443, "0.0.0.0/0", "::/0"), perm("icmp", 8, -1, "10.0.0.0/8")),
			List.of(perm("-1", null, null, "0.0.0.0/0", "::/0")));

	private static final SecurityGroup APP = sg("app",
			List.of(perm("tcp", 8080, 8081, "sg:p-web"), perm("47", null, null, "192.0.2.0/24"),
					perm("icmpv6", null, null, "2001:db8::/32"), perm("udp", 53, 53, "id:sg-0123")),
			List.of());

	private static final NetworkAcl WEB_ACL = acl("web", entry(100, false, "allow", "6", "0.0.0.0/0", 443, 443),
			entry(110, false, "allow", "6", "0.0.0.0/0", 1024, 65535),
			entry(120, false, "allow", "1", "10.0.0.0/8", 8, -1),
			entry(100, true, "allow", "-1", "0.0.0.0/0", null, null));

	private static AwsEvaluator evaluator(NetworkAcl... acls) {
		return new AwsEvaluator(POLICY, Bindings.NONE, new AwsOutput(List.of(WEB, APP), List.of(acls)));
	}

	// ---- security groups ----

	@Test
	void aRequestPassesBothSecurityGroupsAndBothAcls() {
		CloudVerdict verdict = evaluator(WEB_ACL).evaluate(Flow.tcp(outside("198.51.100.1"), web, 443));
		assertThat(verdict.allowed()).as(verdict.explanation()).isTrue();
		assertThat(verdict.repliesPass()).as(verdict.explanation()).isTrue();
		assertThat(verdict.explanation()).contains("SG p-web ingress: allowed by IpPermissions[0]",
				"NACL web in: #100");
	}

	@Test
	void aSecurityGroupWithoutAMatchingPermissionDenies() {
		CloudVerdict verdict = evaluator(WEB_ACL).evaluate(Flow.tcp(outside("198.51.100.1"), web, 80));
		assertThat(verdict.allowed()).isFalse();
		assertThat(verdict.explanation()).contains("SG p-web ingress: DENIED");
		assertThat(evaluator().evaluate(Flow.tcp(app, outside("198.51.100.1"), 443)).allowed()).isFalse();
	}

	@Test
	void groupReferencesMatchTheReferencedGroupsWorkloads() {
		AwsEvaluator eval = evaluator(WEB_ACL);
		CloudVerdict verdict = eval.evaluate(Flow.tcp(web, app, 8081));
		assertThat(verdict.allowedWithReplies()).as(verdict.explanation()).isTrue();
		assertThat(eval.evaluate(Flow.tcp(outside("10.0.1.11"), app, 8081)).allowed()).isFalse();
		assertThat(eval.evaluate(Flow.tcp(web, app, 8082)).allowed()).isFalse();
	}

	@Test
	void groupReferencesByIdNeedTheIdOfTheGroup() {
		AwsOutput output = new AwsOutput(List.of(WEB, APP), List.of());
		Flow dns = Flow.udp(web, app, 53);
		assertThat(new AwsEvaluator(POLICY, Bindings.NONE, output).evaluate(dns).allowed()).isFalse();
		assertThat(new AwsEvaluator(POLICY, Bindings.NONE, output, Map.of("p-web", "sg-0123")).evaluate(dns).allowed())
			.isTrue();
	}

	@Test
	void otherProtocolNumbersMatchAllOfThatProtocolOnly() {
		AwsEvaluator eval = evaluator();
		assertThat(eval.evaluate(Flow.other(outside("192.0.2.9"), app, 47)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.other(outside("192.0.2.9"), app, 50)).allowed()).isFalse();
	}

	@Test
	void icmpPermissionsUseTypeAndCode() {
		AwsEvaluator eval = evaluator();
		assertThat(eval.evaluate(Flow.icmp(outside("10.9.9.9"), web, 8, 0)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.icmp(outside("10.9.9.9"), web, 8, 5)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.icmp(outside("10.9.9.9"), web, 0, 0)).allowed()).isFalse();
		// icmpv6 without ports: every type and code
		assertThat(eval.evaluate(Flow.icmp(outside("2001:db8:9::1"), app6, 135, 0)).allowed()).isTrue();
		assertThat(eval.evaluate(Flow.icmp(outside("2001:db9::1"), app6, 135, 0)).allowed()).isFalse();
	}

	// ---- network ACLs ----

	@Test
	void aclEntriesAreTakenByRuleNumberAndTheFirstMatchDecides() {
		NetworkAcl denyFirst = acl("web", entry(100, false, "allow", "6", "0.0.0.0/0", 443, 443),
				entry(90, false, "deny", "-1", "198.51.100.0/24", null, null),
				entry(100, true, "allow", "-1", "0.0.0.0/0", null, null));
		CloudVerdict verdict = evaluator(denyFirst).evaluate(Flow.tcp(outside("198.51.100.1"), web, 443));
		assertThat(verdict.allowed()).isFalse();
		assertThat(verdict.explanation()).contains("NACL web in: #90 DENY");
		assertThat(evaluator(denyFirst).evaluate(Flow.tcp(outside("198.51.101.1"), web, 443)).allowed()).isTrue();
	}

	@Test
	void anAclWithoutAMatchingEntryDenies() {
		NetworkAcl v4Only = acl("app", entry(100, false, "allow", "-1", "0.0.0.0/0", null, null),
				entry(100, true, "allow", "-1", "0.0.0.0/0", null, null));
		CloudVerdict verdict = evaluator(v4Only).evaluate(Flow.icmp(outside("2001:db8:9::1"), app6, 128, 0));
		assertThat(verdict.allowed()).isFalse();
		assertThat(verdict.explanation()).contains("NACL app in: DENIED, no entry matches");
	}

	@Test
	void repliesMustPassTheAclsOnTheEphemeralRange() {
		NetworkAcl narrowReturn = acl("web", entry(100, true, "allow", "6", "0.0.0.0/0", 8080, 8081),
				entry(100, false, "allow", "6", "0.0.0.0/0", 32768, 61000));
		Flow flow = Flow.tcp(web, app, 8080);
		CloudVerdict verdict = evaluator(narrowReturn).evaluate(flow);
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.repliesPass()).isFalse();
		assertThat(verdict.explanation()).contains("REPLY BLOCKED", "port 1024", "reply NACL web in: DENIED");

		Bindings linux = new Bindings(
				new Bindings.Aws("eu-west-1", "vpc-1", new PortRange(32768, 61000), null, null, Map.of()), null, null);
		AwsEvaluator eval = new AwsEvaluator(POLICY, linux, new AwsOutput(List.of(WEB, APP), List.of(narrowReturn)));
		assertThat(eval.evaluate(flow).allowedWithReplies()).isTrue();
	}

	@Test
	void theServersAclMustLetItsReplyOut() {
		NetworkAcl inOnly = acl("web", entry(100, false, "allow", "-1", "0.0.0.0/0", null, null),
				entry(100, true, "allow", "6", "0.0.0.0/0", 443, 443));
		CloudVerdict verdict = evaluator(inOnly).evaluate(Flow.tcp(outside("198.51.100.1"), web, 443));
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.repliesPass()).isFalse();
		assertThat(verdict.explanation()).contains("reply NACL web out: DENIED");
	}

	@Test
	void anEchoRequestIsAnsweredByAnEchoReply() {
		NetworkAcl echoOnly = acl("web", entry(100, false, "allow", "1", "10.0.0.0/8", 8, -1),
				entry(100, true, "allow", "1", "10.0.0.0/8", 8, -1));
		CloudVerdict verdict = evaluator(echoOnly).evaluate(Flow.icmp(outside("10.9.9.9"), web, 8, 0));
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.repliesPass()).isFalse();
		NetworkAcl echoReply = acl("web", entry(100, false, "allow", "1", "10.0.0.0/8", 8, -1),
				entry(100, true, "allow", "1", "10.0.0.0/8", 0, 0));
		assertThat(evaluator(echoReply).evaluate(Flow.icmp(outside("10.9.9.9"), web, 8, 0)).allowedWithReplies())
			.isTrue();
	}

	@Test
	void otherProtocolsAreAnsweredWithTheSameProtocol() {
		NetworkAcl gre = acl("app", entry(100, false, "allow", "47", "192.0.2.0/24", null, null),
				entry(100, true, "allow", "47", "192.0.2.0/24", null, null));
		assertThat(evaluator(gre).evaluate(Flow.other(outside("192.0.2.9"), app, 47)).allowedWithReplies()).isTrue();
		NetworkAcl noReply = acl("app", entry(100, false, "allow", "47", "192.0.2.0/24", null, null),
				entry(100, true, "allow", "50", "192.0.2.0/24", null, null));
		assertThat(evaluator(noReply).evaluate(Flow.other(outside("192.0.2.9"), app, 47)).repliesPass()).isFalse();
	}

	@Test
	void protocol58WithAnIpv6BlockUsesTypeAndCode() {
		NetworkAcl echo6 = acl("app", entry(100, false, "allow", "58", "2001:db8::/32", 128, 0),
				entry(100, true, "allow", "58", "2001:db8::/32", 129, -1));
		AwsEvaluator eval = evaluator(echo6);
		assertThat(eval.evaluate(Flow.icmp(outside("2001:db8:9::1"), app6, 128, 0)).allowedWithReplies()).isTrue();
		assertThat(eval.evaluate(Flow.icmp(outside("2001:db8:9::1"), app6, 135, 0)).allowed()).isFalse();
	}

	@Test
	void sameGroupFlowsAreJudgedInsideOneSubnetAndAcrossTwo() {
		NetworkAcl outOnly = acl("web", entry(100, true, "allow", "-1", "0.0.0.0/0", null, null),
				entry(100, false, "allow", "6", "0.0.0.0/0", 1024, 65535));
		Flow flow = Flow.tcp(web, workload("web", "10.0.1.11"), 443);
		CloudVerdict verdict = evaluator(outOnly).evaluate(flow);
		// across two subnets the ACL denies the request, inside one it never sees it: the
		// verdict matches neither decision of the policy
		assertThat(verdict.allowed()).isTrue();
		assertThat(verdict.repliesPass()).isFalse();
		assertThat(verdict.explanation()).contains("INCONSISTENT").contains("NACL web in: DENIED");
		NetworkAcl open = acl("web", entry(100, true, "allow", "-1", "0.0.0.0/0", null, null),
				entry(100, false, "allow", "-1", "0.0.0.0/0", null, null));
		assertThat(evaluator(open).evaluate(flow).allowedWithReplies()).isTrue();
	}

	// ---- malformed output fails loudly ----

	@Test
	void malformedOutputIsRefused() {
		assertThatThrownBy(() -> evaluator(acl("web", entry(100, false, "allow", "-1", "0.0.0.0/0", null, null),
				entry(100, false, "deny", "6", "0.0.0.0/0", 1, 2))))
			.hasMessageContaining("rule number used twice");
		assertThatThrownBy(() -> new AwsEvaluator(POLICY, Bindings.NONE, new AwsOutput(
				List.of(WEB, sg("app", List.of(perm("sctp", null, null, "0.0.0.0/0")), List.of())), List.of())))
			.hasMessageContaining("not a protocol number");
		assertThatThrownBy(() -> new AwsEvaluator(POLICY, Bindings.NONE, new AwsOutput(
				List.of(WEB, sg("app", List.of(perm("tcp", null, null, "0.0.0.0/0")), List.of())), List.of())))
			.hasMessageContaining("needs FromPort and ToPort");
		assertThatThrownBy(() -> new AwsEvaluator(POLICY, Bindings.NONE, new AwsOutput(List.of(WEB), List.of())))
			.hasMessageContaining("group app has no security group");
		IpPermission v6InIpRanges = new IpPermission("tcp", 1, 2, List.of(new IpPermission.IpRange("2001:db8::/32")),
				List.of(), List.of());
		assertThatThrownBy(() -> new AwsEvaluator(POLICY, Bindings.NONE,
				new AwsOutput(List.of(WEB, sg("app", List.of(v6InIpRanges), List.of())), List.of())))
			.hasMessageContaining("IpRanges holds IPv6");
	}

}
