package dev.polyfence.plan.aws;

import dev.polyfence.translate.Numbering;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Plans the entries of one network ACL without a moment where a flow that the old and the
 * new entries both allow is blocked. Entries are evaluated by rule number, so each
 * direction's new list is written whole into free numbers beside the old list, then the
 * old list is removed:
 * <ul>
 * <li>above the old list: while the old list is whole it decides every flow it matches,
 * and a flow it allows is one of its matches; then old entries go from the highest number
 * down, so what is left of the old list is a prefix of it, which decides as the old list
 * did or lets the flow reach the new list, which is whole;</li>
 * <li>below it, when there is no room above: new entries go in from the lowest number up,
 * so what is in is a prefix of the new list, which decides as the new list does or lets
 * the flow reach the old list, which is whole; then the old entries go.</li>
 * </ul>
 * A direction whose entries are already the desired ones, in order, is left alone: rule
 * numbers alone never make a change.
 */
final class NetworkAclPlan {

	private static final int STEP = 10;

	private static final int FIRST = 1;

	private static final int LAST = 32766;

	private NetworkAclPlan() {
	}

	static List<AwsChange> entries(NetworkAcl desired, AwsLiveState.LiveNetworkAcl existing) {
		List<AwsChange> changes = new ArrayList<>();
		for (boolean egress : new boolean[] { false, true }) {
			List<NetworkAclEntry> want = direction(desired.entries(), egress);
			List<NetworkAclEntry> have = existing == null ? List.of() : direction(existing.entries(), egress);
			if (sameSequence(want, have)) {
				continue;
			}
			String group = desired.group();
			if (have.isEmpty()) {
				want.forEach(e -> changes.add(new AwsChange.CreateNetworkAclEntry(group, e)));
				continue;
			}
			int low = have.get(0).ruleNumber();
			int high = have.get(have.size() - 1).ruleNumber();
			int above = Numbering.step(want.size(), high + 1, LAST, STEP);
			if (above > 0) {
				int number = Math.min(high + above, LAST);
				for (NetworkAclEntry e : want) {
					changes.add(new AwsChange.CreateNetworkAclEntry(group, renumber(e, number)));
					number += above;
				}
				for (int i = have.size() - 1; i >= 0; i--) {
					changes.add(new AwsChange.DeleteNetworkAclEntry(group, have.get(i)));
				}
				continue;
			}
			int below = Numbering.step(want.size(), FIRST, low - 1, STEP);
			if (below == 0) {
				throw new IllegalStateException("no free rule numbers beside entries " + low + "-" + high + " of the "
						+ "network ACL of group " + group + " for " + want.size() + " new entries");
			}
			int number = Math.max(FIRST, low - 1 - (want.size() - 1) * below);
			for (NetworkAclEntry e : want) {
				changes.add(new AwsChange.CreateNetworkAclEntry(group, renumber(e, number)));
				number += below;
			}
			have.forEach(e -> changes.add(new AwsChange.DeleteNetworkAclEntry(group, e)));
		}
		return changes;
	}

	private static List<NetworkAclEntry> direction(List<NetworkAclEntry> entries, boolean egress) {
		return entries.stream()
			.filter(e -> e.egress() == egress)
			.sorted(Comparator.comparingInt(NetworkAclEntry::ruleNumber))
			.toList();
	}

	static boolean sameSequence(List<NetworkAclEntry> a, List<NetworkAclEntry> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!renumber(a.get(i), 0).equals(renumber(b.get(i), 0))) {
				return false;
			}
		}
		return true;
	}

	static NetworkAclEntry renumber(NetworkAclEntry e, int number) {
		return new NetworkAclEntry(number, e.protocol(), e.ruleAction(), e.egress(), e.cidrBlock(), e.ipv6CidrBlock(),
				e.portRange(), e.icmpTypeCode());
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
