package dev.polyfence.cloud.aws;

import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.List;

/** Short forms of the records changes are made of, for tests. */
final class Permissions {

	private Permissions() {
	}

	static IpPermission cidrs(String protocol, Integer from, Integer to, String... cidrs) {
		return new IpPermission(protocol, from, to,
				List.of(cidrs).stream().filter(c -> !c.contains(":")).map(IpPermission.IpRange::new).toList(),
				List.of(cidrs).stream().filter(c -> c.contains(":")).map(IpPermission.Ipv6Range::new).toList(),
				List.of());
	}

	static IpPermission groupNamed(String protocol, Integer from, Integer to, String groupName) {
		return new IpPermission(protocol, from, to, List.of(), List.of(),
				List.of(new IpPermission.UserIdGroupPair(null, groupName)));
	}

	static NetworkAclEntry tcp(int rule, boolean egress, String action, String cidr, int from, int to) {
		return new NetworkAclEntry(rule, "6", action, egress, cidr, null, new NetworkAclEntry.Ports(from, to), null);
	}

	static NetworkAclEntry icmp(int rule, boolean egress, String cidr, int type, int code) {
		return new NetworkAclEntry(rule, "1", "allow", egress, cidr, null, null,
				new NetworkAclEntry.IcmpTypeCode(type, code));
	}

	static NetworkAclEntry all(int rule, boolean egress, String action, String cidr) {
		boolean v6 = cidr.contains(":");
		return new NetworkAclEntry(rule, "-1", action, egress, v6 ? null : cidr, v6 ? cidr : null, null, null);
	}

}
