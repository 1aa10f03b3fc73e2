package dev.polyfence.translate.aws;

import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.aws.NetworkAclEntry.IcmpTypeCode;
import dev.polyfence.translate.aws.NetworkAclEntry.Ports;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of one direction of a group's network ACL, added in evaluation order and
 * numbered at the end. Each addition is a set of addresses and a set of services (see
 * {@link ServiceSpace}), written as one entry per CIDR block and per protocol with its
 * port range or ICMP type and code.
 */
final class NetworkAclEntries {

	/**
	 * A protocol and what the entry narrows it to: ports for 6/17, ICMP type and code for
	 * 1/58.
	 */
	record Match(int protocol, PortRange ports, Integer icmpType, Integer icmpCode) {

		static final Match ALL = new Match(-1, null, null, null);

		/**
		 * ICMP entries only for their own family (protocol 1 with IPv4, 58 with IPv6).
		 */
		boolean fits(boolean ipv4) {
			return protocol != 1 && protocol != 58 || (protocol == 1) == ipv4;
		}

		/** The service keys the entry matches, on the line of {@link ServiceSpace}. */
		IntervalSet services() {
			if (protocol == -1) {
				return ServiceSpace.ALL;
			}
			int base = protocol * ServiceSpace.BLOCK;
			if (ports != null) {
				return IntervalSet.of(base + ports.from(), base + ports.to());
			}
			if (icmpType != null && icmpType >= 0) {
				int type = base + icmpType * 256;
				return icmpCode < 0 ? IntervalSet.of(type, type + 255)
						: IntervalSet.of(type + icmpCode, type + icmpCode);
			}
			return ServiceSpace.protocol(protocol);
		}
	}

	private record Pending(Match match, boolean allow, IPAddress block, IntervalSet services, boolean ipv4,
			BigInteger low, BigInteger high) {

		Pending(Match match, boolean allow, IPAddress block) {
			this(match, allow, block, match.services(), block.isIPv4(), block.getValue(), block.getUpperValue());
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

	/** Entries that allow or deny {@code services} to or from {@code peers}. */
	void add(boolean allow, AddressSet peers, IntervalSet services) {
		List<Match> matches = matches(services);
		for (IPAddress block : peers.prefixBlocks()) {
			for (Match match : matches) {
				if (match.fits(block.isIPv4())) {
					pending.add(new Pending(match, allow, block));
				}
			}
		}
	}

	/** The closing entries: everything else passes (the security groups decide it). */
	void addAllowAll() {
		add(true, AddressSet.ALL, ServiceSpace.ALL);
	}

	/**
	 * How many entries of each family {@link #add} would write, without writing them:
	 * {@code [ipv4, ipv6]}.
	 */
	static long[] cost(AddressSet peers, IntervalSet services) {
		List<Match> matches = matches(services);
		long v4Matches = matches.stream().filter(m -> m.fits(true)).count();
		long v6Matches = matches.stream().filter(m -> m.fits(false)).count();
		long v4Blocks = 0;
		long v6Blocks = 0;
		for (IPAddress block : peers.prefixBlocks()) {
			if (block.isIPv4()) {
				v4Blocks++;
			}
			else {
				v6Blocks++;
			}
		}
		return new long[] { v4Blocks * v4Matches, v6Blocks * v6Matches };
	}

	/**
	 * A set of services as ACL matches: "-1" for everything, TCP/UDP port ranges, ICMP
	 * types (with one code, or all), other protocols whole.
	 */
	static List<Match> matches(IntervalSet services) {
		if (services.equals(ServiceSpace.ALL)) {
			return List.of(Match.ALL);
		}
		List<Match> matches = new ArrayList<>();
		for (ServiceSpace.Piece piece : ServiceSpace.pieces(services)) {
			int p = piece.protocol();
			if (p == 6 || p == 17) {
				matches.add(new Match(p, new PortRange(piece.low(), piece.high()), null, null));
			}
			else if ((p == 1 || p == 58) && !piece.isWholeProtocol()) {
				icmpMatches(p, piece, matches);
			}
			else if (p == 1 || p == 58) {
				matches.add(new Match(p, null, -1, -1));
			}
			else {
				matches.add(new Match(p, null, null, null));
			}
		}
		return matches;
	}

	private static void icmpMatches(int protocol, ServiceSpace.Piece piece, List<Match> matches) {
		for (int type = piece.low() / 256; type <= piece.high() / 256; type++) {
			int first = Math.max(piece.low(), type * 256) - type * 256;
			int last = Math.min(piece.high(), type * 256 + 255) - type * 256;
			if (first == 0 && last == 255) {
				matches.add(new Match(protocol, null, type, -1));
			}
			else {
				for (int code = first; code <= last; code++) {
					matches.add(new Match(protocol, null, type, code));
				}
			}
		}
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

	int size() {
		return pending.size();
	}

	long count(boolean ipv6) {
		return pending.stream().filter(p -> p.ipv4() != ipv6).count();
	}

	/** The entries numbered from {@code first} in steps of {@code step}. */
	List<NetworkAclEntry> numbered(int first, int step) {
		List<NetworkAclEntry> entries = new ArrayList<>();
		int number = first;
		for (Pending p : pending) {
			Match m = p.match();
			String cidr = AddressSet.cidr(p.block());
			Ports ports = m.ports() == null ? null : new Ports(m.ports().from(), m.ports().to());
			IcmpTypeCode icmp = m.icmpType() == null ? null : new IcmpTypeCode(m.icmpType(), m.icmpCode());
			entries.add(new NetworkAclEntry(number, Integer.toString(m.protocol()), p.allow() ? "allow" : "deny",
					egress, p.ipv4() ? cidr : null, p.ipv4() ? null : cidr, ports, icmp));
			number += step;
		}
		return entries;
	}

}
