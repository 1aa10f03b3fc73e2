package dev.polyfence.translate.aws;

import dev.polyfence.policy.Direction;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Flattener.Cell;
import dev.polyfence.translate.IntervalSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between two groups of the policy, a flow is allowed when the source's egress and the
 * destination's ingress both allow it, and both are known at translation time. When one
 * side alone already decides the pair (whatever it allows, the other side allows too),
 * the other side need not be exact toward that group: it may allow more. Such a side
 * drops the group's addresses from its deny rules, so a deny toward a group does not cut
 * holes into a wider allow there.
 *
 * <p>
 * For a pair (source group S, destination group D), the ingress of D may be relaxed
 * toward S when every service that S's egress allows toward any address of D is allowed
 * by D's ingress from every address of S; and symmetrically for S's egress toward D. At
 * most one side of a pair is relaxed, so the other stays exact, and only where relaxing
 * removes a hole (a deny of that group's addresses before an allow that also reaches
 * them).
 */
final class JointEnforcement {

	/** One side of a group: its ingress or its egress. */
	record Side(String group, Direction direction) {
	}

	private JointEnforcement() {
	}

	/**
	 * @param cidrs the bound addresses of each group that has any
	 * @param rules each side's rules, exact
	 * @param defaultAllows the sides whose default is allow
	 * @param cells each side's exact allowed cells
	 * @return per side, the addresses of the groups it may allow more toward
	 */
	static Map<Side, AddressSet> relaxations(Map<String, AddressSet> cidrs, Map<Side, List<SideRule>> rules,
			java.util.Set<Side> defaultAllows, Map<Side, List<Cell>> cells) {
		Map<Side, AddressSet> relaxed = new LinkedHashMap<>();
		List<String> groups = new ArrayList<>(cidrs.keySet());
		Map<Side, boolean[]> holes = new HashMap<>();
		for (Map.Entry<Side, List<SideRule>> side : rules.entrySet()) {
			boolean[] has = new boolean[groups.size()];
			for (int g = 0; g < groups.size(); g++) {
				has[g] = hasHole(side.getValue(), defaultAllows.contains(side.getKey()), cidrs.get(groups.get(g)));
			}
			holes.put(side.getKey(), has);
		}
		for (int s = 0; s < groups.size(); s++) {
			Cancellation.check();
			for (int d = 0; d < groups.size(); d++) {
				Side out = new Side(groups.get(s), Direction.EGRESS);
				Side in = new Side(groups.get(d), Direction.INGRESS);
				AddressSet source = cidrs.get(groups.get(s));
				AddressSet destination = cidrs.get(groups.get(d));
				boolean inHole = holes.get(in)[s];
				boolean outHole = holes.get(out)[d];
				if (!inHole && !outHole) {
					continue;
				}
				if (inHole
						&& reachedBy(cells.get(out), destination).subtract(wholly(cells.get(in), source)).isEmpty()) {
					relaxed.merge(in, source, AddressSet::union);
				}
				else if (outHole
						&& reachedBy(cells.get(in), source).subtract(wholly(cells.get(out), destination)).isEmpty()) {
					relaxed.merge(out, destination, AddressSet::union);
				}
			}
		}
		return relaxed;
	}

	/** The side's rules with {@code toward}'s addresses taken out of every deny. */
	static List<SideRule> relax(List<SideRule> rules, AddressSet toward) {
		if (toward == null || toward.isEmpty()) {
			return rules;
		}
		List<SideRule> relaxed = new ArrayList<>(rules.size());
		for (SideRule rule : rules) {
			if (rule.isAllow() || !rule.peers().addresses().intersects(toward)) {
				relaxed.add(rule);
				continue;
			}
			SideRule narrowed = rule.withPeers(new dev.polyfence.translate.PeerSet(
					rule.peers().addresses().subtract(toward), rule.peers().labels()));
			if (!narrowed.isEmpty()) {
				relaxed.add(narrowed);
			}
		}
		return relaxed;
	}

	/**
	 * Whether a deny of some of these addresses comes before an allow that reaches them.
	 */
	private static boolean hasHole(List<SideRule> rules, boolean defaultAllows, AddressSet addresses) {
		IntervalSet later = defaultAllows ? dev.polyfence.translate.ServiceSpace.ALL : IntervalSet.EMPTY;
		for (int i = rules.size() - 1; i >= 0; i--) {
			SideRule rule = rules.get(i);
			if (!rule.peers().addresses().intersects(addresses)) {
				continue;
			}
			if (rule.isAllow()) {
				later = later.union(rule.services());
			}
			else if (rule.services().intersects(later)) {
				return true;
			}
		}
		return false;
	}

	/** The services allowed toward at least one of these addresses. */
	private static IntervalSet reachedBy(List<Cell> cells, AddressSet addresses) {
		return servicesWhere(cells, peers -> peers.intersects(addresses));
	}

	/** The services allowed toward every one of these addresses. */
	private static IntervalSet wholly(List<Cell> cells, AddressSet addresses) {
		return servicesWhere(cells, peers -> peers.containsAll(addresses));
	}

	private static IntervalSet servicesWhere(List<Cell> cells, java.util.function.Predicate<AddressSet> peers) {
		IntervalSet services = IntervalSet.EMPTY;
		for (Cell cell : cells) {
			if (peers.test(cell.peers().addresses())) {
				services = services.union(IntervalSet.of(cell.low(), cell.high()));
			}
		}
		return services;
	}

}
