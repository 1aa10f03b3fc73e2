package dev.polyfence.plan.aws;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.Fingerprint;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.plan.PlanFindingCode;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.SecurityGroup;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a translation with what a VPC has and lists the changes, in an order that is
 * safe both ways ({@link Phase}): no flow allowed before and after is cut midway, and no
 * flow denied before and after is let through. Network ACL entries keep their rule
 * numbers where the policy change does not touch them ({@link NetworkAclPlan}). Only
 * resources tagged as managed by this policy are changed; a name the policy needs that
 * something else holds is an error.
 */
public final class AwsPlanner {

	private static final String AWS = "aws";

	/**
	 * Rules per security group direction and family unless the bindings raise it, so that
	 * interim rules never make an apply fail midway. Source: Amazon VPC quotas, "Inbound
	 * or outbound rules per security group" (amazon-vpc-limits).
	 */
	private static final int SG_RULES_PER_DIRECTION = 60;

	/**
	 * A new security group comes with this egress rule; the plan keeps or revokes it like
	 * any other.
	 */
	private static final AwsLiveState.LiveRule DEFAULT_EGRESS = new AwsLiveState.LiveRule(null, true, "-1", null, null,
			"0.0.0.0/0", null, null, null);

	public AwsPlan plan(Policy policy, Bindings.Aws aws, AwsOutput desired, AwsLiveState live) {
		Work work = new Work(policy, aws, desired, live);
		for (SecurityGroup sg : desired.securityGroups()) {
			work.securityGroup(sg);
		}
		int quota = aws == null || aws.securityGroupRuleQuota() == null ? SG_RULES_PER_DIRECTION
				: aws.securityGroupRuleQuota();
		for (SecurityGroup sg : desired.securityGroups()) {
			Cancellation.check();
			work.rules(sg, quota);
		}
		for (NetworkAcl acl : desired.networkAcls()) {
			Cancellation.check();
			work.networkAcl(acl);
		}
		work.orphansAndForeign(desired);
		List<AwsChange> ordered = new ArrayList<>();
		List<ChangeRow> rows = new ArrayList<>();
		for (Phase phase : Phase.values()) {
			for (Pending p : work.pending) {
				if (p.phase() == phase) {
					int step = ordered.size();
					ordered.add(p.change());
					p.rows()
						.forEach(r -> rows.add(new ChangeRow(step, AWS, r.action(), r.resourceType(), r.resource(),
								r.group(), r.before(), r.after())));
				}
			}
		}
		return new AwsPlan(ordered, rows, work.findings, work.foreign, fingerprint(policy, desired, live));
	}

	/**
	 * The order of operations, safe both ways (spec section 6). Per flow, every point
	 * that stops allowing it does so before any point starts allowing it, and a point
	 * that keeps its decision keeps it throughout: network ACLs first cut what they will
	 * deny, then subnets move to their complete ACLs, security groups add their new rules
	 * and then revoke the old ones (a union, so a flow both allow is never cut), and only
	 * then do the ACLs open what they will allow. So a deny that moves from a security
	 * group into an ACL is in the ACL before the group widens, and one that moves the
	 * other way stays in the ACL until the group has narrowed.
	 */
	enum Phase {

		/** New security groups; no workload uses them yet. */
		CREATE_GROUPS,
		/** The default egress rule of a new group, when the policy does not keep it. */
		NEW_GROUP_EGRESS,
		/** New network ACLs. */
		CREATE_ACLS,
		/** Entries of ACLs that no subnet uses yet, in any order. */
		FILL_ACLS,
		/** ACL entry changes that only cut flows the new entries deny. */
		TIGHTEN_ACLS,
		/** Subnets move to their ACL, which is complete. */
		ASSOCIATE,
		/**
		 * Security group rules that allow nothing new are added, and old rules revoked
		 * where that only cuts flows the new rules deny.
		 */
		TIGHTEN_GROUPS,
		/**
		 * The other security group rules: new ones that open flows, then the rest of the
		 * old.
		 */
		LOOSEN_GROUPS,
		/** ACL entry changes that only open flows the new entries allow. */
		LOOSEN_ACLS

	}

	private record Pending(Phase phase, AwsChange change, List<ChangeRow> rows) {
	}

	private static ChangeRow row(String action, String type, String resource, String group, Object before,
			Object after) {
		return new ChangeRow(-1, AWS, action, type, resource, group, before, after);
	}

	/** The state of one planning run. */
	private static final class Work {

		final Policy policy;

		final AwsLiveState live;

		final List<Pending> pending = new ArrayList<>();

		final List<Finding> findings = new ArrayList<>();

		final List<ForeignResource> foreign = new ArrayList<>();

		final Map<String, String> groupNamesById = new HashMap<>();

		/**
		 * Per policy group: its live managed security group, or null when it is to be
		 * created.
		 */
		final Map<String, AwsLiveState.LiveSecurityGroup> managedGroups = new LinkedHashMap<>();

		/** Where each policy group's workloads live, by security group name. */
		final Map<String, List<IPAddress>> peerAddresses = new HashMap<>();

		Work(Policy policy, Bindings.Aws aws, AwsOutput desired, AwsLiveState live) {
			this.policy = policy;
			this.live = live;
			live.securityGroups().forEach(g -> groupNamesById.put(g.groupId(), g.groupName()));
			if (aws != null) {
				for (SecurityGroup sg : desired.securityGroups()) {
					aws.group(sg.group())
						.map(Bindings.AwsGroup::cidrs)
						.filter(c -> !c.isEmpty())
						.ifPresent(c -> peerAddresses.put(sg.groupName(), c));
				}
			}
		}

		void securityGroup(SecurityGroup sg) {
			AwsLiveState.LiveSecurityGroup existing = live.securityGroupNamed(sg.groupName()).orElse(null);
			if (existing == null) {
				pending.add(new Pending(Phase.CREATE_GROUPS,
						new AwsChange.CreateSecurityGroup(sg.group(), sg.groupName(), sg.description(),
								ManagedTags.of(policy.name(), sg.group())),
						List.of(row(ChangeRow.CREATE, "security-group", sg.groupName(), sg.group(), null,
								Map.of("GroupName", sg.groupName(), "Description", sg.description())))));
				managedGroups.put(sg.group(), null);
				return;
			}
			String owner = ManagedTags.groupOf(existing.tags(), policy.name());
			if (!sg.group().equals(owner)) {
				findings.add(new Finding(PlanFindingCode.NAME_TAKEN.severity(), PlanFindingCode.NAME_TAKEN.name(),
						Target.AWS, null,
						"security group " + sg.groupName() + " (" + existing.groupId() + ") already exists in "
								+ live.vpcId() + " and is not managed by Polyfence for policy " + policy.name()
								+ " and group " + sg.group() + "; it is left alone: rename the group's "
								+ "securityGroupName in the bindings, or tag it "
								+ ManagedTags.of(policy.name(), sg.group())));
				return;
			}
			managedGroups.put(sg.group(), existing);
		}

		void rules(SecurityGroup sg, int quota) {
			if (!managedGroups.containsKey(sg.group())) {
				return;
			}
			AwsLiveState.LiveSecurityGroup existing = managedGroups.get(sg.group());
			List<AwsLiveState.LiveRule> liveRules = existing == null ? List.of(DEFAULT_EGRESS) : existing.rules();
			for (boolean egress : new boolean[] { false, true }) {
				Map<SgRuleKey, AwsLiveState.LiveRule> have = new LinkedHashMap<>();
				for (AwsLiveState.LiveRule r : liveRules) {
					if (r.egress() == egress) {
						have.put(SgRuleKey.of(r, groupNamesById), r);
					}
				}
				TreeSet<SgRuleKey> want = new TreeSet<>();
				for (IpPermission p : egress ? sg.ipPermissionsEgress() : sg.ipPermissions()) {
					want.addAll(SgRuleKey.of(p, egress));
				}
				if (existing == null) {
					newGroupRules(sg, egress, have, want);
					continue;
				}
				List<String> risks = new ArrayList<>();
				SecurityGroupOrder.Calls calls = SecurityGroupOrder.calls(have.keySet(), want, peerAddresses, quota);
				for (SecurityGroupOrder.Call call : calls.calls()) {
					Phase phase = call.stage() == Stage.TIGHTEN ? Phase.TIGHTEN_GROUPS : Phase.LOOSEN_GROUPS;
					if (call.add()) {
						pending.add(new Pending(phase,
								new AwsChange.AuthorizeRules(sg.group(), egress, regroup(call.rules())),
								call.rules().stream().map(k -> created(sg, k, calls.interim().contains(k))).toList()));
					}
					else {
						List<AwsLiveState.LiveRule> rules = call.rules()
							.stream()
							.map(k -> have.containsKey(k) ? have.get(k) : interimRule(k))
							.toList();
						pending.add(new Pending(phase,
								new AwsChange.RevokeRules(sg.group(), existing.groupId(), egress, rules),
								call.rules().stream().map(k -> deleted(sg, k, have.get(k))).toList()));
					}
					if (call.risk() != null) {
						risks.add(call.risk());
					}
				}
				if (!risks.isEmpty()) {
					unsafeOrder("security group " + sg.groupName() + " (" + (egress ? "egress" : "ingress") + ")",
							risks);
				}
			}
		}

		/**
		 * A new group is used by no workload yet: its default egress rule goes at once
		 * when the policy does not keep it, and its rules come in one call per direction.
		 */
		private void newGroupRules(SecurityGroup sg, boolean egress, Map<SgRuleKey, AwsLiveState.LiveRule> have,
				TreeSet<SgRuleKey> want) {
			List<SgRuleKey> add = want.stream().filter(k -> !have.containsKey(k)).toList();
			List<SgRuleKey> remove = have.keySet().stream().filter(k -> !want.contains(k)).sorted().toList();
			if (!remove.isEmpty()) {
				pending.add(new Pending(Phase.NEW_GROUP_EGRESS,
						new AwsChange.RevokeRules(sg.group(), null, egress, remove.stream().map(have::get).toList()),
						remove.stream().map(k -> deleted(sg, k, have.get(k))).toList()));
			}
			if (!add.isEmpty()) {
				pending.add(
						new Pending(Phase.LOOSEN_GROUPS, new AwsChange.AuthorizeRules(sg.group(), egress, regroup(add)),
								add.stream().map(k -> created(sg, k)).toList()));
			}
		}

		private static ChangeRow created(SecurityGroup sg, SgRuleKey k) {
			return created(sg, k, false);
		}

		/**
		 * An interim rule says so: it is added early and revoked later in the same apply.
		 */
		private static ChangeRow created(SecurityGroup sg, SgRuleKey k, boolean interim) {
			return row(ChangeRow.CREATE, "security-group-rule",
					sg.groupName() + ": " + k.describe() + (interim ? " (interim, revoked later in this apply)" : ""),
					sg.group(), null, k.toPermission());
		}

		/**
		 * An interim rule is revoked by its properties: its id is known only once added.
		 * Its reference, if any, is to a security group that exists now.
		 */
		private AwsLiveState.LiveRule interimRule(SgRuleKey k) {
			String groupId = k.groupName() == null ? null
					: live.securityGroupNamed(k.groupName()).orElseThrow().groupId();
			return new AwsLiveState.LiveRule(null, k.egress(), k.protocol(), k.fromPort(), k.toPort(), k.cidrIpv4(),
					k.cidrIpv6(), groupId, null);
		}

		private static ChangeRow deleted(SecurityGroup sg, SgRuleKey k, AwsLiveState.LiveRule rule) {
			return row(ChangeRow.DELETE, "security-group-rule", sg.groupName() + ": " + k.describe(), sg.group(), rule,
					null);
		}

		private void unsafeOrder(String what, List<String> risks) {
			findings.add(new Finding(PlanFindingCode.UNSAFE_ORDER.severity(), PlanFindingCode.UNSAFE_ORDER.name(),
					Target.AWS, null,
					"the " + what + " changes in a way that no order of single calls makes safe both ways: "
							+ risks.size() + " call" + (risks.size() == 1 ? "" : "s")
							+ " of the apply may briefly block a flow that is allowed before and after, or let "
							+ "through one that is denied before and after; the first " + risks.get(0)));
		}

		/**
		 * Rules of one protocol and port range share one permission, as the API takes
		 * them.
		 */
		private static List<IpPermission> regroup(List<SgRuleKey> keys) {
			Map<List<Object>, List<SgRuleKey>> byService = new LinkedHashMap<>();
			for (SgRuleKey k : keys) {
				byService
					.computeIfAbsent(java.util.Arrays.asList(k.protocol(), k.fromPort(), k.toPort()),
							x -> new ArrayList<>())
					.add(k);
			}
			List<IpPermission> permissions = new ArrayList<>();
			byService.values().forEach(same -> {
				SgRuleKey first = same.get(0);
				permissions.add(new IpPermission(first.protocol(), first.fromPort(), first.toPort(),
						same.stream()
							.filter(k -> k.cidrIpv4() != null)
							.map(k -> new IpPermission.IpRange(k.cidrIpv4()))
							.toList(),
						same.stream()
							.filter(k -> k.cidrIpv6() != null)
							.map(k -> new IpPermission.Ipv6Range(k.cidrIpv6()))
							.toList(),
						same.stream()
							.filter(k -> k.groupName() != null)
							.map(k -> new IpPermission.UserIdGroupPair(null, k.groupName()))
							.toList()));
			});
			return permissions;
		}

		void networkAcl(NetworkAcl desired) {
			AwsLiveState.LiveNetworkAcl existing = live.networkAcls()
				.stream()
				.filter(a -> desired.group().equals(ManagedTags.groupOf(a.tags(), policy.name())))
				.findFirst()
				.orElse(null);
			String resource = "network ACL of " + desired.group();
			if (existing == null) {
				pending.add(new Pending(Phase.CREATE_ACLS,
						new AwsChange.CreateNetworkAcl(desired.group(), ManagedTags.of(policy.name(), desired.group())),
						List.of(row(ChangeRow.CREATE, "network-acl", resource, desired.group(), null,
								Map.of("VpcId", live.vpcId())))));
			}
			boolean inUse = existing != null && !existing.associations().isEmpty();
			List<String> risks = new ArrayList<>();
			for (NetworkAclOrder.Step step : NetworkAclPlan.entries(desired, existing, inUse)) {
				Phase phase = !inUse ? Phase.FILL_ACLS
						: step.stage() == Stage.TIGHTEN ? Phase.TIGHTEN_ACLS : Phase.LOOSEN_ACLS;
				pending.add(new Pending(phase, step.change(),
						step.first() ? List.of(entryRow(resource, desired.group(), step.of())) : List.of()));
				if (step.risk() != null) {
					risks.add(step.risk());
				}
			}
			if (!risks.isEmpty()) {
				unsafeOrder(resource, risks);
			}
			for (String subnet : desired.subnetIds()) {
				var current = live.associationOf(subnet).orElse(null);
				if (current == null) {
					findings.add(new Finding(PlanFindingCode.SCOPE_NOT_FOUND.severity(),
							PlanFindingCode.SCOPE_NOT_FOUND.name(), Target.AWS, null,
							"subnet " + subnet + " of group " + desired.group() + " is not in " + live.vpcId()
									+ " (no network ACL association found)"));
					continue;
				}
				if (existing != null && current.getKey().networkAclId().equals(existing.networkAclId())) {
					continue;
				}
				pending.add(new Pending(Phase.ASSOCIATE,
						new AwsChange.AssociateSubnet(desired.group(), subnet, current.getValue().associationId(),
								current.getKey().networkAclId()),
						List.of(row(ChangeRow.UPDATE, "network-acl-association", subnet, desired.group(),
								Map.of("NetworkAclId", current.getKey().networkAclId()),
								Map.of("NetworkAclId", resource)))));
			}
		}

		/**
		 * One row per entry change, whatever calls it takes: an entry that stays never
		 * shows as deleted.
		 */
		private static ChangeRow entryRow(String resource, String group, NetworkAclNumbering.EntryChange c) {
			if (c.before() == null) {
				return row(ChangeRow.CREATE, "network-acl-entry", resource + ": " + NetworkAclPlan.describe(c.after()),
						group, null, c.after());
			}
			if (c.after() == null) {
				return row(ChangeRow.DELETE, "network-acl-entry", resource + ": " + NetworkAclPlan.describe(c.before()),
						group, c.before(), null);
			}
			return row(ChangeRow.UPDATE, "network-acl-entry",
					resource + ": " + NetworkAclPlan.describe(c.before()) + " → " + NetworkAclPlan.describe(c.after()),
					group, c.before(), c.after());
		}

		void orphansAndForeign(AwsOutput desired) {
			var desiredGroups = new TreeSet<String>();
			desired.securityGroups().forEach(g -> desiredGroups.add(g.group()));
			for (AwsLiveState.LiveSecurityGroup g : live.securityGroups()) {
				String group = ManagedTags.groupOf(g.tags(), policy.name());
				if (group == null) {
					foreign.add(new ForeignResource(AWS, "security-group", g.groupId(), g.groupName(),
							"not managed by Polyfence for policy " + policy.name()));
				}
				else if (!desiredGroups.contains(group)) {
					findings.add(new Finding(PlanFindingCode.ORPHANED.severity(), PlanFindingCode.ORPHANED.name(),
							Target.AWS, null, "security group " + g.groupName() + " (" + g.groupId() + ") serves group "
									+ group + ", which the policy no longer has; it is left in place"));
				}
			}
			var desiredAcls = new TreeSet<String>();
			desired.networkAcls().forEach(a -> desiredAcls.add(a.group()));
			for (AwsLiveState.LiveNetworkAcl a : live.networkAcls()) {
				String group = ManagedTags.groupOf(a.tags(), policy.name());
				if (group == null) {
					foreign.add(new ForeignResource(AWS, "network-acl", a.networkAclId(),
							a.isDefault() ? "default" : "", "not managed by Polyfence for policy " + policy.name()));
				}
				else if (!desiredAcls.contains(group)) {
					findings.add(new Finding(PlanFindingCode.ORPHANED.severity(), PlanFindingCode.ORPHANED.name(),
							Target.AWS, null, "network ACL " + a.networkAclId() + " serves group " + group
									+ ", which the policy no longer has (or no longer has subnets); it is left in place"));
				}
			}
		}

	}

	/**
	 * What the plan depends on: the security groups it needs or manages, with their
	 * rules; the ACLs it manages, with entries and associations; and the associations of
	 * the subnets it binds. Unrelated resources in the VPC may change without making the
	 * plan stale.
	 */
	public static String fingerprint(Policy policy, AwsOutput desired, AwsLiveState live) {
		TreeSet<String> names = new TreeSet<>();
		desired.securityGroups().forEach(g -> names.add(g.groupName()));
		TreeSet<String> subnets = new TreeSet<>();
		desired.networkAcls().forEach(a -> subnets.addAll(a.subnetIds()));
		List<String> lines = new ArrayList<>();
		lines.add("vpc " + live.vpcId());
		for (AwsLiveState.LiveSecurityGroup g : live.securityGroups()) {
			if (names.contains(g.groupName()) || ManagedTags.groupOf(g.tags(), policy.name()) != null) {
				lines.add("sg " + g.groupId() + " " + g.groupName() + " " + new java.util.TreeMap<>(g.tags()));
				g.rules().forEach(r -> lines.add("rule " + g.groupId() + " " + r));
			}
		}
		for (AwsLiveState.LiveNetworkAcl a : live.networkAcls()) {
			boolean managed = ManagedTags.groupOf(a.tags(), policy.name()) != null;
			for (AwsLiveState.Association s : a.associations()) {
				if (managed || subnets.contains(s.subnetId())) {
					lines.add("assoc " + a.networkAclId() + " " + s);
				}
			}
			if (managed) {
				lines.add("acl " + a.networkAclId() + " " + new java.util.TreeMap<>(a.tags()));
				a.entries().forEach(e -> lines.add("entry " + a.networkAclId() + " " + e));
			}
		}
		return Fingerprint.of(lines);
	}

}
