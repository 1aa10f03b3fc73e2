package dev.polyfence.translate;

import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes services as one line of ints so that sets of them are {@link IntervalSet}s: key
 * = protocol * 65536 + detail, where detail is the destination port for TCP/UDP, type *
 * 256 + code for ICMP/ICMPv6, and unused (always the whole 0-65535 block) for every other
 * protocol.
 */
public final class ServiceSpace {

	public static final int BLOCK = 65536;

	public static final int PROTOCOLS = 256;

	public static final IntervalSet ALL = IntervalSet.of(0, PROTOCOLS * BLOCK - 1);

	/** Past this many pieces, {@link #describe} says what is left out instead. */
	private static final int DESCRIBED_MAX = 6;

	private ServiceSpace() {
	}

	/**
	 * A run of one protocol's keys: ports lo-hi, or (type*256+code) lo-hi, or the whole
	 * block.
	 */
	public record Piece(int protocol, int low, int high) {
		public boolean isWholeProtocol() {
			return low == 0 && high == BLOCK - 1;
		}
	}

	public static IntervalSet protocol(int protocol) {
		return IntervalSet.of(protocol * BLOCK, protocol * BLOCK + BLOCK - 1);
	}

	/** The services a rule matches; an empty list means all traffic. */
	public static IntervalSet of(List<Service> services) {
		if (services.isEmpty()) {
			return ALL;
		}
		IntervalSet set = IntervalSet.EMPTY;
		for (Service service : services) {
			set = set.union(of(service));
		}
		return set;
	}

	public static IntervalSet of(Service service) {
		if (service.protocol().isAny()) {
			return ALL;
		}
		int base = service.protocol().number() * BLOCK;
		if (service.protocol().hasPorts() && !service.ports().isEmpty()) {
			IntervalSet set = IntervalSet.EMPTY;
			for (PortRange range : service.ports()) {
				set = set.union(IntervalSet.of(base + range.from(), base + range.to()));
			}
			return set;
		}
		if (service.protocol().isIcmp() && service.icmpType() != null) {
			int type = service.icmpType() * 256;
			return service.icmpCode() == null ? IntervalSet.of(base + type, base + type + 255)
					: IntervalSet.of(base + type + service.icmpCode(), base + type + service.icmpCode());
		}
		return protocol(service.protocol().number());
	}

	/** Splits a set into per-protocol pieces, in key order. */
	public static List<Piece> pieces(IntervalSet set) {
		List<Piece> pieces = new ArrayList<>();
		for (int i = 0; i < set.size(); i++) {
			pieces.addAll(pieces(set.low(i), set.high(i)));
		}
		return pieces;
	}

	public static List<Piece> pieces(int low, int high) {
		List<Piece> pieces = new ArrayList<>();
		for (int p = low / BLOCK; p <= high / BLOCK; p++) {
			int lo = Math.max(low, p * BLOCK) - p * BLOCK;
			int hi = Math.min(high, p * BLOCK + BLOCK - 1) - p * BLOCK;
			pieces.add(new Piece(p, lo, hi));
		}
		return pieces;
	}

	/** A set of services for people: "tcp 1024-65535, udp 53, icmp, protocol 47". */
	public static String describe(IntervalSet set) {
		if (set.equals(ALL)) {
			return "all traffic";
		}
		List<Piece> pieces = pieces(set);
		if (pieces.size() > DESCRIBED_MAX) {
			IntervalSet rest = ALL.subtract(set);
			return pieces(rest).size() <= DESCRIBED_MAX ? "all traffic except " + describe(rest)
					: pieces.size() + " protocols or port ranges";
		}
		List<String> parts = new ArrayList<>();
		for (Piece piece : pieces) {
			int p = piece.protocol();
			String name = switch (p) {
				case 6 -> "tcp";
				case 17 -> "udp";
				case 1 -> "icmp";
				case 58 -> "icmpv6";
				default -> "protocol " + p;
			};
			if (piece.isWholeProtocol() || !hasDetail(p)) {
				parts.add(name);
			}
			else if (p == 6 || p == 17) {
				parts.add(name + " " + piece.low() + (piece.low() == piece.high() ? "" : "-" + piece.high()));
			}
			else {
				parts.add(name + " types " + piece.low() / 256
						+ (piece.low() / 256 == piece.high() / 256 ? "" : "-" + piece.high() / 256));
			}
		}
		return String.join(", ", parts);
	}

	/** True for the protocols whose detail is meaningful: TCP, UDP, ICMP, ICMPv6. */
	public static boolean hasDetail(int protocol) {
		return protocol == 6 || protocol == 17 || protocol == 1 || protocol == 58;
	}

}
