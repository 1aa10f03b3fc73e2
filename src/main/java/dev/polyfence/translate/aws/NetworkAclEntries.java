package dev.polyfence.translate.aws;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Protocol;
import dev.polyfence.policy.Service;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.aws.NetworkAclEntry.IcmpTypeCode;
import dev.polyfence.translate.aws.NetworkAclEntry.Ports;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The entries of one direction of a group's network ACL, built in evaluation order and
 * numbered at the end. A stateless ACL must let replies through, so it starts with the
 * return entries for every request the other direction allows (to or from the peer, on
 * the ephemeral ports for TCP and UDP); then come the policy's rules of this direction at
 * address granularity, then the default. The return entries come first so that no deny
 * can cut a reply off; the security group, which is exact, still holds every deny for new
 * connections.
 */
final class NetworkAclEntries {

	/**
	 * A protocol and what the entry narrows it to: ports for 6/17, ICMP type and code for
	 * 1/58.
	 */
	record Match(int protocol, PortRange ports, Integer icmpType, Integer icmpCode) {

		static final Match ALL = new Match(-1, null, null, null);

		boolean fits(IPAddress block) {
			return protocol != 1 && protocol != 58 || (protocol == 1) == block.isIPv4();
		}
	}

	private record Pending(Match match, boolean allow, IPAddress block, IntervalSet services, boolean ipv4,
			java.math.BigInteger low, java.math.BigInteger high) {

		Pending(Match match, boolean allow, IPAddress block) {
			this(match, allow, block, NetworkAclEntries.services(match), block.isIPv4(), block.getValue(),
					block.getUpperValue());
		}

		boolean holds(Pending other) {
			return ipv4 == other.ipv4 && low.compareTo(other.low) <= 0 && high.compareTo(other.high) >= 0;
		}
	}

	private final boolean egress;

	private final List<Pending> pending = new ArrayList<>();

	NetworkAclEntries(boolean egress) {
		this.egress = egress;
	}

	/**
	 * Return entries for the requests that the other direction may allow: the peers and
	 * services of its allow rules and of its default when that allows. This holds every
	 * allowed request (it is wider only where an earlier deny took part of an allow rule,
	 * which the security group still enforces), and stays as compact as the rules
	 * themselves. All protocols to an address collapse into one "-1" entry; TCP and UDP
	 * get the ephemeral range; ICMP all types.
	 */
	void addReplies(List<AddressSet> peers, List<IntervalSet> services, PortRange ephemeral) {
		AddressSet everyProtocol = AddressSet.EMPTY;
		Map<Integer, AddressSet> byProtocol = new TreeMap<>();
		for (int i = 0; i < peers.size(); i++) {
			if (services.get(i).equals(ServiceSpace.ALL)) {
				everyProtocol = everyProtocol.union(peers.get(i));
				continue;
			}
			for (ServiceSpace.Piece piece : ServiceSpace.pieces(services.get(i))) {
				byProtocol.merge(piece.protocol(), peers.get(i), AddressSet::union);
			}
		}
		add(Match.ALL, true, everyProtocol);
		for (Map.Entry<Integer, AddressSet> e : byProtocol.entrySet()) {
			int p = e.getKey();
			AddressSet rest = e.getValue().subtract(everyProtocol);
			Match match = p == 6 || p == 17 ? new Match(p, ephemeral, null, null)
					: p == 1 || p == 58 ? new Match(p, null, -1, -1) : new Match(p, null, null, null);
			add(match, true, rest);
		}
	}

	/**
	 * Entries for one policy rule: every block of its peers with every service it names.
	 */
	void addRule(Action action, AddressSet peers, List<Service> services) {
		for (Match match : matches(services)) {
			add(match, action == Action.ALLOW, peers);
		}
	}

	void addDefault(Action action) {
		if (action == Action.ALLOW) {
			add(Match.ALL, true, AddressSet.ALL);
		}
	}

	private void add(Match match, boolean allow, AddressSet peers) {
		for (IPAddress block : peers.prefixBlocks()) {
			if (match.fits(block)) {
				pending.add(new Pending(match, allow, block));
			}
		}
	}

	/** The services of a rule as ACL matches, TCP/UDP port ranges merged. */
	static List<Match> matches(List<Service> services) {
		if (services.isEmpty()) {
			return List.of(Match.ALL);
		}
		List<Match> matches = new ArrayList<>();
		Map<Integer, IntervalSet> ports = new TreeMap<>();
		for (Service s : services) {
			Protocol p = s.protocol();
			if (p.isAny()) {
				return List.of(Match.ALL);
			}
			if (p.hasPorts()) {
				IntervalSet set = s.ports().isEmpty() ? IntervalSet.of(0, PortRange.MAX) : IntervalSet.EMPTY;
				for (PortRange r : s.ports()) {
					set = set.union(IntervalSet.of(r.from(), r.to()));
				}
				ports.merge(p.number(), set, IntervalSet::union);
			}
			else if (p.isIcmp()) {
				Match m = new Match(p.number(), null, s.icmpType() == null ? -1 : s.icmpType(),
						s.icmpCode() == null ? -1 : s.icmpCode());
				if (!matches.contains(m)) {
					matches.add(m);
				}
			}
			else {
				Match m = new Match(p.number(), null, null, null);
				if (!matches.contains(m)) {
					matches.add(m);
				}
			}
		}
		ports.forEach((protocol, set) -> {
			for (int i = 0; i < set.size(); i++) {
				matches.add(new Match(protocol, new PortRange(set.low(i), set.high(i)), null, null));
			}
		});
		return matches;
	}

	/**
	 * Drops entries that change nothing: one wholly covered by an earlier entry never
	 * matches, and one wholly covered by a later entry of the same action, with no entry
	 * of the other action overlapping it in between, decides nothing that entry would not
	 * decide the same way.
	 */
	void compact() {
		for (int j = pending.size() - 1; j > 0; j--) {
			for (int i = 0; i < j; i++) {
				if (covers(pending.get(i), pending.get(j))) {
					pending.remove(j);
					break;
				}
			}
		}
		for (int i = pending.size() - 2; i >= 0; i--) {
			Pending entry = pending.get(i);
			for (int j = i + 1; j < pending.size(); j++) {
				Pending later = pending.get(j);
				if (later.allow() != entry.allow()) {
					if (overlaps(later, entry)) {
						break;
					}
				}
				else if (covers(later, entry)) {
					pending.remove(i);
					break;
				}
			}
		}
	}

	private static boolean covers(Pending outer, Pending inner) {
		return outer.services().containsAll(inner.services()) && outer.holds(inner);
	}

	/** Two prefix blocks overlap only when one holds the other. */
	private static boolean overlaps(Pending a, Pending b) {
		return a.services().intersects(b.services()) && (a.holds(b) || b.holds(a));
	}

	/** The service keys an entry matches, on the line of {@link ServiceSpace}. */
	private static IntervalSet services(Match m) {
		if (m.protocol() == -1) {
			return ServiceSpace.ALL;
		}
		int base = m.protocol() * ServiceSpace.BLOCK;
		if (m.ports() != null) {
			return IntervalSet.of(base + m.ports().from(), base + m.ports().to());
		}
		if (m.icmpType() != null && m.icmpType() >= 0) {
			int type = base + m.icmpType() * 256;
			return m.icmpCode() < 0 ? IntervalSet.of(type, type + 255)
					: IntervalSet.of(type + m.icmpCode(), type + m.icmpCode());
		}
		return ServiceSpace.protocol(m.protocol());
	}

	int size() {
		return pending.size();
	}

	long count(boolean ipv6) {
		return pending.stream().filter(p -> p.block().isIPv4() != ipv6).count();
	}

	/** The entries numbered from {@code first} in steps of {@code step}. */
	List<NetworkAclEntry> numbered(int first, int step) {
		List<NetworkAclEntry> entries = new ArrayList<>();
		int number = first;
		for (Pending p : pending) {
			Match m = p.match();
			String cidr = AddressSet.cidr(p.block());
			boolean v4 = p.block().isIPv4();
			Ports ports = m.ports() == null ? null : new Ports(m.ports().from(), m.ports().to());
			IcmpTypeCode icmp = m.icmpType() == null ? null : new IcmpTypeCode(m.icmpType(), m.icmpCode());
			entries.add(new NetworkAclEntry(number, Integer.toString(m.protocol()), p.allow() ? "allow" : "deny",
					egress, v4 ? cidr : null, v4 ? null : cidr, ports, icmp));
			number += step;
		}
		return entries;
	}

}
