package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.SecurityGroup;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * AWS's own evaluation of security groups and network ACLs. A request needs the source
 * security group's egress, the source ACL's outbound entries, the destination ACL's
 * inbound entries and the destination security group's ingress, for each end that is a
 * workload. Security groups are stateful; the ACLs are not, so for an allowed request the
 * replies are checked against both ACLs, on the low end, the middle and the high end of
 * the ephemeral range for TCP and UDP.
 */
public final class AwsEvaluator implements CloudEvaluator {

	private static final int ALL = AwsRules.ALL;

	private final Map<String, Sg> securityGroups = new HashMap<>();

	private final Map<String, Acl> acls = new HashMap<>();

	private final Map<String, String> groupIds;

	private final PortRange ephemeral;

	public AwsEvaluator(Policy policy, Bindings bindings, AwsOutput output) {
		this(policy, bindings, output, Map.of());
	}

	/**
	 * @param groupIdsByName security group ids by {@code GroupName}, for references by
	 * {@code GroupId} (live state); a translation references by name and needs none
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
			securityGroups.put(sg.group(),
					new Sg(sg, AwsRules.permissions(sg.ipPermissions(), where + " IpPermissions"),
							AwsRules.permissions(sg.ipPermissionsEgress(), where + " IpPermissionsEgress")));
		}
		for (String group : policy.groups()) {
			require(securityGroups.containsKey(group), "group " + group + " has no security group");
		}
		for (NetworkAcl acl : output.networkAcls()) {
			require(acl.group() != null, "a network ACL serves no group");
			require(policy.groups().contains(acl.group()),
					"a network ACL serves " + acl.group() + ", not a policy group");
			require(!acls.containsKey(acl.group()), "group " + acl.group() + " has two network ACLs");
			acls.put(acl.group(), new Acl(acl.group(), AwsRules.entries(acl)));
		}
	}

	@Override
	public Target target() {
		return Target.AWS;
	}

	/**
	 * Two workloads of one group may sit in one subnet, where no packet crosses the
	 * network ACL, or in two of its subnets, where every packet crosses it twice: the
	 * translation must be right both ways. When the two disagree, the verdict is allowed
	 * with its replies blocked, which matches no decision of the policy, so a comparison
	 * reports it whatever the policy says.
	 */
	@Override
	public CloudVerdict evaluate(Flow flow) {
		flow.requireWorkloadEnd();
		Endpoint.Workload source = flow.sourceWorkload();
		Endpoint.Workload destination = flow.destinationWorkload();
		CloudVerdict crossing = evaluate(flow, source, destination, true);
		if (source == null || destination == null || !source.group().equals(destination.group())
				|| acl(source) == null) {
			return crossing;
		}
		CloudVerdict inside = evaluate(flow, source, destination, false);
		boolean agree = crossing.allowedWithReplies() == inside.allowedWithReplies()
				&& crossing.allowed() == inside.allowed();
		if (agree) {
			return crossing;
		}
		return new CloudVerdict(true, false, "INCONSISTENT: across two subnets of the group: " + crossing.explanation()
				+ " | inside one subnet: " + inside.explanation());
	}

	private CloudVerdict evaluate(Flow flow, Endpoint.Workload source, Endpoint.Workload destination,
			boolean crossesSubnets) {
		List<String> why = new ArrayList<>();
		boolean allowed = true;
		Acl sourceAcl = source == null || !crossesSubnets ? null : acl(source);
		Acl destinationAcl = destination == null || !crossesSubnets ? null : acl(destination);
		if (source != null) {
			allowed &= securityGroupStep(source.group(), true, flow.destination(), flow, why);
			allowed &= aclStep(sourceAcl, true, flow, why, "");
		}
		if (destination != null) {
			allowed &= aclStep(destinationAcl, false, flow, why, "");
			allowed &= securityGroupStep(destination.group(), false, flow.source(), flow, why);
		}
		boolean repliesPass = true;
		if (allowed) {
			for (Flow reply : replies(flow)) {
				List<String> replyWhy = new ArrayList<>();
				boolean passes = true;
				if (destination != null) {
					passes &= aclStep(destinationAcl, true, reply, replyWhy, "reply ");
				}
				if (source != null) {
					passes &= aclStep(sourceAcl, false, reply, replyWhy, "reply ");
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

	/**
	 * The reply packets of a request: swapped ends, to the client's ephemeral ports or
	 * the ICMP answer.
	 */
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
		List<AwsRules.Permission> permissions = egress ? sg.egress() : sg.ingress();
		String head = "SG " + sg.source().groupName() + (egress ? " egress" : " ingress");
		for (AwsRules.Permission permission : permissions) {
			if (trafficMatches(permission, flow) && peerMatches(permission, peer)) {
				why.add(head + ": allowed by " + permission.label());
				return true;
			}
		}
		why.add(head + ": DENIED, no permission matches");
		return false;
	}

	private static boolean trafficMatches(AwsRules.Permission permission, Flow flow) {
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

	private boolean peerMatches(AwsRules.Permission permission, Endpoint peer) {
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
		for (AwsRules.AclEntry entry : egress ? acl.outbound() : acl.inbound()) {
			if (Addresses.contains(entry.block(), peer) && entryTrafficMatches(entry, packet)) {
				why.add(head + ": #" + entry.number() + " " + (entry.allow() ? "allow" : "DENY"));
				return entry.allow();
			}
		}
		why.add(head + ": DENIED, no entry matches");
		return false;
	}

	private static boolean entryTrafficMatches(AwsRules.AclEntry entry, Flow packet) {
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

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private record Sg(SecurityGroup source, List<AwsRules.Permission> ingress, List<AwsRules.Permission> egress) {
	}

	private record Acl(String group, List<AwsRules.AclEntry> outbound, List<AwsRules.AclEntry> inbound) {

		Acl(String group, List<AwsRules.AclEntry> entries) {
			this(group, entries.stream().filter(AwsRules.AclEntry::egress).toList(),
					entries.stream().filter(e -> !e.egress()).toList());
		}
	}

}
