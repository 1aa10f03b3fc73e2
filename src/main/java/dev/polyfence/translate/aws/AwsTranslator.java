package dev.polyfence.translate.aws;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.Flattener;
import dev.polyfence.translate.Flattener.Cell;
import dev.polyfence.translate.GroupBindingChecks;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.PeerResolver;
import dev.polyfence.translate.PeerSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.aws.JointEnforcement.Side;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates a policy into one security group per group and one network ACL per group
 * with subnets (spec section 4, AWS), splitting the work as an AWS expert would:
 * <ol>
 * <li>each side of each group (ingress, egress) is evaluated exactly
 * ({@link Flattener});</li>
 * <li>between two groups, a side that the other side already decides for need not be
 * exact toward that group ({@link JointEnforcement});</li>
 * <li>the network ACL of a group with subnets carries the denies that would otherwise cut
 * holes into wider allows, within its entry budget ({@link AclComplement});</li>
 * <li>the security group lists what is left as allows ({@link SecurityGroupRules}) and is
 * checked against its quota ({@link SecurityGroupQuota}).</li>
 * </ol>
 */
public final class AwsTranslator implements Translator<AwsOutput> {

	private static final Target AWS = Target.AWS;

	@Override
	public Target target() {
		return AWS;
	}

	@Override
	public Translation<AwsOutput> translate(Policy policy, Bindings bindings) {
		Bindings.Aws aws = bindings.aws();
		List<Finding> findings = new ArrayList<>();
		Map<String, List<IPAddress>> cidrs = new TreeMap<>();
		if (aws == null) {
			findings.add(Finding.of(FindingCode.BINDINGS_MISSING, AWS, null,
					"no AWS bindings: security groups are named <policy>-<group>, no network ACLs are made, and "
							+ "CIDR peers are assumed not to hold any group's workloads"));
		}
		else {
			aws.groups().forEach((group, b) -> cidrs.put(group, b.cidrs()));
		}
		GroupBindingChecks.check(policy, cidrs, AWS, aws != null, findings);
		checkSubnets(policy, aws, findings);
		Work work = new Work(policy, aws, new PeerResolver(policy, cidrs), findings);
		work.exactSides();
		Map<Side, AddressSet> relaxations = JointEnforcement.relaxations(work.boundGroups(), work.exact,
				work.defaultAllows, work.exactCells);
		List<SecurityGroup> securityGroups = new ArrayList<>();
		List<NetworkAcl> networkAcls = new ArrayList<>();
		for (String group : policy.groups()) {
			Cancellation.check();
			Side in = new Side(group, Direction.INGRESS);
			Side out = new Side(group, Direction.EGRESS);
			List<SideRule> ingress = JointEnforcement.relax(work.exact.get(in), relaxations.get(in));
			List<SideRule> egress = JointEnforcement.relax(work.exact.get(out), relaxations.get(out));
			List<String> subnets = aws == null || !aws.managesNetworkAcls() ? List.of()
					: aws.group(group).map(Bindings.AwsGroup::subnetIds).orElse(List.of());
			if (!subnets.isEmpty()) {
				AclComplement.Result inbound = work.aclSide(group, Direction.INGRESS, ingress);
				AclComplement.Result outbound = work.aclSide(group, Direction.EGRESS, egress);
				ingress = inbound.securityGroupRules();
				egress = outbound.securityGroupRules();
				work.reportAclLimits(group, Direction.INGRESS, inbound);
				work.reportAclLimits(group, Direction.EGRESS, outbound);
				networkAcls.add(work.networkAcl(group, subnets, inbound, outbound));
			}
			SecurityGroup sg = new SecurityGroup(group, securityGroupName(policy, aws, group),
					"Polyfence policy " + policy.name() + ", group " + group, aws == null ? null : aws.vpcId(),
					work.permissions(group, Direction.INGRESS, ingress),
					work.permissions(group, Direction.EGRESS, egress));
			SecurityGroupQuota.check(sg, ingress, egress, securityGroupQuota(aws), findings);
			securityGroups.add(sg);
		}
		for (Rule rule : policy.rules()) {
			if (rule.log()) {
				findings.add(Finding.of(FindingCode.LOG_UNSUPPORTED, AWS, rule.name(),
						"AWS has no per-rule logging for security groups or network ACLs; use VPC Flow Logs"));
			}
		}
		return new Translation<>(new AwsOutput(securityGroups, networkAcls), findings);
	}

	private static int securityGroupQuota(Bindings.Aws aws) {
		return aws == null || aws.securityGroupRuleQuota() == null ? AwsLimits.SG_RULES_PER_DIRECTION
				: aws.securityGroupRuleQuota();
	}

	static String securityGroupName(Policy policy, Bindings.Aws aws, String group) {
		return aws == null ? policy.name() + "-" + group
				: aws.group(group)
					.map(Bindings.AwsGroup::securityGroupName)
					.filter(n -> n != null && !n.isBlank())
					.orElse(policy.name() + "-" + group);
	}

	private static void checkSubnets(Policy policy, Bindings.Aws aws, List<Finding> findings) {
		if (aws == null) {
			return;
		}
		Map<String, String> owner = new LinkedHashMap<>();
		for (String group : policy.groups()) {
			for (String subnet : aws.group(group).map(Bindings.AwsGroup::subnetIds).orElse(List.of())) {
				String other = owner.putIfAbsent(subnet, group);
				if (other != null && !other.equals(group)) {
					findings.add(
							Finding.of(FindingCode.SUBNET_SHARED, AWS, null, "subnet " + subnet + " is bound to groups "
									+ other + " and " + group + "; a subnet has exactly one network ACL"));
				}
			}
		}
	}

	/** The state of one translation. */
	private static final class Work {

		final Policy policy;

		final Bindings.Aws aws;

		final PeerResolver resolver;

		final List<Finding> findings;

		final Map<Side, List<SideRule>> exact = new LinkedHashMap<>();

		final Map<Side, List<Cell>> exactCells = new LinkedHashMap<>();

		final Set<Side> defaultAllows = new HashSet<>();

		private final Map<Rule, PeerSet> resolved = new IdentityHashMap<>();

		Work(Policy policy, Bindings.Aws aws, PeerResolver resolver, List<Finding> findings) {
			this.policy = policy;
			this.aws = aws;
			this.resolver = resolver;
			this.findings = findings;
		}

		void exactSides() {
			for (String group : policy.groups()) {
				for (Direction direction : Direction.values()) {
					Side side = new Side(group, direction);
					List<SideRule> rules = policy.rulesFor(group, direction)
						.stream()
						.map(r -> new SideRule(r.name(), r.action(), resolved.computeIfAbsent(r, resolver::resolve),
								ServiceSpace.of(r.services())))
						.toList();
					exact.put(side, rules);
					exactCells.put(side, flatten(rules, direction));
					if (policy.defaults().of(direction) == Action.ALLOW) {
						defaultAllows.add(side);
					}
				}
			}
		}

		Map<String, AddressSet> boundGroups() {
			Map<String, AddressSet> bound = new LinkedHashMap<>();
			for (String group : policy.groups()) {
				if (resolver.isBound(group)) {
					bound.put(group, resolver.addressesOf(group));
				}
			}
			return bound;
		}

		List<Cell> flatten(List<SideRule> rules, Direction direction) {
			return Flattener.allowed(rules.stream().map(SideRule::matcher).toList(), policy.defaults().of(direction),
					resolver.universe());
		}

		AclComplement.Result aclSide(String group, Direction direction, List<SideRule> rules) {
			Direction other = direction == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
			AddressSet notCarried = resolver.addressesOf(group);
			if (!resolver.universe().labels().isEmpty()) {
				notCarried = notCarried.union(resolver.unboundRegion());
			}
			long budget = networkAclQuota() - 1L;
			return AclComplement.build(rules, policy.defaults().of(direction),
					AclComplement.replies(exactCells.get(new Side(group, other)), aws.ephemeralPorts()), notCarried,
					direction == Direction.EGRESS, budget);
		}

		/**
		 * Says which denies the ACL could not take, so the author sees why the security
		 * group is larger than it could be.
		 */
		void reportAclLimits(String group, Direction direction, AclComplement.Result result) {
			String side = (direction == Direction.INGRESS ? "inbound" : "outbound");
			String other = direction == Direction.INGRESS ? "egress" : "ingress";
			for (AclComplement.KeptForReplies kept : result.keptForReplies()) {
				findings.add(Finding.of(FindingCode.AWS_NACL_REPLY_OVERLAP, AWS, kept.rule(), "the " + side
						+ " network ACL of group " + group + " cannot deny " + ServiceSpace.describe(kept.services())
						+ " for rule " + kept.rule() + ": group " + group + "'s " + other
						+ " allows traffic to those peers, and a stateless ACL cannot tell its replies from new "
						+ "requests (TCP and UDP replies come back on aws.ephemeralPorts " + aws.ephemeralPorts().from()
						+ "-" + aws.ephemeralPorts().to()
						+ "), so the security group keeps that part of the deny. Denying " + other
						+ " to those peers too, or a narrower aws.ephemeralPorts, lets the ACL carry it"));
			}
			if (!result.notFitting().isEmpty()) {
				findings.add(Finding.of(FindingCode.AWS_NACL_BUDGET_FULL, AWS, result.notFitting().get(0),
						"the " + side + " network ACL of group " + group + " is full (" + networkAclQuota()
								+ " entries per family with the fixed * entry): the security group keeps the denies of "
								+ String.join(", ", result.notFitting())
								+ "; raising aws.networkAclEntryQuota (up to 40) lets the ACL carry more"));
			}
		}

		int networkAclQuota() {
			return aws.networkAclEntryQuota() == null ? AwsLimits.NACL_ENTRIES_PER_DIRECTION
					: aws.networkAclEntryQuota();
		}

		List<IpPermission> permissions(String group, Direction direction, List<SideRule> rules) {
			SecurityGroupRules emitter = emitter(group, direction);
			List<IpPermission> permissions = emitter.permissions(flatten(rules, direction));
			if (emitter.narrowed()) {
				reportNarrowed(group, direction);
			}
			if (emitter.icmpNarrowed()) {
				findings.add(Finding.of(FindingCode.APPROXIMATED, AWS, firstRuleWithIcmp(group, direction),
						"security group of group " + group + ", " + direction.wire()
								+ ": some peers are allowed ICMP or ICMPv6 except some types or codes, which would "
								+ "take more rules per peer than a quota holds (one per code and per type); those "
								+ "types, or that ICMP family, are not allowed to them (errs closed)"));
			}
			if (emitter.certainlyNeeded() > 0) {
				SecurityGroupQuota.reportTooMany(securityGroupName(policy, aws, group), group, direction,
						emitter.certainlyNeeded(), rules, findings);
			}
			return permissions;
		}

		private String firstRuleWithIcmp(String group, Direction direction) {
			IntervalSet icmp = ServiceSpace.protocol(1).union(ServiceSpace.protocol(58));
			List<Rule> rules = policy.rulesFor(group, direction);
			return rules.stream()
				.filter(r -> ServiceSpace.of(r.services()).intersects(icmp))
				.map(Rule::name)
				.findFirst()
				.orElse(rules.isEmpty() ? null : rules.get(0).name());
		}

		private void reportNarrowed(String group, Direction direction) {
			String rule = policy.rulesFor(group, direction)
				.stream()
				.filter(r -> r.action() == Action.ALLOW)
				.filter(r -> ServiceSpace.of(r.services())
					.intersects(ServiceSpace.protocol(0).union(ServiceSpace.protocol(255))))
				.map(Rule::name)
				.findFirst()
				.orElse(policy.rulesFor(group, direction).get(0).name());
			findings.add(Finding.of(FindingCode.APPROXIMATED, AWS, rule, "security group of group " + group + ", "
					+ direction.wire()
					+ ": some peers are allowed every protocol except part of TCP, UDP or ICMP, which "
					+ "would take one rule per protocol; protocols other than TCP, UDP, ICMP and ICMPv6 are not allowed "
					+ "to them (errs closed)" + (policy.defaults().of(direction) == Action.ALLOW
							? " — this includes the allow-by-default of " + direction.wire() : "")));
		}

		private SecurityGroupRules emitter(String group, Direction direction) {
			Map<String, AddressSet> referable = new TreeMap<>();
			for (Rule rule : policy.rulesFor(group, direction)) {
				if (rule.action() != Action.ALLOW) {
					continue;
				}
				for (Peer peer : rule.peers()) {
					if (peer instanceof Peer.Group g && resolver.isBound(g.name())) {
						referable.put(g.name(), resolver.addressesOf(g.name()));
					}
				}
			}
			return new SecurityGroupRules(g -> securityGroupName(policy, aws, g), referable, resolver.unboundRegion());
		}

		NetworkAcl networkAcl(String group, List<String> subnets, AclComplement.Result inbound,
				AclComplement.Result outbound) {
			int quota = networkAclQuota();
			List<NetworkAclEntry> all = new ArrayList<>();
			for (AclComplement.Result side : List.of(inbound, outbound)) {
				NetworkAclEntries entries = side.entries();
				String direction = side == inbound ? "inbound" : "outbound";
				for (boolean v6 : new boolean[] { false, true }) {
					long used = entries.count(v6) + 1;
					if (used > quota) {
						findings.add(Finding.of(FindingCode.AWS_NACL_ENTRY_QUOTA, AWS, null,
								"the network ACL of group " + group + " needs " + used + " " + direction + " IPv"
										+ (v6 ? 6 : 4) + " entries with the fixed * entry; the quota is " + quota
										+ " (adjustable up to " + AwsLimits.NACL_ENTRIES_MAX + ")"));
					}
				}
				all.addAll(entries.numbered(AwsLimits.NACL_RULE_NUMBER_FIRST, AwsLimits.NACL_RULE_NUMBER_STEP));
			}
			return new NetworkAcl(group, aws.vpcId(), subnets, all);
		}

	}

}
