package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.IpPermission;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One security-group rule in canonical form, for comparing what a group has with what it
 * should have: protocol by name for tcp/udp/icmp/icmpv6 and by number otherwise, ports
 * only where they mean something, CIDRs canonical, referenced groups by name.
 */
record SgRuleKey(boolean egress, String protocol, Integer fromPort, Integer toPort, String cidrIpv4, String cidrIpv6,
		String groupName) implements Comparable<SgRuleKey> {

	private static final Comparator<SgRuleKey> ORDER = Comparator.comparing(SgRuleKey::egress)
		.thenComparing(SgRuleKey::protocol)
		.thenComparing(SgRuleKey::fromPort, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(SgRuleKey::toPort, Comparator.nullsFirst(Comparator.naturalOrder()))
		.thenComparing(k -> k.cidrIpv4() + "|" + k.cidrIpv6() + "|" + k.groupName());

	static List<SgRuleKey> of(IpPermission p, boolean egress) {
		String protocol = protocol(p.ipProtocol());
		boolean ports = hasPorts(protocol);
		Integer from = ports ? p.fromPort() : null;
		Integer to = ports ? p.toPort() : null;
		List<SgRuleKey> keys = new ArrayList<>();
		p.ipRanges().forEach(r -> keys.add(new SgRuleKey(egress, protocol, from, to, cidr(r.cidrIp()), null, null)));
		p.ipv6Ranges()
			.forEach(r -> keys.add(new SgRuleKey(egress, protocol, from, to, null, cidr(r.cidrIpv6()), null)));
		p.userIdGroupPairs()
			.forEach(g -> keys.add(new SgRuleKey(egress, protocol, from, to, null, null, g.groupName())));
		return keys;
	}

	/**
	 * A live rule; a referenced group outside the VPC's known groups keeps its id, marked
	 * so.
	 */
	static SgRuleKey of(AwsLiveState.LiveRule r, Map<String, String> groupNamesById) {
		String protocol = protocol(r.ipProtocol());
		boolean ports = hasPorts(protocol);
		String group = r.referencedGroupId() == null ? null
				: groupNamesById.getOrDefault(r.referencedGroupId(), "id:" + r.referencedGroupId());
		String prefixList = r.prefixListId() == null ? null : "prefix-list:" + r.prefixListId();
		return new SgRuleKey(r.egress(), protocol, ports ? r.fromPort() : null, ports ? r.toPort() : null,
				r.cidrIpv4() == null ? null : cidr(r.cidrIpv4()), r.cidrIpv6() == null ? null : cidr(r.cidrIpv6()),
				group != null ? group : prefixList);
	}

	/** Back to one IpPermission with a single peer (the authorize call regroups them). */
	IpPermission toPermission() {
		return new IpPermission(protocol, fromPort, toPort,
				cidrIpv4 == null ? List.of() : List.of(new IpPermission.IpRange(cidrIpv4)),
				cidrIpv6 == null ? List.of() : List.of(new IpPermission.Ipv6Range(cidrIpv6)),
				groupName == null ? List.of() : List.of(new IpPermission.UserIdGroupPair(null, groupName)));
	}

	String describe() {
		String ports = fromPort == null ? ""
				: "icmp".equals(protocol) || "icmpv6".equals(protocol) ? " type " + fromPort + " code " + toPort
						: " " + (fromPort.equals(toPort) ? fromPort : fromPort + "-" + toPort);
		String peer = cidrIpv4 != null ? cidrIpv4 : cidrIpv6 != null ? cidrIpv6 : groupName;
		return (egress ? "egress " : "ingress ") + ("-1".equals(protocol) ? "all" : protocol) + ports
				+ (egress ? " to " : " from ") + peer;
	}

	static String protocol(String ipProtocol) {
		return switch (ipProtocol.toLowerCase(java.util.Locale.ROOT)) {
			case "6", "tcp" -> "tcp";
			case "17", "udp" -> "udp";
			case "1", "icmp" -> "icmp";
			case "58", "icmpv6" -> "icmpv6";
			default -> ipProtocol;
		};
	}

	private static boolean hasPorts(String protocol) {
		return switch (protocol) {
			case "tcp", "udp", "icmp", "icmpv6" -> true;
			default -> false;
		};
	}

	static String cidr(String text) {
		return new IPAddressString(text).getAddress().toPrefixBlock().toCanonicalString();
	}

	@Override
	public int compareTo(SgRuleKey other) {
		return ORDER.compare(this, other);
	}
}
