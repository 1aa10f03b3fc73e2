package dev.polyfence.cloud.aws;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclRequest;
import software.amazon.awssdk.services.ec2.model.CreateSecurityGroupRequest;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/**
 * Executes the changes of one apply to one VPC, one {@link AwsChange} at a time, in the
 * order given. Keeps the apply's context: which security group and network ACL serve each
 * policy group, and the id of each security group by name, seeded from the live state the
 * plan saw and extended as changes create groups and ACLs. One instance per apply; not
 * for concurrent use.
 */
public final class Ec2ChangeExecutor {

	private final Ec2Client ec2;

	private final String vpcId;

	private final Map<String, String> securityGroupIds;

	private final Map<String, String> networkAclIds;

	private final Map<String, String> groupIdsByName;

	private final AtomicLong apiCalls = new AtomicLong();

	/**
	 * Per network ACL whose entries this apply knows: "ingress 100", "egress 110", ...
	 */
	private final Map<String, Set<String>> entryNumbers = new HashMap<>();

	/**
	 * @param securityGroupIds policy group → id of its existing security group
	 * @param networkAclIds policy group → id of its existing network ACL
	 * @param groupIdsByName security group name → id, for every group in the VPC, to
	 * resolve {@code UserIdGroupPairs} given by GroupName
	 */
	public Ec2ChangeExecutor(Ec2Client ec2, String vpcId, Map<String, String> securityGroupIds,
			Map<String, String> networkAclIds, Map<String, String> groupIdsByName) {
		this.ec2 = ec2;
		this.vpcId = vpcId;
		this.securityGroupIds = new HashMap<>(securityGroupIds);
		this.networkAclIds = new HashMap<>(networkAclIds);
		this.groupIdsByName = new HashMap<>(groupIdsByName);
	}

	/**
	 * Seeded from a live state: names of all its security groups, the entries of its
	 * network ACLs, and the given policy-group maps.
	 */
	public static Ec2ChangeExecutor forLiveState(Ec2Client ec2, AwsLiveState live, Map<String, String> securityGroupIds,
			Map<String, String> networkAclIds) {
		Map<String, String> byName = new HashMap<>();
		live.securityGroups().forEach(g -> byName.put(g.groupName(), g.groupId()));
		Ec2ChangeExecutor executor = new Ec2ChangeExecutor(ec2, live.vpcId(), securityGroupIds, networkAclIds, byName);
		for (AwsLiveState.LiveNetworkAcl acl : live.networkAcls()) {
			Set<String> known = new HashSet<>();
			acl.entries().forEach(e -> known.add(entryKey(e)));
			executor.entryNumbers.put(acl.networkAclId(), known);
		}
		return executor;
	}

	/**
	 * Sends one change.
	 * @throws Ec2OperationException when AWS refuses it or cannot be reached, with the
	 * EC2 error code; or, before any call, when the change names a group with no known id
	 * ({@link Kind#UNRESOLVED}) or a value AWS would refuse
	 * ({@link Kind#INVALID_REQUEST})
	 */
	public ChangeResult execute(AwsChange change) {
		if (change instanceof AwsChange.CreateSecurityGroup c) {
			return createSecurityGroup(c);
		}
		if (change instanceof AwsChange.AuthorizeRules c) {
			return authorize(c);
		}
		if (change instanceof AwsChange.RevokeRules c) {
			return revoke(c);
		}
		if (change instanceof AwsChange.CreateNetworkAcl c) {
			return createNetworkAcl(c);
		}
		if (change instanceof AwsChange.CreateNetworkAclEntry c) {
			return createEntry(c);
		}
		if (change instanceof AwsChange.ReplaceNetworkAclEntry c) {
			return replaceEntry(c);
		}
		if (change instanceof AwsChange.DeleteNetworkAclEntry c) {
			return deleteEntry(c);
		}
		if (change instanceof AwsChange.AssociateSubnet c) {
			return associate(c);
		}
		throw new IllegalArgumentException("unknown change " + change.getClass().getName());
	}

	/** EC2 calls made so far, one per change sent (retries of one call not counted). */
	public long apiCalls() {
		return apiCalls.get();
	}

	/** Policy group → security group id, including groups created by this apply. */
	public Map<String, String> securityGroupIds() {
		return Map.copyOf(securityGroupIds);
	}

	/** Policy group → network ACL id, including ACLs created by this apply. */
	public Map<String, String> networkAclIds() {
		return Map.copyOf(networkAclIds);
	}

	private ChangeResult createSecurityGroup(AwsChange.CreateSecurityGroup c) {
		String doing = "creating security group " + c.groupName() + " (group " + c.group() + ") in VPC " + vpcId;
		CreateSecurityGroupRequest.Builder request = CreateSecurityGroupRequest.builder()
			.groupName(c.groupName())
			.description(c.description())
			.vpcId(vpcId);
		if (!c.tags().isEmpty()) {
			request.tagSpecifications(Ec2Requests.tags(ResourceType.SECURITY_GROUP, c.tags()));
		}
		String id = call(doing, vpcId, () -> ec2.createSecurityGroup(request.build()).groupId());
		securityGroupIds.put(c.group(), id);
		groupIdsByName.put(c.groupName(), id);
		return ChangeResult.created(id);
	}

	private ChangeResult authorize(AwsChange.AuthorizeRules c) {
		String groupId = securityGroupOf(c.group(), null, "authorizing rules");
		String direction = c.egress() ? "egress" : "ingress";
		String doing = "authorizing " + count(c.permissions().size(), direction + " permission") + " on security group "
				+ groupId + " (group " + c.group() + ")";
		List<IpPermission> permissions = new ArrayList<>();
		for (dev.polyfence.translate.aws.IpPermission p : c.permissions()) {
			try {
				permissions.add(Ec2Requests.permission(p, groupIdsByName::get));
			}
			catch (Ec2Requests.UnresolvedGroupName e) {
				throw Ec2Errors.refused(Kind.UNRESOLVED, doing, groupId, e.getMessage());
			}
			catch (IllegalArgumentException e) {
				throw Ec2Errors.refused(Kind.INVALID_REQUEST, doing, groupId, e.getMessage());
			}
		}
		List<SecurityGroupRule> created = call(doing, groupId,
				() -> c.egress()
						? ec2.authorizeSecurityGroupEgress(r -> r.groupId(groupId).ipPermissions(permissions))
							.securityGroupRules()
						: ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId).ipPermissions(permissions))
							.securityGroupRules());
		return ChangeResult.rules(created.stream().map(SecurityGroupRule::securityGroupRuleId).toList());
	}

	/**
	 * By rule ids when every rule has one; otherwise by properties, which is how the
	 * default egress rule of a group created by this apply is revoked (its id was not
	 * known when planning).
	 */
	private ChangeResult revoke(AwsChange.RevokeRules c) {
		String groupId = securityGroupOf(c.group(), c.groupId(), "revoking rules");
		String direction = c.egress() ? "egress" : "ingress";
		String doing = "revoking " + count(c.rules().size(), direction + " rule") + " of security group " + groupId
				+ " (group " + c.group() + ")";
		boolean byId = c.rules().stream().allMatch(r -> r.ruleId() != null);
		List<String> ids = byId ? c.rules().stream().map(LiveRule::ruleId).toList() : List.of();
		List<IpPermission> permissions = byId ? List.of() : c.rules().stream().map(Ec2Requests::permission).toList();
		List<IpPermission> unknown = call(doing, groupId, () -> {
			if (c.egress()) {
				return ec2.revokeSecurityGroupEgress(r -> {
					r.groupId(groupId);
					if (byId) {
						r.securityGroupRuleIds(ids);
					}
					else {
						r.ipPermissions(permissions);
					}
				}).unknownIpPermissions();
			}
			return ec2.revokeSecurityGroupIngress(r -> {
				r.groupId(groupId);
				if (byId) {
					r.securityGroupRuleIds(ids);
				}
				else {
					r.ipPermissions(permissions);
				}
			}).unknownIpPermissions();
		});
		if (!unknown.isEmpty()) {
			// A default VPC answers a partial match with success and lists what it did
			// not revoke.
			throw Ec2Errors.refused(Kind.NOT_FOUND, doing, groupId,
					unknown.size() + " of the permissions matched no rule: " + unknown);
		}
		return ChangeResult.rules(ids);
	}

	private ChangeResult createNetworkAcl(AwsChange.CreateNetworkAcl c) {
		String doing = "creating a network ACL for group " + c.group() + " in VPC " + vpcId;
		CreateNetworkAclRequest.Builder request = CreateNetworkAclRequest.builder().vpcId(vpcId);
		if (!c.tags().isEmpty()) {
			request.tagSpecifications(Ec2Requests.tags(ResourceType.NETWORK_ACL, c.tags()));
		}
		String id = call(doing, vpcId, () -> ec2.createNetworkAcl(request.build()).networkAcl().networkAclId());
		networkAclIds.put(c.group(), id);
		entryNumbers.put(id, new HashSet<>());
		return ChangeResult.created(id);
	}

	private ChangeResult createEntry(AwsChange.CreateNetworkAclEntry c) {
		String aclId = networkAclOf(c.group(), "creating an entry");
		NetworkAclEntry e = c.entry();
		String doing = "creating " + direction(e) + " entry " + e.ruleNumber() + " in network ACL " + aclId + " (group "
				+ c.group() + ")";
		var request = refuseInvalid(doing, aclId, () -> Ec2Requests.createEntry(aclId, e));
		call(doing, aclId, () -> ec2.createNetworkAclEntry(request));
		Set<String> known = entryNumbers.get(aclId);
		if (known != null) {
			known.add(entryKey(e));
		}
		return ChangeResult.none();
	}

	private ChangeResult replaceEntry(AwsChange.ReplaceNetworkAclEntry c) {
		String aclId = networkAclOf(c.group(), "replacing an entry");
		NetworkAclEntry e = c.after();
		String doing = "replacing " + direction(e) + " entry " + e.ruleNumber() + " in network ACL " + aclId
				+ " (group " + c.group() + ")";
		var request = refuseInvalid(doing, aclId, () -> Ec2Requests.replaceEntry(aclId, e));
		requireEntry(doing, aclId, e);
		call(doing, aclId, () -> ec2.replaceNetworkAclEntry(request));
		return ChangeResult.none();
	}

	private ChangeResult deleteEntry(AwsChange.DeleteNetworkAclEntry c) {
		String aclId = networkAclOf(c.group(), "deleting an entry");
		NetworkAclEntry e = c.entry();
		String doing = "deleting " + direction(e) + " entry " + e.ruleNumber() + " from network ACL " + aclId
				+ " (group " + c.group() + ")";
		requireEntry(doing, aclId, e);
		call(doing, aclId, () -> ec2
			.deleteNetworkAclEntry(r -> r.networkAclId(aclId).ruleNumber(e.ruleNumber()).egress(e.egress())));
		Set<String> known = entryNumbers.get(aclId);
		if (known != null) {
			known.remove(entryKey(e));
		}
		return ChangeResult.none();
	}

	/**
	 * Replace and delete need the entry to exist. AWS answers a missing one with
	 * InvalidNetworkAclEntry.NotFound, but moto with HTTP 500, so where this apply knows
	 * the ACL's entries (from the live state it was seeded with, or because it created
	 * the ACL) it refuses such a call itself, before sending it.
	 */
	private void requireEntry(String doing, String aclId, NetworkAclEntry e) {
		Set<String> known = entryNumbers.get(aclId);
		if (known != null && !known.contains(entryKey(e))) {
			throw Ec2Errors.refused(Kind.NOT_FOUND, doing, aclId, "the network ACL has no " + direction(e) + " entry "
					+ e.ruleNumber() + " (the live state changed since it was read?)");
		}
	}

	private static String entryKey(NetworkAclEntry e) {
		return direction(e) + " " + e.ruleNumber();
	}

	private ChangeResult associate(AwsChange.AssociateSubnet c) {
		String aclId = networkAclOf(c.group(), "associating subnet " + c.subnetId());
		String doing = "moving subnet " + c.subnetId() + " from network ACL " + c.fromNetworkAclId() + " to " + aclId
				+ " (group " + c.group() + ", association " + c.associationId() + ")";
		String newAssociation = call(doing, c.subnetId(),
				() -> ec2.replaceNetworkAclAssociation(r -> r.associationId(c.associationId()).networkAclId(aclId))
					.newAssociationId());
		return ChangeResult.created(newAssociation);
	}

	private String securityGroupOf(String group, String givenId, String doing) {
		String id = givenId != null ? givenId : securityGroupIds.get(group);
		if (id == null) {
			throw Ec2Errors.refused(Kind.UNRESOLVED, doing + " for group " + group, group,
					"no security group is known for this group (its CreateSecurityGroup must come first)");
		}
		return id;
	}

	private String networkAclOf(String group, String doing) {
		String id = networkAclIds.get(group);
		if (id == null) {
			throw Ec2Errors.refused(Kind.UNRESOLVED, doing + " for group " + group, group,
					"no network ACL is known for this group (its CreateNetworkAcl must come first)");
		}
		return id;
	}

	private static String count(int n, String noun) {
		return n + " " + noun + (n == 1 ? "" : "s");
	}

	private static String direction(NetworkAclEntry e) {
		return e.egress() ? "egress" : "ingress";
	}

	private static <T> T refuseInvalid(String doing, String resource, Supplier<T> build) {
		try {
			return build.get();
		}
		catch (IllegalArgumentException e) {
			throw Ec2Errors.refused(Kind.INVALID_REQUEST, doing, resource, e.getMessage());
		}
	}

	private <T> T call(String doing, String resource, Supplier<T> call) {
		apiCalls.incrementAndGet();
		try {
			return call.get();
		}
		catch (SdkException e) {
			throw Ec2Errors.wrap(doing, resource, e);
		}
	}

}
