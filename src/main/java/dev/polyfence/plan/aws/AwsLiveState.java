package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan sees of one VPC, read through the EC2 API and free of SDK types: every
 * security group and network ACL in the VPC, managed or not (the planner tells them apart
 * by their tags).
 */
public record AwsLiveState(String vpcId, List<LiveSecurityGroup> securityGroups, List<LiveNetworkAcl> networkAcls) {

	public AwsLiveState {
		securityGroups = List.copyOf(securityGroups);
		networkAcls = List.copyOf(networkAcls);
	}

	/**
	 * A security group and all its rules, as DescribeSecurityGroups /
	 * DescribeSecurityGroupRules return them.
	 */
	public record LiveSecurityGroup(String groupId, String groupName, String description, Map<String, String> tags,
			List<LiveRule> rules) {
		public LiveSecurityGroup {
			tags = Map.copyOf(tags);
			rules = List.copyOf(rules);
		}
	}

	/**
	 * One security group rule ({@code sgr-…}), one peer each. {@code ipProtocol} and the
	 * ports as AWS returns them: "tcp", "udp", "icmp", "icmpv6", "-1" or a number; ports
	 * null when AWS gives none, and for ICMP -1 meaning every type or code. A null
	 * {@code ruleId} (a rule the plan expects but has not seen, such as a new group's
	 * default egress rule) is revoked by its properties.
	 */
	public record LiveRule(String ruleId, boolean egress, String ipProtocol, Integer fromPort, Integer toPort,
			String cidrIpv4, String cidrIpv6, String referencedGroupId, String prefixListId) {
	}

	/**
	 * A network ACL: its entries without AWS's fixed {@code *} entries (rule numbers
	 * 32767 and up), and its subnet associations.
	 */
	public record LiveNetworkAcl(String networkAclId, boolean isDefault, Map<String, String> tags,
			List<NetworkAclEntry> entries, List<Association> associations) {
		public LiveNetworkAcl {
			tags = Map.copyOf(tags);
			entries = List.copyOf(entries);
			associations = List.copyOf(associations);
		}
	}

	public record Association(String associationId, String subnetId) {
	}

	public Optional<LiveSecurityGroup> securityGroupNamed(String name) {
		return securityGroups.stream().filter(g -> g.groupName().equals(name)).findFirst();
	}

	/** The ACL that a subnet is associated with now, and the association's id. */
	public Optional<Map.Entry<LiveNetworkAcl, Association>> associationOf(String subnetId) {
		for (LiveNetworkAcl acl : networkAcls) {
			for (Association a : acl.associations()) {
				if (a.subnetId().equals(subnetId)) {
					return Optional.of(Map.entry(acl, a));
				}
			}
		}
		return Optional.empty();
	}
}
