package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the entries of one network ACL: per direction, the desired list is mapped onto
 * the live one with stable rule numbers ({@link NetworkAclNumbering}: what the policy
 * change does not touch keeps its number, a changed entry is replaced in place, new ones
 * go into the gaps), and the calls are ordered so that the apply is safe both ways
 * ({@link NetworkAclOrder}). A direction whose entries are already the desired ones, in
 * order, is left alone: rule numbers alone never make a change.
 */
final class NetworkAclPlan {

	private NetworkAclPlan() {
	}

	/**
	 * The calls for both directions.
	 * @param existing the live ACL, or null when it is to be created
	 * @param inUse whether a subnet uses the live ACL now
	 */
	static List<NetworkAclOrder.Step> entries(NetworkAcl desired, AwsLiveState.LiveNetworkAcl existing, boolean inUse) {
		List<NetworkAclOrder.Step> steps = new ArrayList<>();
		for (boolean egress : new boolean[] { false, true }) {
			List<NetworkAclEntry> want = direction(desired.entries(), egress);
			List<NetworkAclEntry> have = existing == null ? List.of() : direction(existing.entries(), egress);
			List<NetworkAclNumbering.EntryChange> changes = NetworkAclNumbering.changes(have, want);
			if (!changes.isEmpty()) {
				steps.addAll(NetworkAclOrder.steps(desired.group(), have, changes, inUse));
			}
		}
		return steps;
	}

	private static List<NetworkAclEntry> direction(List<NetworkAclEntry> entries, boolean egress) {
		return entries.stream()
			.filter(e -> e.egress() == egress)
			.sorted(Comparator.comparingInt(NetworkAclEntry::ruleNumber))
			.toList();
	}

	static NetworkAclEntry renumber(NetworkAclEntry e, int number) {
		return new NetworkAclEntry(number, e.protocol(), e.ruleAction(), e.egress(), e.cidrBlock(), e.ipv6CidrBlock(),
				e.portRange(), e.icmpTypeCode());
	}

	/** The smaller of two blocks when one holds the other; null when they are apart. */
	static String inner(String a, String b) {
		IPAddress x = new IPAddressString(a).getAddress().toPrefixBlock();
		IPAddress y = new IPAddressString(b).getAddress().toPrefixBlock();
		if (x.contains(y)) {
			return b;
		}
		return y.contains(x) ? a : null;
	}

	/** What two ICMP types (or codes) both match, -1 being all; null when nothing. */
	static Integer sharedTypeOrCode(int x, int y) {
		return x == -1 ? Integer.valueOf(y) : y == -1 || x == y ? Integer.valueOf(x) : null;
	}

	static String describe(NetworkAclEntry e) {
		String ports = e.portRange() == null ? "" : " ports " + e.portRange().from()
				+ (e.portRange().from() == e.portRange().to() ? "" : "-" + e.portRange().to());
		String icmp = e.icmpTypeCode() == null ? ""
				: " type " + e.icmpTypeCode().type() + " code " + e.icmpTypeCode().code();
		return e.ruleNumber() + " " + (e.egress() ? "out " : "in ") + e.ruleAction() + " protocol " + e.protocol()
				+ ports + icmp + (e.egress() ? " to " : " from ")
				+ (e.cidrBlock() != null ? e.cidrBlock() : e.ipv6CidrBlock());
	}

}
