package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A VPC held in memory that carries out {@link AwsChange}s as EC2 would, enough to test
 * the planner step by step: new groups get the default egress rule, duplicates and
 * missing rules are errors, ACL rule numbers are unique per direction. The real API is
 * tested against moto elsewhere.
 */
public final class SimulatedVpc {

	private final String vpcId;

	private final Map<String, AwsLiveState.LiveSecurityGroup> groups = new LinkedHashMap<>();

	private final Map<String, AwsLiveState.LiveNetworkAcl> acls = new LinkedHashMap<>();

	private final Map<String, String> groupIdByPolicyGroup = new HashMap<>();

	private final Map<String, String> aclIdByPolicyGroup = new HashMap<>();

	private int ids;

	public SimulatedVpc(String vpcId, List<String> subnets) {
		this.vpcId = vpcId;
		String defaultSg = id("sg");
		groups.put(defaultSg, new AwsLiveState.LiveSecurityGroup(defaultSg, "default", "default VPC security group",
				Map.of(), List.of()));
		String defaultAcl = id("acl");
		List<AwsLiveState.Association> associations = new ArrayList<>();
		subnets.forEach(s -> associations.add(new AwsLiveState.Association(id("aclassoc"), s)));
		acls.put(defaultAcl, new AwsLiveState.LiveNetworkAcl(defaultAcl, true, Map.of(),
				List.of(new NetworkAclEntry(100, "-1", "allow", false, "0.0.0.0/0", null, null, null),
						new NetworkAclEntry(101, "-1", "allow", false, null, "::/0", null, null),
						new NetworkAclEntry(100, "-1", "allow", true, "0.0.0.0/0", null, null, null),
						new NetworkAclEntry(101, "-1", "allow", true, null, "::/0", null, null)),
				associations));
	}

	public AwsLiveState state() {
		return new AwsLiveState(vpcId, List.copyOf(groups.values()), List.copyOf(acls.values()));
	}

	/**
	 * Seeds the group-to-id maps from what already exists, as the real executor is seeded
	 * by the plan.
	 */
	public void learn(String policyGroup, String groupId, String aclId) {
		if (groupId != null) {
			groupIdByPolicyGroup.put(policyGroup, groupId);
		}
		if (aclId != null) {
			aclIdByPolicyGroup.put(policyGroup, aclId);
		}
	}

	public void apply(AwsChange change) {
		if (change instanceof AwsChange.CreateSecurityGroup c) {
			String id = id("sg");
			groups.put(id, new AwsLiveState.LiveSecurityGroup(id, c.groupName(), c.description(), c.tags(), List
				.of(new AwsLiveState.LiveRule(id("sgr"), true, "-1", null, null, "0.0.0.0/0", null, null, null))));
			groupIdByPolicyGroup.put(c.group(), id);
		}
		else if (change instanceof AwsChange.AuthorizeRules c) {
			String id = groupIdByPolicyGroup.get(c.group());
			var g = groups.get(id);
			List<AwsLiveState.LiveRule> rules = new ArrayList<>(g.rules());
			Map<String, String> names = new HashMap<>();
			groups.values().forEach(x -> names.put(x.groupId(), x.groupName()));
			java.util.Set<SgRuleKey> existing = new java.util.HashSet<>();
			rules.forEach(r -> existing.add(SgRuleKey.of(r, names)));
			for (IpPermission p : c.permissions()) {
				for (SgRuleKey k : SgRuleKey.of(p, c.egress())) {
					String ref = k.groupName() == null ? null
							: groups.values()
								.stream()
								.filter(x -> x.groupName().equals(k.groupName()))
								.findFirst()
								.orElseThrow(() -> new IllegalStateException("InvalidGroup.NotFound " + k.groupName()))
								.groupId();
					if (!existing.add(k)) {
						throw new IllegalStateException("InvalidPermission.Duplicate " + k.describe());
					}
					rules.add(new AwsLiveState.LiveRule(id("sgr"), c.egress(), k.protocol(), k.fromPort(), k.toPort(),
							k.cidrIpv4(), k.cidrIpv6(), ref, null));
				}
			}
			groups.put(id, new AwsLiveState.LiveSecurityGroup(id, g.groupName(), g.description(), g.tags(), rules));
		}
		else if (change instanceof AwsChange.RevokeRules c) {
			String id = c.groupId() != null ? c.groupId() : groupIdByPolicyGroup.get(c.group());
			var g = groups.get(id);
			List<AwsLiveState.LiveRule> rules = new ArrayList<>(g.rules());
			for (AwsLiveState.LiveRule r : c.rules()) {
				Map<String, String> names = new HashMap<>();
				groups.values().forEach(x -> names.put(x.groupId(), x.groupName()));
				boolean removed = r.ruleId() != null ? rules.removeIf(x -> x.ruleId().equals(r.ruleId()))
						: rules.removeIf(x -> SgRuleKey.of(x, names).equals(SgRuleKey.of(r, names)));
				if (!removed) {
					throw new IllegalStateException("InvalidPermission.NotFound " + r);
				}
			}
			groups.put(id, new AwsLiveState.LiveSecurityGroup(id, g.groupName(), g.description(), g.tags(), rules));
		}
		else if (change instanceof AwsChange.CreateNetworkAcl c) {
			String id = id("acl");
			acls.put(id, new AwsLiveState.LiveNetworkAcl(id, false, c.tags(), List.of(), List.of()));
			aclIdByPolicyGroup.put(c.group(), id);
		}
		else if (change instanceof AwsChange.CreateNetworkAclEntry c) {
			var acl = acls.get(aclIdByPolicyGroup.get(c.group()));
			if (acl.entries()
				.stream()
				.anyMatch(e -> e.egress() == c.entry().egress() && e.ruleNumber() == c.entry().ruleNumber())) {
				throw new IllegalStateException("NetworkAclEntryAlreadyExists " + c.entry().ruleNumber());
			}
			List<NetworkAclEntry> entries = new ArrayList<>(acl.entries());
			entries.add(c.entry());
			acls.put(acl.networkAclId(), new AwsLiveState.LiveNetworkAcl(acl.networkAclId(), false, acl.tags(), entries,
					acl.associations()));
		}
		else if (change instanceof AwsChange.ReplaceNetworkAclEntry c) {
			var acl = acls.get(aclIdByPolicyGroup.get(c.group()));
			List<NetworkAclEntry> entries = new ArrayList<>(acl.entries());
			if (!entries
				.removeIf(e -> e.egress() == c.before().egress() && e.ruleNumber() == c.before().ruleNumber())) {
				throw new IllegalStateException("InvalidNetworkAclEntry.NotFound " + c.before());
			}
			entries.add(c.after());
			acls.put(acl.networkAclId(), new AwsLiveState.LiveNetworkAcl(acl.networkAclId(), false, acl.tags(), entries,
					acl.associations()));
		}
		else if (change instanceof AwsChange.DeleteNetworkAclEntry c) {
			var acl = acls.get(aclIdByPolicyGroup.get(c.group()));
			List<NetworkAclEntry> entries = new ArrayList<>(acl.entries());
			if (!entries.removeIf(e -> e.egress() == c.entry().egress() && e.ruleNumber() == c.entry().ruleNumber())) {
				throw new IllegalStateException("entry not found " + c.entry());
			}
			acls.put(acl.networkAclId(), new AwsLiveState.LiveNetworkAcl(acl.networkAclId(), false, acl.tags(), entries,
					acl.associations()));
		}
		else if (change instanceof AwsChange.AssociateSubnet c) {
			var from = acls.get(c.fromNetworkAclId());
			var to = acls.get(aclIdByPolicyGroup.get(c.group()));
			List<AwsLiveState.Association> fromAssociations = new ArrayList<>(from.associations());
			fromAssociations.removeIf(a -> a.subnetId().equals(c.subnetId()));
			acls.put(from.networkAclId(), new AwsLiveState.LiveNetworkAcl(from.networkAclId(), from.isDefault(),
					from.tags(), from.entries(), fromAssociations));
			List<AwsLiveState.Association> toAssociations = new ArrayList<>(to.associations());
			toAssociations.add(new AwsLiveState.Association(id("aclassoc"), c.subnetId()));
			acls.put(to.networkAclId(), new AwsLiveState.LiveNetworkAcl(to.networkAclId(), to.isDefault(), to.tags(),
					to.entries(), toAssociations));
		}
	}

	/** An out-of-band edit, as someone in the console would make it. */
	public void replaceGroup(AwsLiveState.LiveSecurityGroup group) {
		groups.put(group.groupId(), group);
	}

	private String id(String prefix) {
		return prefix + "-" + String.format("%08x", ++ids);
	}

}
