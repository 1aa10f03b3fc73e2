package dev.polyfence.verify;

import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * EC2 permissions and network ACL entries parsed for {@link AwsEvaluator}, failing loudly
 * where their meaning is undefined (unknown protocols, missing ports, two entries with
 * one number).
 */
final class AwsRules {

	static final int ALL = -1;

	private AwsRules() {
	}

	static List<Permission> permissions(List<IpPermission> list, String where) {
		List<Permission> result = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			result.add(permission(list.get(i), where + "[" + i + "]"));
		}
		return result;
	}

	private static Permission permission(IpPermission p, String where) {
		int protocol = ipProtocol(p.ipProtocol(), where);
		int from = ALL;
		int to = ALL;
		if (protocol == Flow.TCP || protocol == Flow.UDP) {
			require(p.fromPort() != null && p.toPort() != null, where + ": tcp/udp needs FromPort and ToPort");
			require(0 <= p.fromPort() && p.fromPort() <= p.toPort() && p.toPort() <= 65535,
					where + ": ports " + p.fromPort() + "-" + p.toPort() + " are not a range in 0-65535");
			from = p.fromPort();
			to = p.toPort();
		}
		else if (protocol == Flow.ICMP || protocol == Flow.ICMPV6) {
			boolean omitted = p.fromPort() == null && p.toPort() == null;
			require(!omitted || protocol == Flow.ICMPV6, where + ": icmp needs FromPort (type) and ToPort (code)");
			if (!omitted) {
				require(p.fromPort() != null && p.toPort() != null, where + ": give both FromPort and ToPort");
				require(-1 <= p.fromPort() && p.fromPort() <= 255 && -1 <= p.toPort() && p.toPort() <= 255,
						where + ": icmp type/code out of range");
				require(p.fromPort() != ALL || p.toPort() == ALL, where + ": icmp type -1 needs code -1");
				from = p.fromPort();
				to = p.toPort();
			}
		}
		List<IPAddress> ranges = new ArrayList<>();
		for (IpPermission.IpRange range : p.ipRanges()) {
			IPAddress block = Addresses.block(range.cidrIp(), where + " IpRanges");
			require(block.isIPv4(), where + ": IpRanges holds IPv6 " + range.cidrIp());
			ranges.add(block);
		}
		for (IpPermission.Ipv6Range range : p.ipv6Ranges()) {
			IPAddress block = Addresses.block(range.cidrIpv6(), where + " Ipv6Ranges");
			require(block.isIPv6(), where + ": Ipv6Ranges holds IPv4 " + range.cidrIpv6());
			ranges.add(block);
		}
		for (IpPermission.UserIdGroupPair pair : p.userIdGroupPairs()) {
			require(pair.groupId() != null || pair.groupName() != null, where + ": group pair names no group");
		}
		require(!ranges.isEmpty() || !p.userIdGroupPairs().isEmpty(), where + ": permission has no peer");
		String label = where.substring(where.lastIndexOf(' ') + 1) + " " + p.ipProtocol()
				+ (from == ALL && to == ALL ? "" : " " + from + ".." + to) + " " + peersText(p);
		return new Permission(label, protocol, from, to, List.copyOf(ranges), p.userIdGroupPairs());
	}

	private static String peersText(IpPermission p) {
		List<String> peers = new ArrayList<>();
		p.ipRanges().forEach(r -> peers.add(r.cidrIp()));
		p.ipv6Ranges().forEach(r -> peers.add(r.cidrIpv6()));
		p.userIdGroupPairs().forEach(g -> peers.add("sg:" + (g.groupName() != null ? g.groupName() : g.groupId())));
		return String.join(",", peers);
	}

	/** EC2 IpProtocol: "-1", a name, or a number. */
	private static int ipProtocol(String text, String where) {
		require(text != null, where + ": IpProtocol is missing");
		return switch (text) {
			case "-1" -> ALL;
			case "tcp" -> Flow.TCP;
			case "udp" -> Flow.UDP;
			case "icmp" -> Flow.ICMP;
			case "icmpv6" -> Flow.ICMPV6;
			default -> protocolNumber(text, where + " IpProtocol");
		};
	}

	static int protocolNumber(String text, String where) {
		require(text != null && !text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Character::isDigit),
				where + ": \"" + text + "\" is not a protocol number");
		int number = Integer.parseInt(text);
		require(number <= 255, where + ": protocol " + number + " is not within 0-255");
		return number;
	}

	static List<AclEntry> entries(NetworkAcl acl) {
		List<AclEntry> entries = new ArrayList<>();
		Set<String> numbers = new HashSet<>();
		for (NetworkAclEntry e : acl.entries()) {
			String where = "network ACL of " + acl.group() + " entry #" + e.ruleNumber()
					+ (e.egress() ? " (egress)" : " (ingress)");
			require(numbers.add(e.egress() + "/" + e.ruleNumber()), where + ": rule number used twice");
			// Numbers beyond 32766 still order the entries; the translator reports them
			// (AWS_NACL_RULE_NUMBERS).
			require(e.ruleNumber() >= 1, where + ": rule number below 1");
			require("allow".equals(e.ruleAction()) || "deny".equals(e.ruleAction()),
					where + ": RuleAction \"" + e.ruleAction() + "\"");
			require((e.cidrBlock() == null) != (e.ipv6CidrBlock() == null),
					where + ": give exactly one of CidrBlock and Ipv6CidrBlock");
			IPAddress block;
			if (e.cidrBlock() != null) {
				block = Addresses.block(e.cidrBlock(), where + " CidrBlock");
				require(block.isIPv4(), where + ": CidrBlock holds IPv6 " + e.cidrBlock());
			}
			else {
				block = Addresses.block(e.ipv6CidrBlock(), where + " Ipv6CidrBlock");
				require(block.isIPv6(), where + ": Ipv6CidrBlock holds IPv4 " + e.ipv6CidrBlock());
			}
			int protocol = "-1".equals(e.protocol()) ? ALL : protocolNumber(e.protocol(), where + " Protocol");
			int portFrom = ALL;
			int portTo = ALL;
			if (protocol == Flow.TCP || protocol == Flow.UDP) {
				require(e.portRange() != null, where + ": protocol " + protocol + " needs PortRange");
				require(0 <= e.portRange().from() && e.portRange().from() <= e.portRange().to()
						&& e.portRange().to() <= 65535, where + ": PortRange is not a range in 0-65535");
				portFrom = e.portRange().from();
				portTo = e.portRange().to();
			}
			boolean typed = protocol == Flow.ICMP || (protocol == Flow.ICMPV6 && block.isIPv6());
			int type = ALL;
			int code = ALL;
			if (typed) {
				require(e.icmpTypeCode() != null, where + ": protocol " + protocol + " needs IcmpTypeCode");
				type = e.icmpTypeCode().type();
				code = e.icmpTypeCode().code();
				require(-1 <= type && type <= 255 && -1 <= code && code <= 255,
						where + ": icmp type/code out of range");
			}
			entries.add(new AclEntry(e.ruleNumber(), e.egress(), "allow".equals(e.ruleAction()), protocol, block,
					portFrom, portTo, typed, type, code));
		}
		entries.sort(Comparator.comparingInt(AclEntry::number));
		return entries;
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	/**
	 * A parsed permission; {@code from}/{@code to} are ports for tcp/udp, type/code for
	 * icmp, -1 for all.
	 */
	record Permission(String label, int protocol, int from, int to, List<IPAddress> ranges,
			List<IpPermission.UserIdGroupPair> pairs) {
	}

	record AclEntry(int number, boolean egress, boolean allow, int protocol, IPAddress block, int portFrom, int portTo,
			boolean hasIcmpTypeCode, int icmpType, int icmpCode) {
	}

}
