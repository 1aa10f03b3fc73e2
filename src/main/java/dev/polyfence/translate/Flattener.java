package dev.polyfence.translate;

import dev.polyfence.policy.Action;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Evaluates an ordered first-match rule list once for every service and peer, giving the
 * exact set of allowed (service, peer) pairs as cells. This is how allow-only targets
 * (AWS security groups) get the meaning of ordered allow and deny rules: an earlier match
 * hides a later one, whatever the actions.
 *
 * <p>
 * The service line is cut at every boundary of every rule's services; within one
 * elementary interval the same rules match, so the peers are decided once per distinct
 * set of matching rules.
 *
 * <p>
 * Both loops can run long on adversarial input; each round checks for
 * {@link Cancellation}.
 */
public final class Flattener {

	private Flattener() {
	}

	/**
	 * One rule as the flattener sees it: the peers and services it matches, and its
	 * action.
	 */
	public record Matcher(PeerSet peers, IntervalSet services, Action action) {
	}

	/**
	 * Services {@code low..high} (see {@link ServiceSpace}) are allowed for exactly
	 * {@code peers}.
	 */
	public record Cell(int low, int high, PeerSet peers) {
	}

	/**
	 * @param matchers the rules in order
	 * @param fallback the default action when no rule matches
	 * @param universe every peer there is (all addresses and every label)
	 * @return the allowed cells, in service order, adjacent cells with equal peers
	 * merged, none empty
	 */
	public static List<Cell> allowed(List<Matcher> matchers, Action fallback, PeerSet universe) {
		TreeSet<Integer> cuts = new TreeSet<>();
		cuts.add(ServiceSpace.ALL.low(0));
		cuts.add(ServiceSpace.ALL.high(0) + 1);
		for (Matcher m : matchers) {
			for (int i = 0; i < m.services().size(); i++) {
				cuts.add(m.services().low(i));
				cuts.add(m.services().high(i) + 1);
			}
		}
		Map<BitSet, PeerSet> decided = new HashMap<>();
		List<Cell> cells = new ArrayList<>();
		Integer low = cuts.first();
		for (Integer next = cuts.higher(low); next != null; low = next, next = cuts.higher(next)) {
			Cancellation.check();
			BitSet matching = new BitSet(matchers.size());
			for (int r = 0; r < matchers.size(); r++) {
				if (matchers.get(r).services().contains(low)) {
					matching.set(r);
				}
			}
			PeerSet peers = decided.computeIfAbsent(matching, m -> firstMatch(matchers, m, fallback, universe));
			add(cells, new Cell(low, next - 1, peers));
		}
		return cells;
	}

	private static PeerSet firstMatch(List<Matcher> matchers, BitSet matching, Action fallback, PeerSet universe) {
		PeerSet taken = PeerSet.EMPTY;
		PeerSet allowed = PeerSet.EMPTY;
		for (int r = matching.nextSetBit(0); r >= 0; r = matching.nextSetBit(r + 1)) {
			Cancellation.check();
			Matcher m = matchers.get(r);
			if (m.action() == Action.ALLOW) {
				allowed = allowed.union(m.peers().subtract(taken));
			}
			taken = taken.union(m.peers());
			if (taken.containsAll(universe)) {
				return allowed;
			}
		}
		return fallback == Action.ALLOW ? allowed.union(universe.subtract(taken)) : allowed;
	}

	private static void add(List<Cell> cells, Cell cell) {
		if (cell.peers().isEmpty()) {
			return;
		}
		int last = cells.size() - 1;
		if (last >= 0 && cells.get(last).high() + 1 == cell.low() && cells.get(last).peers().equals(cell.peers())) {
			cells.set(last, new Cell(cells.get(last).low(), cell.high(), cell.peers()));
			return;
		}
		cells.add(cell);
	}

}
