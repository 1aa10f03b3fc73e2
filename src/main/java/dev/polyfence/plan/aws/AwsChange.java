package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;
import java.util.Map;

/**
 * One API-level change to an AWS VPC, free of SDK types. Resources that do not exist yet
 * are referred to by the policy group they serve ({@code group}); the executor resolves a
 * group to the security group or ACL id that exists or that an earlier change of the same
 * apply created. Security-group references inside permissions are by {@code GroupName}
 * and are resolved likewise.
 */
public sealed interface AwsChange {

	/** The policy group whose resources this change touches. */
	String group();

	/** CreateSecurityGroup with these tags (TagSpecifications), in the plan's VPC. */
	record CreateSecurityGroup(String group, String groupName, String description,
			Map<String, String> tags) implements AwsChange {
	}

	/** AuthorizeSecurityGroupIngress/Egress: many permissions in one call. */
	record AuthorizeRules(String group, boolean egress, List<IpPermission> permissions) implements AwsChange {
	}

	/**
	 * RevokeSecurityGroupIngress/Egress by rule ids; {@code rules} says what they are,
	 * for review.
	 */
	record RevokeRules(String group, String groupId, boolean egress,
			List<AwsLiveState.LiveRule> rules) implements AwsChange {
	}

	/** CreateNetworkAcl with these tags, in the plan's VPC. */
	record CreateNetworkAcl(String group, Map<String, String> tags) implements AwsChange {
	}

	/** CreateNetworkAclEntry in the group's ACL. */
	record CreateNetworkAclEntry(String group, NetworkAclEntry entry) implements AwsChange {
	}

	/**
	 * ReplaceNetworkAclEntry in the group's ACL: the entry with {@code before}'s rule
	 * number and direction becomes {@code after} (same number and direction) in one call.
	 * {@code before} is the entry the plan expects there, for review.
	 */
	record ReplaceNetworkAclEntry(String group, NetworkAclEntry before, NetworkAclEntry after) implements AwsChange {

		public ReplaceNetworkAclEntry {
			if (before.ruleNumber() != after.ruleNumber() || before.egress() != after.egress()) {
				throw new IllegalArgumentException(
						"a replaced entry keeps its rule number and direction: " + before + " -> " + after);
			}
		}
	}

	/**
	 * DeleteNetworkAclEntry from the group's ACL; {@code entry} is the live entry, for
	 * review.
	 */
	record DeleteNetworkAclEntry(String group, NetworkAclEntry entry) implements AwsChange {
	}

	/**
	 * ReplaceNetworkAclAssociation: move a subnet from its current ACL to the group's
	 * ACL.
	 */
	record AssociateSubnet(String group, String subnetId, String associationId,
			String fromNetworkAclId) implements AwsChange {
	}

}
