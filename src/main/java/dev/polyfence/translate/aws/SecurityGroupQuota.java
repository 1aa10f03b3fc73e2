package dev.polyfence.translate.aws;

import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.Target;
import inet.ipaddr.IPAddressString;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Checks a security group against the rules-per-direction quota, per address family, and
 * says which policy rules cost the most when it is exceeded or nearly so.
 */
final class SecurityGroupQuota {

	/** A side past this share of its quota gets a warning. */
	static final double WARNING_SHARE = 0.8;

	private static final int RULES_NAMED = 3;

	private static final String DEFAULT = "the default allow";

	/** Entries looked at to find the costliest rules: enough to rank them. */
	private static final int ENTRIES_SAMPLED = 200;

	private SecurityGroupQuota() {
	}

	/** {@code [ipv4, ipv6]} rules as the quota counts them. */
	static long[] count(List<IpPermission> permissions) {
		long v4 = 0;
		long v6 = 0;
		for (IpPermission p : permissions) {
			v4 += p.ipRanges().size() + p.userIdGroupPairs().size();
			v6 += p.ipv6Ranges().size() + p.userIdGroupPairs().size();
		}
		return new long[] { v4, v6 };
	}

	static void check(SecurityGroup sg, List<SideRule> ingress, List<SideRule> egress, int quota,
			List<Finding> findings) {
		check(sg, "inbound", sg.ipPermissions(), ingress, quota, findings);
		check(sg, "outbound", sg.ipPermissionsEgress(), egress, quota, findings);
	}

	private static void check(SecurityGroup sg, String direction, List<IpPermission> permissions, List<SideRule> rules,
			int quota, List<Finding> findings) {
		long[] count = count(permissions);
		for (int family = 0; family < 2; family++) {
			long used = count[family];
			boolean over = used > quota;
			if (!over && used <= quota * WARNING_SHARE) {
				continue;
			}
			String costly = costliest(permissions, rules, family == 0);
			String what = "security group " + sg.groupName() + " (group " + sg.group() + ") needs " + used + " "
					+ direction + " IPv" + (family == 0 ? 4 : 6) + " rules; the quota is " + quota;
			if (over) {
				findings.add(Finding.of(FindingCode.AWS_SG_RULE_QUOTA, Target.AWS, null, what
						+ " (adjustable; rules per group times groups per interface may not exceed 1000)" + costly));
			}
			else {
				findings.add(Finding.of(FindingCode.AWS_SG_RULE_QUOTA_NEAR, Target.AWS, null,
						what + ", more than " + Math.round(WARNING_SHARE * 100) + "% of it" + costly));
			}
		}
	}

	/**
	 * Reports a side that certainly needs more rules than can ever be applied, and whose
	 * permissions were therefore left out (see {@link SecurityGroupRules#ENTRIES_MAX}).
	 */
	static void reportTooMany(String securityGroup, String group, dev.polyfence.policy.Direction direction, long needed,
			List<SideRule> rules, List<Finding> findings) {
		Map<String, Integer> cuts = new LinkedHashMap<>();
		for (int i = 0; i < rules.size(); i++) {
			SideRule allow = rules.get(i);
			if (!allow.isAllow()) {
				continue;
			}
			int denies = 0;
			for (SideRule deny : rules.subList(0, i)) {
				if (!deny.isAllow() && deny.services().intersects(allow.services())
						&& deny.peers().addresses().intersects(allow.peers().addresses())) {
					denies++;
				}
			}
			if (denies > 0) {
				cuts.merge(allow.rule(), denies, Integer::sum);
			}
		}
		String costly = cuts.isEmpty() ? ""
				: "; the allow rules most cut into by earlier denies: " + cuts.entrySet()
					.stream()
					.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
					.limit(RULES_NAMED)
					.map(e -> e.getKey() + " (after " + e.getValue() + " denies that the network ACL could not carry)")
					.collect(Collectors.joining(", "));
		findings.add(Finding.of(FindingCode.AWS_SG_RULE_QUOTA, Target.AWS, null,
				"security group " + securityGroup + " (group " + group + ") needs at least " + needed + " "
						+ (direction == dev.polyfence.policy.Direction.INGRESS ? "inbound" : "outbound")
						+ " rules in one address family, more than the " + SecurityGroupRules.ENTRIES_MAX
						+ " that rules per group times groups per interface allow: translation stopped there and "
						+ "this side's permissions are left out (errs closed)" + costly));
	}

	/**
	 * The rules behind most entries of one family: each CIDR entry counts for the first
	 * allow rule that reaches it, and for every deny before that rule that cuts into it.
	 */
	private static String costliest(List<IpPermission> permissions, List<SideRule> rules, boolean ipv4) {
		Map<String, Integer> cost = new LinkedHashMap<>();
		Map<Integer, List<SideRule>> cutting = new java.util.HashMap<>();
		int sampled = 0;
		for (IpPermission p : permissions) {
			IntervalSet services = services(p);
			List<String> cidrs = ipv4 ? p.ipRanges().stream().map(IpPermission.IpRange::cidrIp).toList()
					: p.ipv6Ranges().stream().map(IpPermission.Ipv6Range::cidrIpv6).toList();
			for (String cidr : cidrs) {
				if (sampled++ >= ENTRIES_SAMPLED) {
					break;
				}
				AddressSet block = AddressSet.of(new IPAddressString(cidr).getAddress());
				for (int i = 0; i < rules.size(); i++) {
					SideRule allow = rules.get(i);
					if (!allow.isAllow() || !allow.services().intersects(services)
							|| !allow.peers().addresses().intersects(block)) {
						continue;
					}
					cost.merge(allow.rule(), 1, Integer::sum);
					for (SideRule deny : cutting.computeIfAbsent(i, k -> cuttingInto(rules, k))) {
						if (deny.services().intersects(services)) {
							cost.merge(deny.rule(), 1, Integer::sum);
						}
					}
					break;
				}
				if (!reached(rules, services, block)) {
					cost.merge(DEFAULT, 1, Integer::sum);
					for (SideRule deny : rules) {
						if (!deny.isAllow() && deny.services().intersects(services)) {
							cost.merge(deny.rule(), 1, Integer::sum);
						}
					}
				}
			}
		}
		if (cost.isEmpty()) {
			return "";
		}
		return "; the rules that cost most: " + cost.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.limit(RULES_NAMED)
			.map(e -> e.getKey() + " (" + e.getValue() + ")")
			.collect(Collectors.joining(", "));
	}

	/** The deny rules before rule {@code index} whose peers meet its peers. */
	private static List<SideRule> cuttingInto(List<SideRule> rules, int index) {
		SideRule allow = rules.get(index);
		return rules.subList(0, index)
			.stream()
			.filter(d -> !d.isAllow() && d.peers().addresses().intersects(allow.peers().addresses()))
			.toList();
	}

	private static boolean reached(List<SideRule> rules, IntervalSet services, AddressSet block) {
		return rules.stream()
			.anyMatch(r -> r.isAllow() && r.services().intersects(services) && r.peers().addresses().intersects(block));
	}

	/** The services of one permission, on the line of {@link ServiceSpace}. */
	private static IntervalSet services(IpPermission p) {
		int protocol = switch (p.ipProtocol()) {
			case "-1" -> -1;
			case "tcp" -> 6;
			case "udp" -> 17;
			case "icmp" -> 1;
			case "icmpv6" -> 58;
			default -> Integer.parseInt(p.ipProtocol());
		};
		if (protocol == -1) {
			return ServiceSpace.ALL;
		}
		int base = protocol * ServiceSpace.BLOCK;
		if ((protocol == 6 || protocol == 17) && p.fromPort() != null) {
			return IntervalSet.of(base + p.fromPort(), base + p.toPort());
		}
		if ((protocol == 1 || protocol == 58) && p.fromPort() != null && p.fromPort() >= 0) {
			int type = base + p.fromPort() * 256;
			return p.toPort() < 0 ? IntervalSet.of(type, type + 255)
					: IntervalSet.of(type + p.toPort(), type + p.toPort());
		}
		return ServiceSpace.protocol(protocol);
	}

}
