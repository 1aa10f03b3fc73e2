package dev.polyfence.plan.aws;

import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.aws.NetworkAclEntry;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The packets that a set of network ACL entries or security group rules can tell apart,
 * cut into cells on which no entry or rule changes its match: the elementary address
 * intervals of each family that their blocks make, crossed with each peer they name by
 * security group (a workload of that group, at its bound addresses) or none (any other
 * sender, at any other address), and with the elementary intervals of the service line
 * ({@link ServiceSpace}: protocol, then port, or ICMP type and code). Judging a list of
 * entries or rules on one packet per cell judges it on every packet. Only cells inside a
 * focus (what changes) are kept. Matching follows {@code verify.AwsEvaluator}.
 */
final class PacketCells {

	private static final int ALL = -1;

	/**
	 * What one entry or rule matches: a peer security group (null: by address only), an
	 * address family and interval (family null: any address of either family), and
	 * services on the line of {@link ServiceSpace}.
	 */
	record Box(String peer, Boolean ipv6, BigInteger low, BigInteger high, IntervalSet services) {

		boolean matches(Packet p) {
			if (peer != null && !peer.equals(p.peer())) {
				return false;
			}
			if (ipv6 != null
					&& (ipv6 != p.ipv6() || p.address().compareTo(low) < 0 || p.address().compareTo(high) > 0)) {
				return false;
			}
			return services.contains(p.service());
		}
	}

	private record Packet(String peer, boolean ipv6, BigInteger address, int service) {
	}

	/** More cells than the caller can afford. */
	static final class TooMany extends RuntimeException {

		TooMany() {
			super(null, null, false, false);
		}

	}

	private final List<Packet> packets = new ArrayList<>();

	private final Map<Box, BitSet> matching = new HashMap<>();

	/**
	 * @param boxes what every list judged later may hold
	 * @param focus the boxes whose packets can change decision (those of the entries or
	 * rules that change); cells outside all of them are left out
	 * @param peerAddresses where the workloads of a peer security group live, by its
	 * name; a peer not here may have any address
	 * @param limit the most cells wanted
	 * @throws TooMany when there would be more
	 */
	PacketCells(Collection<Box> boxes, Collection<Box> focus, Map<String, List<IPAddress>> peerAddresses, int limit) {
		List<String> peers = new ArrayList<>();
		peers.add(null);
		boxes.stream().map(Box::peer).filter(p -> p != null && !peers.contains(p)).sorted().forEach(peers::add);
		Map<Boolean, TreeSet<BigInteger>> addresses = new HashMap<>();
		Map<Boolean, TreeSet<Integer>> services = new HashMap<>();
		for (boolean ipv6 : new boolean[] { false, true }) {
			BigInteger max = BigInteger.ONE.shiftLeft(ipv6 ? 128 : 32).subtract(BigInteger.ONE);
			TreeSet<BigInteger> points = new TreeSet<>(List.of(BigInteger.ZERO));
			TreeSet<Integer> line = new TreeSet<>(List.of(0));
			for (Box b : boxes) {
				if (b.ipv6() == null || b.ipv6() == ipv6) {
					for (int i = 0; i < b.services().size(); i++) {
						line.add(b.services().low(i));
						line.add(b.services().high(i) + 1);
					}
				}
				if (b.ipv6() != null && b.ipv6() == ipv6) {
					interval(points, b.low(), b.high(), max);
				}
			}
			for (String peer : peers) {
				for (IPAddress block : peer == null ? List.<IPAddress>of()
						: peerAddresses.getOrDefault(peer, List.of())) {
					if (block.isIPv6() == ipv6) {
						interval(points, block.getValue(), block.getUpperValue(), max);
					}
				}
			}
			line.remove(ServiceSpace.PROTOCOLS * ServiceSpace.BLOCK);
			addresses.put(ipv6, points);
			services.put(ipv6, line);
		}
		// An address where a named peer's workloads live is one of them: other senders
		// are not there.
		List<IPAddress> workloads = new ArrayList<>();
		peers.stream().filter(p -> p != null).forEach(p -> workloads.addAll(peerAddresses.getOrDefault(p, List.of())));
		LinkedHashSet<Packet> cells = new LinkedHashSet<>();
		for (Box f : focus) {
			Cancellation.check();
			for (String peer : f.peer() != null ? List.of(f.peer()) : peers) {
				List<IPAddress> where = peer == null ? null : peerAddresses.get(peer);
				for (boolean ipv6 : f.ipv6() != null ? new boolean[] { f.ipv6() } : new boolean[] { false, true }) {
					TreeSet<BigInteger> points = addresses.get(ipv6);
					for (BigInteger address : f.ipv6() != null ? points.subSet(f.low(), true, f.high(), true)
							: points) {
						if (where != null ? !inside(where, ipv6, address) : inside(workloads, ipv6, address)) {
							continue;
						}
						for (int i = 0; i < f.services().size(); i++) {
							for (int service : services.get(ipv6)
								.subSet(f.services().low(i), true, f.services().high(i), true)) {
								cells.add(new Packet(peer, ipv6, address, service));
								if (cells.size() > limit) {
									throw new TooMany();
								}
							}
						}
					}
				}
			}
		}
		packets.addAll(cells);
	}

	private static boolean inside(List<IPAddress> blocks, boolean ipv6, BigInteger address) {
		return blocks.stream()
			.anyMatch(b -> b.isIPv6() == ipv6 && b.getValue().compareTo(address) <= 0
					&& b.getUpperValue().compareTo(address) >= 0);
	}

	private static void interval(TreeSet<BigInteger> points, BigInteger low, BigInteger high, BigInteger max) {
		points.add(low);
		if (high.compareTo(max) < 0) {
			points.add(high.add(BigInteger.ONE));
		}
	}

	/** A network ACL entry as what it matches. */
	static Box of(NetworkAclEntry e) {
		boolean ipv6 = e.isIpv6();
		IPAddress block = new IPAddressString(ipv6 ? e.ipv6CidrBlock() : e.cidrBlock()).getAddress().toPrefixBlock();
		int protocol = Integer.parseInt(e.protocol());
		// ICMP types and codes apply to protocol 1, and to 58 only with an IPv6 block;
		// an entry without them (as some emulators return it) matches every type.
		boolean typed = (protocol == 1 || (protocol == 58 && ipv6)) && e.icmpTypeCode() != null;
		IntervalSet services = services(protocol, e.portRange() == null ? null : e.portRange().from(),
				e.portRange() == null ? null : e.portRange().to(), typed ? e.icmpTypeCode().type() : null,
				typed ? e.icmpTypeCode().code() : null);
		return new Box(null, ipv6, block.getValue(), block.getUpperValue(), services);
	}

	/** A security group rule as what it matches. */
	static Box of(SgRuleKey k) {
		int protocol = switch (k.protocol()) {
			case "-1" -> ALL;
			case "tcp" -> 6;
			case "udp" -> 17;
			case "icmp" -> 1;
			case "icmpv6" -> 58;
			default -> Integer.parseInt(k.protocol());
		};
		boolean icmp = protocol == 1 || protocol == 58;
		IntervalSet services = services(protocol, icmp ? null : k.fromPort(), icmp ? null : k.toPort(),
				icmp ? k.fromPort() : null, icmp ? k.toPort() : null);
		String cidr = k.cidrIpv4() != null ? k.cidrIpv4() : k.cidrIpv6();
		IPAddress block = cidr == null ? null : new IPAddressString(cidr).getAddress().toPrefixBlock();
		return new Box(k.groupName(), block == null ? null : block.isIPv6(), block == null ? null : block.getValue(),
				block == null ? null : block.getUpperValue(), services);
	}

	/**
	 * Ports for TCP and UDP; type and code (null or -1: all) for ICMP; otherwise the
	 * whole protocol.
	 */
	private static IntervalSet services(int protocol, Integer from, Integer to, Integer type, Integer code) {
		if (protocol == ALL) {
			return ServiceSpace.ALL;
		}
		int base = protocol * ServiceSpace.BLOCK;
		if ((protocol == 6 || protocol == 17) && from != null && to != null) {
			return IntervalSet.of(base + from, base + to);
		}
		if (type != null && type != ALL) {
			return code == null || code == ALL ? IntervalSet.of(base + type * 256, base + type * 256 + 255)
					: IntervalSet.of(base + type * 256 + code, base + type * 256 + code);
		}
		return ServiceSpace.protocol(protocol);
	}

	int size() {
		return packets.size();
	}

	/** One packet of a cell in words, such as "tcp port 22, peer 10.20.1.0". */
	String describe(int cell) {
		Packet p = packets.get(cell);
		int protocol = p.service() / ServiceSpace.BLOCK;
		int detail = p.service() % ServiceSpace.BLOCK;
		String service = switch (protocol) {
			case 6 -> "tcp port " + detail;
			case 17 -> "udp port " + detail;
			case 1, 58 -> (protocol == 1 ? "icmp" : "icmpv6") + " type " + detail / 256 + " code " + detail % 256;
			default -> "protocol " + protocol;
		};
		String address = p.ipv6() ? new inet.ipaddr.ipv6.IPv6Address(p.address()).toCanonicalString()
				: new inet.ipaddr.ipv4.IPv4Address(p.address().intValue()).toCanonicalString();
		return service + ", peer " + address + (p.peer() == null ? "" : " of " + p.peer());
	}

	/** The cells a box matches. */
	BitSet matching(Box box) {
		return matching.computeIfAbsent(box, b -> {
			BitSet bits = new BitSet(packets.size());
			for (int i = 0; i < packets.size(); i++) {
				if (b.matches(packets.get(i))) {
					bits.set(i);
				}
			}
			return bits;
		});
	}

}
