package dev.polyfence.cloud.aws;

import static dev.polyfence.cloud.aws.Permissions.all;
import static dev.polyfence.cloud.aws.Permissions.cidrs;
import static dev.polyfence.cloud.aws.Permissions.groupNamed;
import static dev.polyfence.cloud.aws.Permissions.icmp;
import static dev.polyfence.cloud.aws.Permissions.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.RuleAction;

/**
 * Mapping to SDK requests, and the values refused before any call (no EC2 needed: nothing
 * is sent).
 */
class Ec2RequestsTest {

	@Test
	void mapsAPermissionWithEveryKindOfPeer() {
		IpPermission ours = new IpPermission("tcp", 443, 443, List.of(new IpPermission.IpRange("10.1.0.0/16")),
				List.of(new IpPermission.Ipv6Range("2001:db8::/32")),
				List.of(new IpPermission.UserIdGroupPair(null, "shop-app"),
						new IpPermission.UserIdGroupPair("sg-9", null)));

		var sdk = Ec2Requests.permission(ours, name -> name.equals("shop-app") ? "sg-1" : null);

		assertThat(sdk.ipProtocol()).isEqualTo("tcp");
		assertThat(sdk.fromPort()).isEqualTo(443);
		assertThat(sdk.toPort()).isEqualTo(443);
		assertThat(sdk.ipRanges()).singleElement().satisfies(r -> assertThat(r.cidrIp()).isEqualTo("10.1.0.0/16"));
		assertThat(sdk.ipv6Ranges()).singleElement()
			.satisfies(r -> assertThat(r.cidrIpv6()).isEqualTo("2001:db8::/32"));
		assertThat(sdk.userIdGroupPairs()).extracting(p -> p.groupId()).containsExactly("sg-1", "sg-9");
		assertThat(sdk.userIdGroupPairs()).allSatisfy(p -> assertThat(p.groupName()).isNull());
	}

	@Test
	void allProtocolsHaveNoPorts() {
		var sdk = Ec2Requests.permission(cidrs("-1", null, null, "0.0.0.0/0"), name -> null);

		assertThat(sdk.fromPort()).isNull();
		assertThat(sdk.toPort()).isNull();
	}

	@Test
	void aLiveRuleBecomesThePermissionThatMatchesOnlyIt() {
		var sdk = Ec2Requests.permission(new LiveRule(null, true, "-1", null, null, null, null, null, "pl-1"));

		assertThat(sdk.ipProtocol()).isEqualTo("-1");
		assertThat(sdk.prefixListIds()).singleElement().satisfies(p -> assertThat(p.prefixListId()).isEqualTo("pl-1"));
		assertThat(sdk.ipRanges()).isEmpty();
		assertThat(sdk.userIdGroupPairs()).isEmpty();
	}

	@Test
	void mapsNetworkAclEntries() {
		CreateNetworkAclEntryRequest port = Ec2Requests.createEntry("acl-1",
				tcp(100, true, "deny", "10.0.0.0/8", 22, 22));
		CreateNetworkAclEntryRequest type = Ec2Requests.createEntry("acl-1", icmp(110, false, "10.0.0.0/8", 3, 4));

		assertThat(port.networkAclId()).isEqualTo("acl-1");
		assertThat(port.ruleNumber()).isEqualTo(100);
		assertThat(port.egress()).isTrue();
		assertThat(port.ruleAction()).isEqualTo(RuleAction.DENY);
		assertThat(port.protocol()).isEqualTo("6");
		assertThat(port.portRange().from()).isEqualTo(22);
		assertThat(port.icmpTypeCode()).isNull();
		assertThat(type.icmpTypeCode().type()).isEqualTo(3);
		assertThat(type.icmpTypeCode().code()).isEqualTo(4);
		assertThat(type.portRange()).isNull();
	}

	@Test
	void findsWhatAwsWouldRefuseInAnEntry() {
		assertThat(Ec2Requests.entryProblem(all(40000, false, "allow", "0.0.0.0/0"))).contains("rule number 40000");
		assertThat(Ec2Requests.entryProblem(all(0, false, "allow", "0.0.0.0/0"))).contains("rule number 0");
		assertThat(Ec2Requests.entryProblem(tcp(100, false, "allow", "0.0.0.0/0", 1, 70000))).contains("70000");
		assertThat(Ec2Requests.entryProblem(tcp(100, false, "allow", "0.0.0.0/0", 443, 80))).contains("443-80");
		assertThat(Ec2Requests.entryProblem(icmp(100, false, "0.0.0.0/0", 256, 0))).contains("256");
		assertThat(Ec2Requests.entryProblem(all(100, false, "permit", "0.0.0.0/0"))).contains("permit");
		assertThat(Ec2Requests
			.entryProblem(new NetworkAclEntry(100, "tcp", "allow", false, "0.0.0.0/0", null, null, null)))
			.contains("protocol");
		assertThat(Ec2Requests
			.entryProblem(new NetworkAclEntry(100, "-1", "allow", false, "0.0.0.0/0", "::/0", null, null)))
			.contains("exactly one");
		assertThat(Ec2Requests.entryProblem(all(32766, true, "deny", "::/0"))).isNull();
	}

	@Test
	void findsWhatAwsWouldRefuseInAPermission() {
		assertThat(Ec2Requests.portProblem("tcp", 0, 70000)).contains("70000");
		assertThat(Ec2Requests.portProblem("udp", null, null)).contains("port range");
		assertThat(Ec2Requests.portProblem("icmp", 300, -1)).contains("300");
		assertThat(Ec2Requests.portProblem("gre", null, null)).contains("unknown protocol");
		assertThat(Ec2Requests.portProblem("icmpv6", null, null)).isNull();
		assertThat(Ec2Requests.portProblem("47", null, null)).isNull();
		assertThat(Ec2Requests.portProblem("-1", null, null)).isNull();
	}

	@Test
	void theExecutorRefusesInvalidValuesAndUnknownGroupsWithoutCallingAws() {
		// A null client: any call would fail with a NullPointerException, not the typed
		// refusal.
		Ec2ChangeExecutor executor = new Ec2ChangeExecutor(null, "vpc-1", Map.of("web", "sg-1"), Map.of("web", "acl-1"),
				Map.of());

		assertThatThrownBy(() -> executor
			.execute(new AwsChange.CreateNetworkAclEntry("web", all(40000, false, "allow", "0.0.0.0/0"))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
				assertThat(e.resource()).isEqualTo("acl-1");
				assertThat(e.getMessage())
					.isEqualTo("Creating ingress entry 40000 in network ACL acl-1 (group web) refused: "
							+ "rule number 40000 is outside 1-32766");
			});
		assertThatThrownBy(() -> executor
			.execute(new AwsChange.AuthorizeRules("web", false, List.of(cidrs("tcp", 1, 70000, "0.0.0.0/0")))))
			.isInstanceOfSatisfying(Ec2OperationException.class,
					e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST));
		assertThatThrownBy(() -> executor
			.execute(new AwsChange.AuthorizeRules("web", false, List.of(groupNamed("tcp", 1, 1, "shop-nowhere")))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED));
		assertThatThrownBy(() -> executor.execute(new AwsChange.AuthorizeRules("db", false, List.of())))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
				assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED);
				assertThat(e.resource()).isEqualTo("db");
			});
		assertThatThrownBy(() -> executor
			.execute(new AwsChange.CreateNetworkAclEntry("db", all(100, false, "allow", "0.0.0.0/0"))))
			.isInstanceOfSatisfying(Ec2OperationException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNRESOLVED));
		assertThat(executor.apiCalls()).isZero();
	}

}
