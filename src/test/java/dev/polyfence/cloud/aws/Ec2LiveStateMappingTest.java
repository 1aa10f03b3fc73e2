package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.translate.aws.NetworkAclEntry;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.NetworkAcl;
import software.amazon.awssdk.services.ec2.model.NetworkAclAssociation;
import software.amazon.awssdk.services.ec2.model.ReferencedSecurityGroup;
import software.amazon.awssdk.services.ec2.model.RuleAction;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * From SDK shapes to the live state, with what AWS returns and moto does not (reserved
 * entries, ICMP codes).
 */
class Ec2LiveStateMappingTest {

	@Test
	void aRuleKeepsItsPeerAndPortsAsReturned() {
		AwsLiveState.LiveRule rule = Ec2LiveStateReader.liveRule(SecurityGroupRule.builder()
			.securityGroupRuleId("sgr-1")
			.groupId("sg-1")
			.isEgress(false)
			.ipProtocol("icmp")
			.fromPort(-1)
			.toPort(-1)
			.referencedGroupInfo(ReferencedSecurityGroup.builder().groupId("sg-2").build())
			.build());

		assertThat(rule).isEqualTo(new AwsLiveState.LiveRule("sgr-1", false, "icmp", -1, -1, null, null, "sg-2", null));
	}

	@Test
	void aRuleWithoutPortsHasNullPorts() {
		AwsLiveState.LiveRule rule = Ec2LiveStateReader.liveRule(SecurityGroupRule.builder()
			.securityGroupRuleId("sgr-2")
			.isEgress(true)
			.ipProtocol("47")
			.prefixListId("pl-1")
			.build());

		assertThat(rule)
			.isEqualTo(new AwsLiveState.LiveRule("sgr-2", true, "47", null, null, null, null, null, "pl-1"));
	}

	@Test
	void anAclLosesItsReservedEntriesAndKeepsIcmpCodesTagsAndAssociations() {
		NetworkAcl acl = NetworkAcl.builder()
			.networkAclId("acl-1")
			.isDefault(false)
			.tags(Tag.builder().key("polyfence:group").value("web").build())
			.associations(
					NetworkAclAssociation.builder().networkAclAssociationId("aclassoc-1").subnetId("subnet-1").build())
			.entries(entry(32767, false, "-1", "0.0.0.0/0", null), entry(32768, false, "-1", null, "::/0"),
					entry(110, true, "58", null, "::/0").toBuilder().icmpTypeCode(c -> c.type(-1).code(-1)).build(),
					entry(100, false, "6", "10.0.0.0/8", null).toBuilder().portRange(p -> p.from(443).to(443)).build())
			.build();

		AwsLiveState.LiveNetworkAcl live = Ec2LiveStateReader.liveAcl(acl);

		assertThat(live.networkAclId()).isEqualTo("acl-1");
		assertThat(live.tags()).containsExactlyEntriesOf(java.util.Map.of("polyfence:group", "web"));
		assertThat(live.associations()).containsExactly(new AwsLiveState.Association("aclassoc-1", "subnet-1"));
		assertThat(live.entries()).containsExactly(
				new NetworkAclEntry(100, "6", "allow", false, "10.0.0.0/8", null, new NetworkAclEntry.Ports(443, 443),
						null),
				new NetworkAclEntry(110, "58", "allow", true, null, "::/0", null,
						new NetworkAclEntry.IcmpTypeCode(-1, -1)));
	}

	private static software.amazon.awssdk.services.ec2.model.NetworkAclEntry entry(int rule, boolean egress,
			String protocol, String cidr, String ipv6) {
		return software.amazon.awssdk.services.ec2.model.NetworkAclEntry.builder()
			.ruleNumber(rule)
			.egress(egress)
			.protocol(protocol)
			.ruleAction(RuleAction.ALLOW)
			.cidrBlock(cidr)
			.ipv6CidrBlock(ipv6)
			.build();
	}

}
