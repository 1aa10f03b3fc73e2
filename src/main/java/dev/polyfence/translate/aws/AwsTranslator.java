package dev.polyfence.translate.aws;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.Flattener;
import dev.polyfence.translate.Flattener.Cell;
import dev.polyfence.translate.GroupBindingChecks;
import dev.polyfence.translate.Numbering;
import dev.polyfence.translate.PeerResolver;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Translates a policy into one security group per group and one network ACL per group
 * with subnets (spec section 4, AWS). Security groups allow only, so each group's rules
 * are flattened into the exact allowed set, earlier denies subtracted; the ACL mirrors
 * the rules at address granularity behind return entries for the stateless direction.
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
		PeerResolver resolver = new PeerResolver(policy, cidrs);
		List<SecurityGroup> securityGroups = new ArrayList<>();
		List<NetworkAcl> networkAcls = new ArrayList<>();
		checkSubnets(policy, aws, findings);
		for (String group : policy.groups()) {
			List<Cell> ingress = allowed(policy, group, Direction.INGRESS, resolver);
			List<Cell> egress = allowed(policy, group, Direction.EGRESS, resolver);
			SecurityGroup sg = new SecurityGroup(group, securityGroupName(policy, aws, group),
					"Polyfence policy " + policy.name() + ", group " + group, aws == null ? null : aws.vpcId(),
					permissions(policy, aws, group, Direction.INGRESS, resolver, ingress, findings),
					permissions(policy, aws, group, Direction.EGRESS, resolver, egress, findings));
			checkSecurityGroup(sg, aws, findings);
			securityGroups.add(sg);
			List<String> subnets = aws == null ? List.of()
					: aws.group(group).map(Bindings.AwsGroup::subnetIds).orElse(List.of());
			if (!subnets.isEmpty()) {
				networkAcls.add(networkAcl(policy, aws, group, subnets, resolver, findings));
			}
		}
		for (Rule rule : policy.rules()) {
			if (rule.log()) {
				findings.add(Finding.of(FindingCode.LOG_UNSUPPORTED, AWS, rule.name(),
						"AWS has no per-rule logging for security groups or network ACLs; use VPC Flow Logs"));
			}
		}
		return new Translation<>(new AwsOutput(securityGroups, networkAcls), findings);
	}

	private static List<Cell> allowed(Policy policy, String group, Direction direction, PeerResolver resolver) {
		List<Flattener.Matcher> matchers = policy.rulesFor(group, direction)
			.stream()
			.map(r -> new Flattener.Matcher(resolver.resolve(r), ServiceSpace.of(r.services()), r.action()))
			.toList();
		return Flattener.allowed(matchers, policy.defaults().of(direction), resolver.universe());
	}

	private static List<IpPermission> permissions(Policy policy, Bindings.Aws aws, String group, Direction direction,
			PeerResolver resolver, List<Cell> cells, List<Finding> findings) {
		SecurityGroupRules rules = rules(policy, aws, group, direction, resolver);
		List<IpPermission> permissions = rules.permissions(cells);
		if (rules.narrowed()) {
			String rule = policy.rulesFor(group, direction)
				.stream()
				.filter(r -> r.action() == dev.polyfence.policy.Action.ALLOW)
				.filter(r -> ServiceSpace.of(r.services())
					.intersects(ServiceSpace.protocol(0).union(ServiceSpace.protocol(255))))
				.map(Rule::name)
				.findFirst()
				.orElse(policy.rulesFor(group, direction).get(0).name());
			findings.add(Finding.of(FindingCode.APPROXIMATED, AWS, rule, "security group of group " + group + ", "
					+ direction.wire()
					+ ": some peers are allowed every protocol except part of TCP, UDP or ICMP, which "
					+ "would take one rule per protocol; protocols other than TCP, UDP, ICMP and ICMPv6 are not allowed "
					+ "to them (errs closed)" + (policy.defaults().of(direction) == dev.polyfence.policy.Action.ALLOW
							? " — this includes the allow-by-default of " + direction.wire() : "")));
		}
		return permissions;
	}

	private static SecurityGroupRules rules(Policy policy, Bindings.Aws aws, String group, Direction direction,
			PeerResolver resolver) {
		Map<String, AddressSet> referable = new TreeMap<>();
		for (Rule rule : policy.rulesFor(group, direction)) {
			if (rule.action() != dev.polyfence.policy.Action.ALLOW) {
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

	static String securityGroupName(Policy policy, Bindings.Aws aws, String group) {
		return aws == null ? policy.name() + "-" + group
				: aws.group(group)
					.map(Bindings.AwsGroup::securityGroupName)
					.filter(n -> n != null && !n.isBlank())
					.orElse(policy.name() + "-" + group);
	}

	private static void checkSecurityGroup(SecurityGroup sg, Bindings.Aws aws, List<Finding> findings) {
		if (sg.groupName().length() > AwsLimits.SG_NAME_MAX || sg.groupName().startsWith("sg-")) {
			findings.add(Finding.of(FindingCode.NAME_INVALID, AWS, null, "security group name '" + sg.groupName()
					+ "' of group " + sg.group() + " must be at most 255 characters and must not start with 'sg-'"));
		}
		int quota = aws == null || aws.securityGroupRuleQuota() == null ? AwsLimits.SG_RULES_PER_DIRECTION
				: aws.securityGroupRuleQuota();
		checkQuota(sg, "inbound", sg.ipPermissions(), quota, findings);
		checkQuota(sg, "outbound", sg.ipPermissionsEgress(), quota, findings);
	}

	private static void checkQuota(SecurityGroup sg, String direction, List<IpPermission> permissions, int quota,
			List<Finding> findings) {
		int v4 = 0;
		int v6 = 0;
		for (IpPermission p : permissions) {
			v4 += p.ipRanges().size() + p.userIdGroupPairs().size();
			v6 += p.ipv6Ranges().size() + p.userIdGroupPairs().size();
		}
		for (int[] family : new int[][] { { 4, v4 }, { 6, v6 } }) {
			if (family[1] > quota) {
				findings.add(Finding.of(FindingCode.AWS_SG_RULE_QUOTA, AWS, null,
						"security group " + sg.groupName() + " (group " + sg.group() + ") needs " + family[1] + " "
								+ direction + " IPv" + family[0] + " rules; the quota is " + quota
								+ " (adjustable; rules per group times groups per interface may not exceed 1000)"));
			}
		}
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

	private static NetworkAcl networkAcl(Policy policy, Bindings.Aws aws, String group, List<String> subnets,
			PeerResolver resolver, List<Finding> findings) {
		PortRange ephemeral = aws.ephemeralPorts();
		NetworkAclEntries inbound = new NetworkAclEntries(false);
		NetworkAclEntries outbound = new NetworkAclEntries(true);
		addReplies(inbound, policy, group, Direction.EGRESS, resolver, ephemeral);
		addReplies(outbound, policy, group, Direction.INGRESS, resolver, ephemeral);
		for (Direction direction : Direction.values()) {
			NetworkAclEntries entries = direction == Direction.INGRESS ? inbound : outbound;
			for (Rule rule : policy.rulesFor(group, direction)) {
				entries.addRule(rule.action(), addresses(rule, resolver, group, findings), rule.services());
			}
			entries.addDefault(policy.defaults().of(direction));
			entries.compact();
		}
		int quota = aws.networkAclEntryQuota() == null ? AwsLimits.NACL_ENTRIES_PER_DIRECTION
				: aws.networkAclEntryQuota();
		List<NetworkAclEntry> all = new ArrayList<>();
		for (NetworkAclEntries entries : List.of(inbound, outbound)) {
			String direction = entries == inbound ? "inbound" : "outbound";
			for (boolean v6 : new boolean[] { false, true }) {
				long used = entries.count(v6) + 1;
				if (used > quota) {
					findings.add(Finding.of(FindingCode.AWS_NACL_ENTRY_QUOTA, AWS, null,
							"the network ACL of group " + group + " needs " + used + " " + direction + " IPv"
									+ (v6 ? 6 : 4) + " entries with the fixed * entry; the quota is " + quota
									+ " (adjustable up to " + AwsLimits.NACL_ENTRIES_MAX + ")"));
				}
			}
			int step = Numbering.step(entries.size(), AwsLimits.NACL_RULE_NUMBER_FIRST, AwsLimits.NACL_RULE_NUMBER_MAX,
					AwsLimits.NACL_RULE_NUMBER_STEP);
			int first = AwsLimits.NACL_RULE_NUMBER_FIRST;
			if (step == 0) {
				step = Numbering.step(entries.size(), AwsLimits.NACL_RULE_NUMBER_MIN, AwsLimits.NACL_RULE_NUMBER_MAX,
						1);
				first = AwsLimits.NACL_RULE_NUMBER_MIN;
			}
			if (step == 0) {
				findings.add(Finding.of(FindingCode.AWS_NACL_RULE_NUMBERS, AWS, null,
						"the network ACL of group " + group + " needs " + entries.size() + " " + direction
								+ " entries; only " + AwsLimits.NACL_RULE_NUMBER_MAX + " rule numbers exist"));
				step = 1;
			}
			all.addAll(entries.numbered(first, step));
		}
		return new NetworkAcl(group, aws.vpcId(), subnets, all);
	}

	/**
	 * Return entries in {@code entries} for what the rules of {@code direction} may
	 * allow.
	 */
	private static void addReplies(NetworkAclEntries entries, Policy policy, String group, Direction direction,
			PeerResolver resolver, PortRange ephemeral) {
		List<AddressSet> peers = new ArrayList<>();
		List<dev.polyfence.translate.IntervalSet> services = new ArrayList<>();
		for (Rule rule : policy.rulesFor(group, direction)) {
			if (rule.action() == dev.polyfence.policy.Action.ALLOW) {
				peers.add(resolver.resolve(rule).addresses());
				services.add(ServiceSpace.of(rule.services()));
			}
		}
		if (policy.defaults().of(direction) == dev.polyfence.policy.Action.ALLOW) {
			peers.add(AddressSet.ALL);
			services.add(ServiceSpace.ALL);
		}
		entries.addReplies(peers, services, ephemeral);
	}

	/**
	 * A rule's peers at address granularity; a group without bound addresses cannot be
	 * named in an ACL.
	 */
	private static AddressSet addresses(Rule rule, PeerResolver resolver, String group, List<Finding> findings) {
		AddressSet set = AddressSet.EMPTY;
		for (Peer peer : rule.peers()) {
			if (peer instanceof Peer.Group g && !resolver.isBound(g.name())) {
				findings.add(Finding.of(FindingCode.GROUP_UNRESOLVED, AWS, rule.name(),
						"the network ACL of group " + group + " cannot name group " + g.name()
								+ ": bind its cidrs under aws.groups." + g.name()
								+ "; this peer is left out of the ACL, so "
								+ (rule.action() == dev.polyfence.policy.Action.ALLOW
										? "its traffic is blocked there (errs closed)"
										: "the deny is enforced by the security group only")));
				continue;
			}
			set = set.union(resolver.resolve(peer).addresses());
		}
		return set;
	}

}
