package dev.polyfence.plan.aws;

import dev.polyfence.translate.aws.NetworkAclEntry;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;

/**
 * What ordered network ACL entries of one direction decide, for every packet at once
 * ({@link PacketCells}): the lowest rule number that matches decides, as AWS evaluates
 * it.
 */
final class NetworkAclDecisions {

	private final PacketCells cells;

	private final Map<NetworkAclEntry, PacketCells.Box> boxes = new HashMap<>();

	/**
	 * @param entries every entry that any list judged later may hold
	 * @param changing the entries that come or go: only packets they match can change
	 */
	NetworkAclDecisions(Collection<NetworkAclEntry> entries, Collection<NetworkAclEntry> changing) {
		this.cells = new PacketCells(entries.stream().map(this::box).toList(),
				changing.stream().map(this::box).toList(), Map.of(), Integer.MAX_VALUE);
	}

	private PacketCells.Box box(NetworkAclEntry e) {
		return boxes.computeIfAbsent(NetworkAclPlan.renumber(e, 0), PacketCells::of);
	}

	String describe(int cell) {
		return cells.describe(cell);
	}

	/** The cells that {@code list}, by rule number, allows. */
	BitSet allowed(SortedMap<Integer, NetworkAclEntry> list) {
		BitSet allowed = new BitSet(cells.size());
		BitSet open = new BitSet(cells.size());
		open.set(0, cells.size());
		for (NetworkAclEntry e : list.values()) {
			BitSet hit = (BitSet) cells.matching(box(e)).clone();
			hit.and(open);
			if ("allow".equals(e.ruleAction())) {
				allowed.or(hit);
			}
			open.andNot(hit);
		}
		return allowed;
	}

}
