package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import dev.polyfence.translate.aws.SecurityGroup;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * AWS's own evaluation of security groups and network ACLs. A request needs the source security
 * group's egress, the source ACL's outbound entries, the destination ACL's inbound entries and the
 * destination security group's ingress, for each end that is a workload. Security groups are
 * stateful; the ACLs are not, so for an allowed request the replies are checked against both ACLs,
 * on the low end, the middle and the high end of the ephemeral range for TCP and UDP.
 */
public final class AwsEvaluator implements CloudEvaluator {

	private static final int ALL = -1;

	private final Map<String, Sg> securityGroups = new HashMap<>();

	private final Map<String, Acl> acls = new HashMap<>();

	private final Map<String, String> groupIds;

	private final PortRange ephemeral;

	public AwsEvaluator(Policy policy, Bindings bindings, AwsOutput output) {
		this(policy, bindings, output, Map.of());
	}

	/**
	 * @param groupIdsByName security group ids by {@code GroupName}, for references by {@code GroupId}
	 * (live state); a translation references by name and needs none
	 */
	public AwsEvaluator(Policy policy, Bindings bindings, AwsOutput output, Map<String, String> groupIdsByName) {
		Objects.requireNonNull(policy, "policy");
		this.groupIds = Map.copyOf(groupIdsByName);
		this.ephemeral = bindings == null || bindings.aws() == null ? Bindings.Aws.DEFAULT_EPHEMERAL_PORTS
				: bindings.aws().ephemeralPorts();
		for (SecurityGroup sg : output.securityGroups()) {
			String where = "security group " + sg.groupName();
			require(sg.group() != null, where + " serves no group");
			require(policy.groups().contains(sg.group()), where + " serves " + sg.group() + ", not a policy group");
			require(!securityGroups.containsKey(sg.group()), "group " + sg.group() + " has two security groups");
			securityGroups.put(sg.group(), new Sg(sg, permissions(sg.ipPermissions(), where + " IpPermissions"),
					permissions(sg.ipPermissionsEgress(), where + " IpPermissionsEgress")));
		}
		for (String group : policy.groups()) {
			require(securityGroups.containsKey(group), "group " + group + " has no security group");
		}
		for (NetworkAcl acl : output.networkAcls()) {
			require(acl.group() != null, "a network ACL serves no group");
			require(policy.groups().contains(acl.group()), "a network ACL serves " + acl.group() + ", not a policy group");
			require(!acls.containsKey(acl.group()), "group " + acl.group() + " has two network ACLs");
			acls.put(acl.group(), new Acl(acl.group(), entries(acl)));
		}
	}

	@Override
	public Target target() {
		return Target.AWS;
	}

	@Override
	public CloudVerdict evaluate(Flow flow) {
		Endpoint.Workload source = flow.source() instanceof Endpoint.Workload w ? w : null;
		Endpoint.Workload destination = flow.destination() instanceof Endpoint.Workload w ? w : null;
		if (source == null && destination == null) {
			throw new IllegalArgumentException("no cloud object judges a flow between two outside addresses: " + flow);
		}
		List<String> why = new ArrayList<>();
		boolean allowed = true;
		if (source != null) {
			allowed &= securityGroupStep(source.group(), true, flow.destination(), flow, why);
			allowed &= aclStep(acl(source), true, flow, why, "");
		}
		if (destination != null) {
			allowed &= aclStep(acl(destination), false, flow, why, "");
			allowed &= securityGroupStep(destination.group(), false, flow.source(), flow, why);
		}
		boolean repliesPass = true;
		if (allowed) {
			for (Flow reply : replies(flow)) {
				List<String> replyWhy = new ArrayList<>();
				boolean passes = true;
				if (destination != null) {
					passes &= aclStep(acl(destination), true, reply, replyWhy, "reply ");
				}
				if (source != null) {
					passes &= aclStep(acl(source), false, reply, replyWhy, "reply ");
				}
				if (!passes) {
					repliesPass = false;
					why.add("REPLY BLOCKED (" + reply + "): " + String.join(", ", replyWhy));
					break;
				}
			}
			if (repliesPass) {
				why.add("replies pass the ACLs");
			}
		}
		return new CloudVerdict(allowed, repliesPass, String.join("; ", why));
	}

	/** The reply packets of a request: swapped ends, to the client's ephemeral ports or the ICMP answer. */
	private List<Flow> replies(Flow flow) {
		if (flow.hasPort()) {
			Set<Integer> ports = new LinkedHashSet<>(
					List.of(ephemeral.from(), (ephemeral.from() + ephemeral.to()) / 2, ephemeral.to()));
			List<Flow> replies = new ArrayList<>();
			for (int port : ports) {
				replies.add(flow.reply(port, Flow.NONE, Flow.NONE));
			}
			return replies;
		}
		if (flow.isIcmp()) {
			boolean echo = flow.protocol() == Flow.ICMP ? flow.icmpType() == 8 : flow.icmpType() == 128;
			if (echo) {
				return List.of(flow.reply(Flow.NONE, flow.protocol() == Flow.ICMP ? 0 : 129, 0));
			}
			return List.of(flow.reply(Flow.NONE, flow.icmpType(), flow.icmpCode()));
		}
		return List.of(flow.reply(Flow.NONE, Flow.NONE, Flow.NONE));
	}

	private Acl acl(Endpoint.Workload workload) {
		return acls.get(workload.group());
	}

	private boolean securityGroupStep(String group, boolean egress, Endpoint peer, Flow flow, List<String> why) {
		Sg sg = securityGroups.get(group);
		if (sg == null) {
			throw new IllegalArgumentException("workload group " + group + " has no security group");
		}
		List<Permission> permissions = egress ? sg.egress() : sg.ingress();
		String head = "SG " + sg.source().groupName() + (egress ? " egress" : " ingress");
		for (Permission permission : permissions) {
			if (trafficMatches(permission, flow) && peerMatches(permission, peer)) {
				why.add(head + ": allowed by " + permission.label());
				return true;
			}
		}
		why.add(head + ": DENIED, no permission matches");
		return false;
	}

	private static boolean trafficMatches(Permission permission, Flow flow) {
		if (permission.protocol() == ALL) {
			return true;
		}
		if (permission.protocol() != flow.protocol()) {
			return false;
		}
		if (flow.hasPort()) {
			return permission.from() <= flow.port() && flow.port() <= permission.to();
		}
		if (flow.isIcmp()) {
			return (permission.from() == ALL || permission.from() == flow.icmpType())
					&& (permission.to() == ALL || permission.to() == flow.icmpCode());
		}
		return true;
	}

	private boolean peerMatches(Permission permission, Endpoint peer) {
		if (Addresses.anyContains(permission.ranges(), peer.address())) {
			return true;
		}
		if (!(peer instanceof Endpoint.Workload w)) {
			return false;
		}
		Sg peerSg = securityGroups.get(w.group());
		if (peerSg == null) {
			return false;
		}
		String name = peerSg.source().groupName();
		for (IpPermission.UserIdGroupPair pair : permission.pairs()) {
			if (pair.groupName() != null && pair.groupName().equals(name)) {
				return true;
			}
			if (pair.groupId() != null && pair.groupId().equals(groupIds.get(name))) {
				return true;
			}
		}
		return false;
	}

	private static boolean aclStep(Acl acl, boolean egress, Flow packet, List<String> why, String prefix) {
		if (acl == null) {
			return true;
		}
		String head = prefix + "NACL " + acl.group() + (egress ? " out" : " in");
		IPAddress peer = egress ? packet.destination().address() : packet.source().address();
		for (AclEntry entry : egress ? acl.outbound() : acl.inbound()) {
			if (Addresses.contains(entry.block(), peer) && entryTrafficMatches(entry, packet)) {
				why.add(head + ": #" + entry.number() + " " + (entry.allow() ? "allow" : "DENY"));
				return entry.allow();
			}
		}
		why.add(head + ": DENIED, no entry matches");
		return false;
	}

	private static boolean entryTrafficMatches(AclEntry entry, Flow packet) {
		if (entry.protocol() == ALL) {
			return true;
		}
		if (entry.protocol() != packet.protocol()) {
			return false;
		}
		if (packet.hasPort()) {
			return entry.portFrom() <= packet.port() && packet.port() <= entry.portTo();
		}
		if (entry.hasIcmpTypeCode()) {
			return (entry.icmpType() == ALL || entry.icmpType() == packet.icmpType())
					&& (entry.icmpCode() == ALL || entry.icmpCode() == packet.icmpCode());
		}
		return true;
	}

	// ---- parsing the output records, failing loudly where EC2 would refuse them ----

	private static List<Permission> permissions(List<IpPermission> list, String where) {
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
		switch (text) {
			case "-1":
				return ALL;
			case "tcp":
				return Flow.TCP;
			case "udp":
				return Flow.UDP;
			case "icmp":
				return Flow.ICMP;
			case "icmpv6":
				return Flow.ICMPV6;
			default:
				return protocolNumber(text, where + " IpProtocol");
		}
	}

	private static int protocolNumber(String text, String where) {
		require(text != null && !text.isEmpty() && text.length() <= 3 && text.chars().allMatch(Character::isDigit),
				where + ": \"" + text + "\" is not a protocol number");
		int number = Integer.parseInt(text);
		require(number <= 255, where + ": protocol " + number + " is not within 0-255");
		return number;
	}

	private static List<AclEntry> entries(NetworkAcl acl) {
		List<AclEntry> entries = new ArrayList<>();
		Set<String> numbers = new HashSet<>();
		for (NetworkAclEntry e : acl.entries()) {
			String where = "network ACL of " + acl.group() + " entry #" + e.ruleNumber()
					+ (e.egress() ? " (egress)" : " (ingress)");
			require(numbers.add(e.egress() + "/" + e.ruleNumber()), where + ": rule number used twice");
			// Numbers beyond 32766 still order the entries; the translator reports them (AWS_NACL_RULE_NUMBERS).
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
				require(-1 <= type && type <= 255 && -1 <= code && code <= 255, where + ": icmp type/code out of range");
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

	private record Sg(SecurityGroup source, List<Permission> ingress, List<Permission> egress) {
	}

	/** A parsed permission; {@code from}/{@code to} are ports for tcp/udp, type/code for icmp, -1 for all. */
	private record Permission(String label, int protocol, int from, int to, List<IPAddress> ranges,
			List<IpPermission.UserIdGroupPair> pairs) {
	}

	private record Acl(String group, List<AclEntry> outbound, List<AclEntry> inbound) {

		Acl(String group, List<AclEntry> entries) {
			this(group, entries.stream().filter(AclEntry::egress).toList(),
					entries.stream().filter(e -> !e.egress()).toList());
		}
	}

	private record AclEntry(int number, boolean egress, boolean allow, int protocol, IPAddress block, int portFrom,
			int portTo, boolean hasIcmpTypeCode, int icmpType, int icmpCode) {
	}
}
