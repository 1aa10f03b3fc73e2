package dev.polyfence.plan.aws;

/** One-line descriptions of changes, for apply records and logs. */
public final class AwsChanges {

	private AwsChanges() {
	}

	public static String describe(AwsChange change) {
		if (change instanceof AwsChange.CreateSecurityGroup c) {
			return "create security group " + c.groupName() + " for group " + c.group();
		}
		if (change instanceof AwsChange.AuthorizeRules c) {
			int rules = c.permissions()
				.stream()
				.mapToInt(p -> p.ipRanges().size() + p.ipv6Ranges().size() + p.userIdGroupPairs().size())
				.sum();
			return "authorize " + rules + (c.egress() ? " egress" : " ingress")
					+ " rules on the security group of group " + c.group();
		}
		if (change instanceof AwsChange.RevokeRules c) {
			return "revoke " + c.rules().size() + (c.egress() ? " egress" : " ingress")
					+ " rules from the security group of group " + c.group();
		}
		if (change instanceof AwsChange.CreateNetworkAcl c) {
			return "create network ACL for group " + c.group();
		}
		if (change instanceof AwsChange.CreateNetworkAclEntry c) {
			return "create entry " + NetworkAclPlan.describe(c.entry()) + " in the network ACL of group " + c.group();
		}
		if (change instanceof AwsChange.ReplaceNetworkAclEntry c) {
			return "replace entry " + NetworkAclPlan.describe(c.before()) + " with "
					+ NetworkAclPlan.describe(c.after()) + " in the network ACL of group " + c.group();
		}
		if (change instanceof AwsChange.DeleteNetworkAclEntry c) {
			return "delete entry " + NetworkAclPlan.describe(c.entry()) + " from the network ACL of group " + c.group();
		}
		AwsChange.AssociateSubnet c = (AwsChange.AssociateSubnet) change;
		return "move subnet " + c.subnetId() + " from " + c.fromNetworkAclId() + " to the network ACL of group "
				+ c.group();
	}

}
