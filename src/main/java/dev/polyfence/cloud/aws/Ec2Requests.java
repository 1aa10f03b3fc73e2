package dev.polyfence.cloud.aws;

import dev.polyfence.plan.aws.AwsLiveState.LiveRule;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ec2.model.CreateNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.IcmpTypeCode;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.Ipv6Range;
import software.amazon.awssdk.services.ec2.model.PortRange;
import software.amazon.awssdk.services.ec2.model.PrefixListId;
import software.amazon.awssdk.services.ec2.model.ReplaceNetworkAclEntryRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RuleAction;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * From our records to SDK request parts, and the checks for values that AWS refuses but
 * emulators such as moto accept (rule number 40000, port 70000), so that tests against
 * them mean something.
 */
final class Ec2Requests {

	/**
	 * Usable NACL rule numbers. Source: EC2 API Reference, CreateNetworkAclEntry ("1 to
	 * 32766").
	 */
	static final int NACL_RULE_NUMBER_MIN = 1;

	static final int NACL_RULE_NUMBER_MAX = 32766;

	static final int PORT_MAX = 65535;

	/**
	 * ICMP types and codes are 0 to 255, -1 meaning all. Source: EC2 API Reference,
	 * IcmpTypeCode and IpPermission.
	 */
	static final int ICMP_MAX = 255;

	private Ec2Requests() {
	}

	/**
	 * Our permission as an SDK one; {@code groupIdOfName} gives a referenced group's id
	 * or null.
	 */
	static software.amazon.awssdk.services.ec2.model.IpPermission permission(IpPermission p,
			UnaryOperator<String> groupIdOfName) {
		String problem = portProblem(p.ipProtocol(), p.fromPort(), p.toPort());
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		List<UserIdGroupPair> pairs = new ArrayList<>();
		for (IpPermission.UserIdGroupPair pair : p.userIdGroupPairs()) {
			String id = pair.groupId() != null ? pair.groupId() : groupIdOfName.apply(pair.groupName());
			if (id == null) {
				throw new UnresolvedGroupName(pair.groupName());
			}
			pairs.add(UserIdGroupPair.builder().groupId(id).build());
		}
		return software.amazon.awssdk.services.ec2.model.IpPermission.builder()
			.ipProtocol(p.ipProtocol())
			.fromPort(p.fromPort())
			.toPort(p.toPort())
			.ipRanges(p.ipRanges().stream().map(r -> IpRange.builder().cidrIp(r.cidrIp()).build()).toList())
			.ipv6Ranges(p.ipv6Ranges().stream().map(r -> Ipv6Range.builder().cidrIpv6(r.cidrIpv6()).build()).toList())
			.userIdGroupPairs(pairs)
			.build();
	}

	/**
	 * A live rule as the permission that matches exactly it, for revoking by properties.
	 */
	static software.amazon.awssdk.services.ec2.model.IpPermission permission(LiveRule rule) {
		var builder = software.amazon.awssdk.services.ec2.model.IpPermission.builder()
			.ipProtocol(rule.ipProtocol())
			.fromPort(rule.fromPort())
			.toPort(rule.toPort());
		if (rule.cidrIpv4() != null) {
			builder.ipRanges(IpRange.builder().cidrIp(rule.cidrIpv4()).build());
		}
		if (rule.cidrIpv6() != null) {
			builder.ipv6Ranges(Ipv6Range.builder().cidrIpv6(rule.cidrIpv6()).build());
		}
		if (rule.referencedGroupId() != null) {
			builder.userIdGroupPairs(UserIdGroupPair.builder().groupId(rule.referencedGroupId()).build());
		}
		if (rule.prefixListId() != null) {
			builder.prefixListIds(PrefixListId.builder().prefixListId(rule.prefixListId()).build());
		}
		return builder.build();
	}

	static TagSpecification tags(ResourceType type, Map<String, String> tags) {
		return TagSpecification.builder()
			.resourceType(type)
			.tags(tags.entrySet().stream().map(t -> Tag.builder().key(t.getKey()).value(t.getValue()).build()).toList())
			.build();
	}

	static CreateNetworkAclEntryRequest createEntry(String networkAclId, NetworkAclEntry e) {
		String problem = entryProblem(e);
		if (problem != null) {
			throw new IllegalArgumentException(problem);
		}
		var builder = CreateNetworkAclEntryRequest.builder()
			.networkAclId(networkAclId)
			.ruleNumber(e.ruleNumber())
			.protocol(e.protocol())
			.ruleAction(RuleAction.fromValue(e.ruleAction().toLowerCase(Locale.ROOT)))
			.egress(e.egress())
			.cidrBlock(e.cidrBlock())
			.ipv6CidrBlock(e.ipv6CidrBlock());
		if (e.portRange() != null) {
			builder.portRange(PortRange.builder().from(e.portRange().from()).to(e.portRange().to()).build());
		}
		if (e.icmpTypeCode() != null) {
			builder.icmpTypeCode(
					IcmpTypeCode.builder().type(e.icmpTypeCode().type()).code(e.icmpTypeCode().code()).build());
		}
		return builder.build();
	}

	static ReplaceNetworkAclEntryRequest replaceEntry(String networkAclId, NetworkAclEntry e) {
		CreateNetworkAclEntryRequest create = createEntry(networkAclId, e);
		return ReplaceNetworkAclEntryRequest.builder()
			.networkAclId(networkAclId)
			.ruleNumber(create.ruleNumber())
			.protocol(create.protocol())
			.ruleAction(create.ruleAction())
			.egress(create.egress())
			.cidrBlock(create.cidrBlock())
			.ipv6CidrBlock(create.ipv6CidrBlock())
			.portRange(create.portRange())
			.icmpTypeCode(create.icmpTypeCode())
			.build();
	}

	/** Why AWS would refuse this entry, or null. */
	static String entryProblem(NetworkAclEntry e) {
		if (e.ruleNumber() < NACL_RULE_NUMBER_MIN || e.ruleNumber() > NACL_RULE_NUMBER_MAX) {
			return "rule number " + e.ruleNumber() + " is outside " + NACL_RULE_NUMBER_MIN + "-" + NACL_RULE_NUMBER_MAX;
		}
		if ((e.cidrBlock() == null) == (e.ipv6CidrBlock() == null)) {
			return "exactly one of CidrBlock and Ipv6CidrBlock must be set";
		}
		String action = e.ruleAction() == null ? "" : e.ruleAction().toLowerCase(Locale.ROOT);
		if (!action.equals("allow") && !action.equals("deny")) {
			return "rule action must be allow or deny, not " + e.ruleAction();
		}
		if (!isProtocol(e.protocol())) {
			return "protocol must be -1 or a number 0-255, not " + e.protocol();
		}
		if (e.portRange() != null && !inRange(e.portRange().from(), e.portRange().to(), 0, PORT_MAX)) {
			return "port range " + e.portRange().from() + "-" + e.portRange().to() + " is outside 0-" + PORT_MAX;
		}
		if (e.icmpTypeCode() != null && (!inRange(e.icmpTypeCode().type(), e.icmpTypeCode().type(), -1, ICMP_MAX)
				|| !inRange(e.icmpTypeCode().code(), e.icmpTypeCode().code(), -1, ICMP_MAX))) {
			return "ICMP type/code " + e.icmpTypeCode().type() + "/" + e.icmpTypeCode().code() + " is outside -1..255";
		}
		return null;
	}

	/** Why AWS would refuse these ports for this protocol, or null. */
	static String portProblem(String protocol, Integer from, Integer to) {
		String p = protocol == null ? "" : protocol.toLowerCase(Locale.ROOT);
		switch (p) {
			case "tcp", "udp", "6", "17" -> {
				if (from == null || to == null || !inRange(from, to, 0, PORT_MAX)) {
					return protocol + " needs a port range within 0-" + PORT_MAX + ", not " + from + "-" + to;
				}
			}
			case "icmp", "icmpv6", "1", "58" -> {
				if ((from != null && (from < -1 || from > ICMP_MAX)) || (to != null && (to < -1 || to > ICMP_MAX))) {
					return protocol + " type/code must be -1 to " + ICMP_MAX + ", not " + from + "/" + to;
				}
			}
			default -> {
				if (!isProtocol(p)) {
					return "unknown protocol " + protocol;
				}
			}
		}
		return null;
	}

	private static boolean isProtocol(String p) {
		if ("-1".equals(p)) {
			return true;
		}
		try {
			int n = Integer.parseInt(p);
			return n >= 0 && n <= 255;
		}
		catch (NumberFormatException e) {
			return false;
		}
	}

	private static boolean inRange(int from, int to, int min, int max) {
		return from >= min && to <= max && from <= to;
	}

	/** A {@code UserIdGroupPairs} GroupName with no known id in the VPC. */
	static final class UnresolvedGroupName extends RuntimeException {

		private final String groupName;

		UnresolvedGroupName(String groupName) {
			super("no security group named " + groupName + " in the VPC or created by this apply");
			this.groupName = groupName;
		}

		String groupName() {
			return groupName;
		}

	}

}
