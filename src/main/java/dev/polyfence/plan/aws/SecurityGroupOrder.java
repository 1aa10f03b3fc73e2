package dev.polyfence.plan.aws;

import dev.polyfence.translate.Cancellation;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Orders the rule changes of one direction of a security group that workloads use, so
 * that the apply is safe both ways ({@link Stage}). Rules are a union, so adding a rule
 * never cuts and revoking one never opens; what matters is when each flow changes. In the
 * first half, rules that allow nothing new are added (the pieces of an old rule that is
 * being split, for example) and old rules are revoked where that cuts only flows the new
 * rules deny; in the second half, after the ACLs' first half, the rules that open flows
 * are added and the rest revoked. Each rule is checked on every packet at once
 * ({@link PacketCells}); calls of one kind in a row become one call.
 * <p>
 * Where an old rule and a new one overlap in part (tcp 0-1000 from a block becoming tcp
 * 500-2000, or all protocols to a /23 becoming one protocol to the /22 around it), what
 * they share goes in first as an interim rule ({@link #interim}). Where no order is safe
 * both ways even so, and for groups too large to check (more than {@link #WORK} cell
 * checks), the new rules are added before the old ones are revoked, in the second half:
 * no flow that both versions allow is cut, and the calls are marked as not shown safe.
 */
final class SecurityGroupOrder {

	private static final String TOO_LARGE = "is not checked: the group has too many rules to check cell by cell";

	/** The most cell-rule checks one group direction may cost. */
	static final int WORK = 4_000_000;

	/** One authorize ({@code add}) or revoke call of several rules. */
	record Call(Stage stage, boolean add, List<SgRuleKey> rules, String risk) {
	}

	/**
	 * The calls, and the interim rules among their rules: added in the first half and
	 * revoked in the second.
	 */
	record Calls(List<Call> calls, Set<SgRuleKey> interim) {
	}

	private final Map<SgRuleKey, PacketCells.Box> boxes = new HashMap<>();

	private final PacketCells cells;

	private final BitSet before;

	private final BitSet after;

	/** Per cell, how many rules there now match it. */
	private final int[] count;

	private BitSet current;

	/** The rules there now, and before the change. */
	private final Set<SgRuleKey> present;

	private final Set<SgRuleKey> had;

	private final List<Call> calls = new ArrayList<>();

	private final Set<SgRuleKey> interim = new LinkedHashSet<>();

	private SecurityGroupOrder(Collection<SgRuleKey> have, Collection<SgRuleKey> want, List<SgRuleKey> changing,
			Map<String, List<IPAddress>> peerAddresses) {
		Set<PacketCells.Box> all = new LinkedHashSet<>();
		have.forEach(k -> all.add(box(k)));
		want.forEach(k -> all.add(box(k)));
		this.cells = new PacketCells(all, changing.stream().map(this::box).toList(), peerAddresses,
				WORK / Math.max(1, all.size()));
		this.present = new LinkedHashSet<>(have);
		this.had = Set.copyOf(have);
		this.count = new int[cells.size()];
		have.forEach(k -> cells.matching(box(k)).stream().forEach(i -> count[i]++));
		this.before = union(have);
		this.after = union(want);
		this.current = before;
	}

	/**
	 * @param have the rules now
	 * @param want the rules wanted
	 * @param peerAddresses where the workloads of each security group live, by name
	 * @param quota the most rules the direction may hold midway
	 */
	static Calls calls(Collection<SgRuleKey> have, Collection<SgRuleKey> want,
			Map<String, List<IPAddress>> peerAddresses, int quota) {
		List<SgRuleKey> add = want.stream().filter(k -> !have.contains(k)).sorted().toList();
		List<SgRuleKey> remove = have.stream().filter(k -> !want.contains(k)).sorted().toList();
		if (add.isEmpty() && remove.isEmpty()) {
			return new Calls(List.of(), Set.of());
		}
		List<SgRuleKey> changing = new ArrayList<>(add);
		changing.addAll(remove);
		SecurityGroupOrder order;
		try {
			order = new SecurityGroupOrder(have, want, changing, peerAddresses);
		}
		catch (PacketCells.TooMany e) {
			List<Call> unchecked = new ArrayList<>();
			if (!add.isEmpty()) {
				unchecked.add(new Call(Stage.LOOSEN, true, add, TOO_LARGE));
			}
			if (!remove.isEmpty()) {
				unchecked.add(new Call(Stage.LOOSEN, false, remove, TOO_LARGE));
			}
			return new Calls(unchecked, Set.of());
		}
		List<SgRuleKey> toAdd = new ArrayList<>(add);
		List<SgRuleKey> toRemove = new ArrayList<>(remove);
		order.greedy(Stage.TIGHTEN, toAdd, toRemove);
		if (!toAdd.isEmpty() && !toRemove.isEmpty()) {
			order.interim(toAdd, toRemove, want, quota);
		}
		order.greedy(Stage.LOOSEN, toAdd, toRemove);
		order.force(toAdd, toRemove);
		return new Calls(order.calls, order.interim);
	}

	/**
	 * Where a new rule opens more than an old one allowed, so that neither can go first,
	 * the part they share (the old rule's block and the new rule's ports, for example) is
	 * added as an interim rule in the first half: it allows nothing new, and lets the old
	 * rule go while the flows both allow stay allowed. The interim rules are revoked in
	 * the second half, once the new rule is there. A block and a security group reference
	 * are not intersected.
	 */
	private void interim(List<SgRuleKey> toAdd, List<SgRuleKey> toRemove, Collection<SgRuleKey> want, int quota) {
		Set<SgRuleKey> parts = new LinkedHashSet<>();
		for (SgRuleKey a : toAdd) {
			for (SgRuleKey o : toRemove) {
				SgRuleKey part = intersection(a, o);
				if (part != null && !had.contains(part) && !present.contains(part) && !want.contains(part)) {
					parts.add(part);
				}
			}
		}
		if (parts.isEmpty() || count(present, false) + count(parts, false) > quota
				|| count(present, true) + count(parts, true) > quota) {
			return;
		}
		for (SgRuleKey part : parts) {
			BitSet next = with(part);
			if (Stage.TIGHTEN.admits(before, after, current, next)) {
				take(Stage.TIGHTEN, true, part, next, null);
				interim.add(part);
				toRemove.add(part);
			}
		}
		greedy(Stage.TIGHTEN, toAdd, toRemove);
	}

	/**
	 * Rules that count against the quota of one family: its blocks and every reference.
	 */
	private static long count(Collection<SgRuleKey> rules, boolean ipv6) {
		return rules.stream()
			.filter(k -> k.groupName() != null || (ipv6 ? k.cidrIpv6() : k.cidrIpv4()) != null)
			.count();
	}

	/**
	 * What two rules both match, as one rule, or null: two blocks of one family, or two
	 * references to the same security group of the VPC, with what their services share.
	 */
	static SgRuleKey intersection(SgRuleKey a, SgRuleKey b) {
		if (a.egress() != b.egress()) {
			return null;
		}
		String cidr = null;
		String group = null;
		if (a.groupName() != null || b.groupName() != null) {
			if (a.groupName() == null || !a.groupName().equals(b.groupName()) || a.groupName().contains(":")) {
				return null;
			}
			group = a.groupName();
		}
		else if (a.cidrIpv4() != null && b.cidrIpv4() != null) {
			cidr = NetworkAclPlan.inner(a.cidrIpv4(), b.cidrIpv4());
		}
		else if (a.cidrIpv6() != null && b.cidrIpv6() != null) {
			cidr = NetworkAclPlan.inner(a.cidrIpv6(), b.cidrIpv6());
		}
		if (cidr == null && group == null) {
			return null;
		}
		SgRuleKey narrow = "-1".equals(a.protocol()) ? b : a;
		SgRuleKey other = narrow == a ? b : a;
		if (!"-1".equals(other.protocol()) && !other.protocol().equals(narrow.protocol())) {
			return null;
		}
		Integer from = narrow.fromPort();
		Integer to = narrow.toPort();
		if (from == null && other.protocol().equals(narrow.protocol())) {
			from = other.fromPort();
			to = other.toPort();
		}
		else if (from != null && other.fromPort() != null && other.protocol().equals(narrow.protocol())) {
			boolean icmp = narrow.protocol().startsWith("icmp");
			if (icmp) {
				from = NetworkAclPlan.sharedTypeOrCode(from, other.fromPort());
				to = NetworkAclPlan.sharedTypeOrCode(to, other.toPort());
				if (from == null || to == null) {
					return null;
				}
			}
			else {
				from = Math.max(from, other.fromPort());
				to = Math.min(to, other.toPort());
				if (from > to) {
					return null;
				}
			}
		}
		boolean v4 = a.cidrIpv4() != null;
		return new SgRuleKey(a.egress(), narrow.protocol(), from, to, v4 ? cidr : null,
				v4 || group != null ? null : cidr, group);
	}

	private void greedy(Stage stage, List<SgRuleKey> toAdd, List<SgRuleKey> toRemove) {
		boolean progress = true;
		while (progress) {
			Cancellation.check();
			progress = false;
			for (SgRuleKey k : List.copyOf(toAdd)) {
				BitSet next = with(k);
				if (stage.admits(before, after, current, next)) {
					take(stage, true, k, next, null);
					toAdd.remove(k);
					progress = true;
				}
			}
			for (SgRuleKey k : List.copyOf(toRemove)) {
				BitSet next = without(k);
				if (stage.admits(before, after, current, next)) {
					take(stage, false, k, next, null);
					toRemove.remove(k);
					progress = true;
				}
			}
		}
	}

	/** Adds before removes, so no flow that both allow is cut. */
	private void force(List<SgRuleKey> toAdd, List<SgRuleKey> toRemove) {
		while (!toAdd.isEmpty() || !toRemove.isEmpty()) {
			boolean add = !toAdd.isEmpty();
			SgRuleKey k = add ? toAdd.remove(0) : toRemove.remove(0);
			BitSet next = add ? with(k) : without(k);
			take(Stage.LOOSEN, add, k, next, Stage.risk(before, after, current, next, cells::describe));
			greedy(Stage.LOOSEN, toAdd, toRemove);
		}
	}

	private void take(Stage stage, boolean add, SgRuleKey k, BitSet next, String risk) {
		cells.matching(box(k)).stream().forEach(i -> count[i] += add ? 1 : -1);
		if (add) {
			present.add(k);
		}
		else {
			present.remove(k);
		}
		current = next;
		Call last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
		if (last != null && last.stage() == stage && last.add() == add) {
			List<SgRuleKey> rules = new ArrayList<>(last.rules());
			rules.add(k);
			calls.set(calls.size() - 1, new Call(stage, add, rules, last.risk() != null ? last.risk() : risk));
		}
		else {
			calls.add(new Call(stage, add, List.of(k), risk));
		}
	}

	private BitSet with(SgRuleKey k) {
		BitSet next = (BitSet) current.clone();
		next.or(cells.matching(box(k)));
		return next;
	}

	private BitSet without(SgRuleKey k) {
		BitSet next = (BitSet) current.clone();
		cells.matching(box(k)).stream().filter(i -> count[i] == 1).forEach(next::clear);
		return next;
	}

	private PacketCells.Box box(SgRuleKey k) {
		return boxes.computeIfAbsent(k, PacketCells::of);
	}

	private BitSet union(Collection<SgRuleKey> rules) {
		BitSet union = new BitSet(cells.size());
		rules.forEach(k -> union.or(cells.matching(box(k))));
		return union;
	}

}
