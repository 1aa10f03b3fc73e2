package dev.polyfence.plan.aws;

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
 * Where no order of single rules is safe both ways (an old rule and a new one overlap in
 * part, such as tcp 0-1000 becoming tcp 500-2000), and for groups too large to check
 * (more than {@link #WORK} cell checks), the new rules are added before the old ones are
 * revoked, in the second half: no flow that both versions allow is cut, and the calls are
 * marked as not shown safe.
 */
final class SecurityGroupOrder {

	/** The most cell-rule checks one group direction may cost. */
	static final int WORK = 4_000_000;

	/** One authorize ({@code add}) or revoke call of several rules. */
	record Call(Stage stage, boolean add, List<SgRuleKey> rules, boolean safe) {
	}

	private final Map<SgRuleKey, PacketCells.Box> boxes = new HashMap<>();

	private final PacketCells cells;

	private final BitSet before;

	private final BitSet after;

	/** Per cell, how many rules there now match it. */
	private final int[] count;

	private BitSet current;

	private final List<Call> calls = new ArrayList<>();

	private SecurityGroupOrder(Collection<SgRuleKey> have, Collection<SgRuleKey> want, List<SgRuleKey> changing,
			Map<String, List<IPAddress>> peerAddresses) {
		Set<PacketCells.Box> all = new LinkedHashSet<>();
		have.forEach(k -> all.add(box(k)));
		want.forEach(k -> all.add(box(k)));
		this.cells = new PacketCells(all, changing.stream().map(this::box).toList(), peerAddresses,
				WORK / Math.max(1, all.size()));
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
	 */
	static List<Call> calls(Collection<SgRuleKey> have, Collection<SgRuleKey> want,
			Map<String, List<IPAddress>> peerAddresses) {
		List<SgRuleKey> add = want.stream().filter(k -> !have.contains(k)).sorted().toList();
		List<SgRuleKey> remove = have.stream().filter(k -> !want.contains(k)).sorted().toList();
		if (add.isEmpty() && remove.isEmpty()) {
			return List.of();
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
				unchecked.add(new Call(Stage.LOOSEN, true, add, false));
			}
			if (!remove.isEmpty()) {
				unchecked.add(new Call(Stage.LOOSEN, false, remove, false));
			}
			return unchecked;
		}
		List<SgRuleKey> toAdd = new ArrayList<>(add);
		List<SgRuleKey> toRemove = new ArrayList<>(remove);
		for (Stage stage : Stage.values()) {
			order.greedy(stage, toAdd, toRemove);
		}
		order.force(toAdd, toRemove);
		return order.calls;
	}

	private void greedy(Stage stage, List<SgRuleKey> toAdd, List<SgRuleKey> toRemove) {
		boolean progress = true;
		while (progress) {
			progress = false;
			for (SgRuleKey k : List.copyOf(toAdd)) {
				BitSet next = with(k);
				if (stage.admits(before, after, current, next)) {
					take(stage, true, k, next, true);
					toAdd.remove(k);
					progress = true;
				}
			}
			for (SgRuleKey k : List.copyOf(toRemove)) {
				BitSet next = without(k);
				if (stage.admits(before, after, current, next)) {
					take(stage, false, k, next, true);
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
			take(Stage.LOOSEN, add, k, next, Stage.harm(before, after, current, next) == 0);
			greedy(Stage.LOOSEN, toAdd, toRemove);
		}
	}

	private void take(Stage stage, boolean add, SgRuleKey k, BitSet next, boolean safe) {
		cells.matching(box(k)).stream().forEach(i -> count[i] += add ? 1 : -1);
		current = next;
		Call last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
		if (last != null && last.stage() == stage && last.add() == add) {
			List<SgRuleKey> rules = new ArrayList<>(last.rules());
			rules.add(k);
			calls.set(calls.size() - 1, new Call(stage, add, rules, last.safe() && safe));
		}
		else {
			calls.add(new Call(stage, add, List.of(k), safe));
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
