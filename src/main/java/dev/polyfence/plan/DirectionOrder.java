package dev.polyfence.plan;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * Which direction of a network's rules changes first, so that an apply is safe both ways
 * (spec section 6) for flows between two workloads.
 *
 * <p>
 * A flow between two workloads passes when the sender's egress and the receiver's ingress
 * both allow it. When the planner changes one direction's rules wholly before the
 * other's, and within a direction every workload decides at each moment as the old or as
 * the new rules do, a flow that the old and the new rules both allow stays allowed
 * throughout. One that both deny stays denied unless its deny moves to the other end: the
 * sender's egress goes from deny to allow while the receiver's ingress goes from allow to
 * deny (then moving egress first lets it through until ingress has moved), or the other
 * way round. This class looks for both patterns on every pair of groups, representative
 * addresses of each group and representative services, and picks the direction that none
 * of its flows needs second; when both patterns occur, no order of single calls is safe
 * for all flows, and {@link Choice#safe()} is false.
 */
public final class DirectionOrder {

	private static final int TCP = 6;

	private static final int UDP = 17;

	private static final int SCTP = 132;

	private static final int ICMP = 1;

	private static final int ICMPV6 = 58;

	private DirectionOrder() {
	}

	/**
	 * A service to try: an IP protocol and, for TCP, UDP and SCTP, a destination port
	 * (else -1); {@code toPort} ends the run of ports that decide alike, and
	 * {@code unnamed} says the protocol stands for every protocol that no rule names.
	 */
	public record Probe(int protocol, int port, int toPort, boolean unnamed) {

		@Override
		public String toString() {
			return (unnamed ? "protocols no rule names" : "protocol " + protocol)
					+ (port < 0 ? "" : " port " + port + (toPort == port ? "" : "-" + toPort));
		}

	}

	/**
	 * Addresses of one group's workloads that every rule treats alike, from {@code lower}
	 * to {@code upper}; both null for a group without bound addresses.
	 */
	public record Span(IPAddress lower, IPAddress upper) {
	}

	/**
	 * Flows from {@code sources} of group {@code sender} to {@code destinations} of group
	 * {@code receiver} with the probe's services (over IPv4 or IPv6), which the old and
	 * the new rules both deny but which pass while one direction has changed and the
	 * other not: a temporary deny of exactly these keeps them denied.
	 */
	public record Risk(String sender, String receiver, boolean ipv4, Probe probe, List<Span> sources,
			List<Span> destinations) {
	}

	/**
	 * What splits the address and service lines for one group's rules of one direction,
	 * old and new together: the ranges they name, the protocols, and per protocol the
	 * port ranges (from, to).
	 */
	public record Cuts(List<IPAddress> ranges, Set<Integer> protocols, Map<Integer, List<int[]>> ports) {

		/** Empty cuts, to add to. */
		public static Cuts empty() {
			return new Cuts(new ArrayList<>(), new TreeSet<>(), new HashMap<>());
		}

		/** Adds a protocol a rule names, with a port range of it (none: -1). */
		public void add(int protocol, int from, int to) {
			protocols.add(protocol);
			List<int[]> list = ports.computeIfAbsent(protocol, k -> new ArrayList<>());
			if (from >= 0) {
				list.add(new int[] { from, to });
			}
		}

	}

	/** Whether two lists of rules are alike, one by one in the same order. */
	public static <T> boolean sameInOrder(List<T> a, List<T> b, BiPredicate<T, T> same) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!same.test(a.get(i), b.get(i))) {
				return false;
			}
		}
		return true;
	}

	/** One group's decisions under the old or the new rules. */
	public interface Sides {

		/**
		 * @param after the new rules, else the old ones
		 * @param ingress the group's ingress (the peer being the source), else its egress
		 * @param peerGroup the group of the workload at the other end
		 * @param peerAddress its address, or null when the group has no bound addresses
		 * (then it lies outside every range that does not hold a whole address family)
		 */
		boolean allows(boolean after, boolean ingress, String group, String peerGroup, IPAddress peerAddress,
				Probe probe);

		/**
		 * Whether the group's rules of this direction may decide differently after (false
		 * only when they are the same rules in the same order).
		 */
		boolean changes(boolean ingress, String group);

		Cuts cuts(boolean ingress, String group);

		/**
		 * TRUE when the group's rules of this direction allow everything, FALSE when they
		 * deny everything, null when they decide otherwise or it is not known cheaply.
		 */
		Boolean uniform(boolean after, boolean ingress, String group);

	}

	/**
	 * The direction to change first. When no order is {@code safe}: why, and the flows
	 * that pass midway with this order.
	 */
	public record Choice(boolean egressFirst, boolean safe, String why, List<Risk> risks) {

		public Choice {
			risks = List.copyOf(risks);
		}

		public static final Choice SAFE = new Choice(true, true, null, List.of());

	}

	/**
	 * @param blocks each group's bound addresses (empty when it has none)
	 */
	public static Choice choose(Map<String, List<IPAddress>> blocks, Sides sides) {
		List<Risk> egressFirst = risks(blocks, sides, true);
		if (egressFirst.isEmpty()) {
			return Choice.SAFE;
		}
		List<Risk> ingressFirst = risks(blocks, sides, false);
		if (ingressFirst.isEmpty()) {
			return new Choice(false, true, null, List.of());
		}
		boolean egress = egressFirst.size() <= ingressFirst.size();
		return new Choice(egress, false,
				"denies move between the two ends of flows both ways, so whichever direction changes first, some "
						+ "flows that the old and the new rules both deny pass until the other direction has changed: "
						+ describe(egressFirst.get(0), "the sender's egress", "the receiver's ingress") + "; and "
						+ describe(ingressFirst.get(0), "the receiver's ingress", "the sender's egress"),
				egress ? egressFirst : ingressFirst);
	}

	/**
	 * The flows that pass midway when egress changes first ({@code egressFirst}: the
	 * sender's egress widens, the receiver's ingress narrows), or when ingress does.
	 */
	private static List<Risk> risks(Map<String, List<IPAddress>> blocks, Sides sides, boolean egressFirst) {
		List<Risk> risks = new ArrayList<>();
		Cuts none = new Cuts(List.of(), Set.of(), Map.of());
		for (String sender : blocks.keySet()) {
			if (!sides.changes(false, sender)) {
				continue;
			}
			// egress cannot widen from allow-all nor to deny-all, nor narrow the other
			// way round
			Boolean from = sides.uniform(false, false, sender);
			Boolean to = sides.uniform(true, false, sender);
			if (egressFirst ? Boolean.TRUE.equals(from) || Boolean.FALSE.equals(to)
					: Boolean.FALSE.equals(from) || Boolean.TRUE.equals(to)) {
				continue;
			}
			Cuts egressCuts = sides.cuts(false, sender);
			for (String receiver : blocks.keySet()) {
				if (!sides.changes(true, receiver)) {
					continue;
				}
				Boolean inFrom = sides.uniform(false, true, receiver);
				Boolean inTo = sides.uniform(true, true, receiver);
				if (egressFirst ? Boolean.FALSE.equals(inFrom) || Boolean.TRUE.equals(inTo)
						: Boolean.TRUE.equals(inFrom) || Boolean.FALSE.equals(inTo)) {
					continue;
				}
				List<Span> receivers = spans(blocks.get(receiver), egressCuts.ranges());
				// the sender's egress alone decides alike on its own cuts: look there
				// first
				if (probes(egressCuts, none).stream()
					.noneMatch(probe -> opens(change(sides, false, sender, receiver, receivers, probe), egressFirst))) {
					continue;
				}
				Cuts ingressCuts = sides.cuts(true, receiver);
				List<Span> senders = spans(blocks.get(sender), ingressCuts.ranges());
				for (Probe probe : probes(egressCuts, ingressCuts)) {
					for (boolean ipv4 : List.of(true, false)) {
						if ((probe.protocol() == ICMP && !ipv4) || (probe.protocol() == ICMPV6 && ipv4)) {
							continue;
						}
						Change egress = change(sides, false, sender, receiver, family(receivers, ipv4), probe);
						if (!opens(egress, egressFirst)) {
							continue;
						}
						Change ingress = change(sides, true, receiver, sender, family(senders, ipv4), probe);
						if (egressFirst && !ingress.narrowing().isEmpty()) {
							risks.add(new Risk(sender, receiver, ipv4, probe, ingress.narrowing(), egress.widening()));
						}
						if (!egressFirst && !ingress.widening().isEmpty()) {
							risks.add(new Risk(sender, receiver, ipv4, probe, ingress.widening(), egress.narrowing()));
						}
					}
				}
			}
		}
		return risks;
	}

	/** Whether the egress change is the half that matters for this order. */
	private static boolean opens(Change egress, boolean egressFirst) {
		return !(egressFirst ? egress.widening() : egress.narrowing()).isEmpty();
	}

	private static String describe(Risk risk, String opens, String closes) {
		return "from group " + risk.sender() + " to group " + risk.receiver() + " (" + risk.probe() + ") " + opens
				+ " goes from deny to allow while " + closes + " goes from allow to deny";
	}

	/** Where a side goes from allow to deny, and where from deny to allow. */
	private record Change(List<Span> narrowing, List<Span> widening) {
	}

	private static Change change(Sides sides, boolean ingress, String group, String peerGroup, List<Span> peers,
			Probe probe) {
		List<Span> narrowing = new ArrayList<>();
		List<Span> widening = new ArrayList<>();
		for (Span span : peers) {
			boolean before = sides.allows(false, ingress, group, peerGroup, span.lower(), probe);
			boolean after = sides.allows(true, ingress, group, peerGroup, span.lower(), probe);
			if (before && !after) {
				narrowing.add(span);
			}
			if (!before && after) {
				widening.add(span);
			}
		}
		return new Change(narrowing, widening);
	}

	private static List<Span> family(List<Span> spans, boolean ipv4) {
		return spans.stream().filter(a -> a.lower() == null || a.lower().isIPv4() == ipv4).toList();
	}

	/**
	 * A group's addresses cut where one of {@code ranges} starts or ends: within a span,
	 * every range holds all addresses or none. A group without blocks has one span of
	 * nulls.
	 */
	static List<Span> spans(List<IPAddress> cidrs, Collection<IPAddress> ranges) {
		List<Span> list = new ArrayList<>();
		for (IPAddress cidr : cidrs) {
			IPAddress block = cidr.toPrefixBlock();
			IPAddress last = block.getUpper().withoutPrefixLength();
			TreeSet<IPAddress> cuts = new TreeSet<>(List.of(block.getLower().withoutPrefixLength()));
			for (IPAddress range : ranges) {
				IPAddress r = range.toPrefixBlock();
				if (r.getIPVersion() != block.getIPVersion()) {
					continue;
				}
				IPAddress start = r.getLower().withoutPrefixLength();
				if (block.contains(start)) {
					cuts.add(start);
				}
				IPAddress end = r.getUpper().withoutPrefixLength();
				if (!end.equals(last) && block.contains(end)) {
					cuts.add(end.increment(1));
				}
			}
			List<IPAddress> starts = new ArrayList<>(cuts);
			for (int i = 0; i < starts.size(); i++) {
				list.add(new Span(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1).increment(-1) : last));
			}
		}
		if (list.isEmpty()) {
			list.add(new Span(null, null));
		}
		return list;
	}

	/**
	 * Representative services of two sides' rules: every protocol they name, TCP, UDP,
	 * ICMP, ICMPv6 and one protocol no rule names (it stands for all of those); for TCP,
	 * UDP and SCTP the runs of ports between the places where a port range starts or
	 * ends.
	 */
	static List<Probe> probes(Cuts one, Cuts other) {
		Set<Integer> all = new TreeSet<>(one.protocols());
		all.addAll(other.protocols());
		int unnamed = 253;
		while (all.contains(unnamed)) {
			unnamed--;
		}
		all.addAll(List.of(TCP, UDP, ICMP, ICMPV6, unnamed));
		List<Probe> probes = new ArrayList<>();
		for (int protocol : all) {
			if (protocol == TCP || protocol == UDP || protocol == SCTP) {
				TreeSet<Integer> ports = new TreeSet<>(List.of(0));
				for (Cuts cuts : List.of(one, other)) {
					for (int[] range : cuts.ports().getOrDefault(protocol, List.of())) {
						ports.add(range[0]);
						if (range[1] < 65535) {
							ports.add(range[1] + 1);
						}
					}
				}
				List<Integer> starts = new ArrayList<>(ports);
				for (int i = 0; i < starts.size(); i++) {
					probes.add(new Probe(protocol, starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) - 1 : 65535,
							false));
				}
			}
			else {
				probes.add(new Probe(protocol, -1, -1, protocol == unnamed));
			}
		}
		return probes;
	}

}
