package dev.polyfence.translate.aws;

import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Flattener.Cell;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.PeerSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.aws.IpPermission.IpRange;
import dev.polyfence.translate.aws.IpPermission.Ipv6Range;
import dev.polyfence.translate.aws.IpPermission.UserIdGroupPair;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns the allowed cells of one group and direction into EC2 {@code IpPermission}s with few rules.
 *
 * <p>Each peer (a CIDR block, or a security group) gets every service for which it is wholly
 * allowed; a peer whose services are covered by a wider peer is dropped; peers with the same
 * protocol and port range share one permission. A bound group that a rule names as a peer is
 * emitted as a security-group reference where its addresses are wholly allowed.
 */
final class SecurityGroupRules {

	private static final Comparator<IPAddress> ADDRESS_ORDER = Comparator.comparing((IPAddress a) -> !a.isIPv4())
		.thenComparing(inet.ipaddr.Address.ADDRESS_LOW_VALUE_COMPARATOR::compare)
		.thenComparing(inet.ipaddr.Address.ADDRESS_HIGH_VALUE_COMPARATOR::compare);

	private final Function<String, String> securityGroupName;

	/** Groups eligible for references: bound, and named as a peer by an allow rule of this list. */
	private final Map<String, AddressSet> referable;

	SecurityGroupRules(Function<String, String> securityGroupName, Map<String, AddressSet> referable) {
		this.securityGroupName = securityGroupName;
		this.referable = referable;
	}

	/** A peer as emitted: a CIDR block, a reference to a bound group, or a reference to an unbound group. */
	private record Token(IPAddress block, String group, boolean bound) {

		AddressSet addresses(Map<String, AddressSet> referable) {
			return block != null ? AddressSet.of(block) : bound ? referable.get(group) : AddressSet.EMPTY;
		}

		int kindOrder() {
			return block != null ? 1 : 0;
		}
	}

	List<IpPermission> permissions(List<Cell> cells) {
		Map<Token, IntervalSet> coverage = new LinkedHashMap<>();
		for (Cell cell : cells) {
			for (Token token : tokensOf(cell.peers())) {
				coverage.putIfAbsent(token, IntervalSet.EMPTY);
			}
		}
		for (Map.Entry<Token, IntervalSet> entry : coverage.entrySet()) {
			IntervalSet covered = IntervalSet.EMPTY;
			for (Cell cell : cells) {
				if (covers(cell.peers(), entry.getKey())) {
					covered = covered.union(IntervalSet.of(cell.low(), cell.high()));
				}
			}
			entry.setValue(covered);
		}
		List<Token> kept = withoutDominated(coverage);
		return emit(kept, coverage);
	}

	private List<Token> tokensOf(PeerSet peers) {
		List<Token> tokens = new ArrayList<>();
		for (IPAddress block : peers.addresses().prefixBlocks()) {
			tokens.add(new Token(block, null, false));
		}
		boolean everyAddress = peers.addresses().containsAll(AddressSet.ALL);
		if (!everyAddress) {
			for (String label : peers.labels()) {
				tokens.add(new Token(null, label, false));
			}
		}
		referable.forEach((group, addresses) -> {
			if (peers.addresses().containsAll(addresses)) {
				tokens.add(new Token(null, group, true));
			}
		});
		return tokens;
	}

	private boolean covers(PeerSet peers, Token token) {
		if (token.block() != null) {
			return peers.addresses().containsAll(AddressSet.of(token.block()));
		}
		if (!token.bound()) {
			return peers.labels().contains(token.group()) || peers.addresses().containsAll(AddressSet.ALL);
		}
		return peers.addresses().containsAll(referable.get(token.group()));
	}

	/**
	 * Drops a token when another one holds all its peers for all its services. When two hold each
	 * other, the group reference wins over the block (the spec's "a group peer becomes a reference").
	 */
	private List<Token> withoutDominated(Map<Token, IntervalSet> coverage) {
		List<Token> tokens = new ArrayList<>(coverage.keySet());
		List<Token> kept = new ArrayList<>();
		for (Token t : tokens) {
			boolean dominated = false;
			for (Token other : tokens) {
				if (other.equals(t) || !coverage.get(other).containsAll(coverage.get(t)) || !holds(other, t)) {
					continue;
				}
				boolean mutual = holds(t, other) && coverage.get(t).containsAll(coverage.get(other));
				if (!mutual || other.kindOrder() < t.kindOrder()) {
					dominated = true;
					break;
				}
			}
			if (!dominated) {
				kept.add(t);
			}
		}
		return kept;
	}

	/** Whether every peer that {@code inner} matches is matched by {@code outer}. */
	private boolean holds(Token outer, Token inner) {
		if (!inner.bound() && inner.block() == null) {
			return outer.equals(inner) || outer.addresses(referable).containsAll(AddressSet.ALL);
		}
		AddressSet innerAddresses = inner.addresses(referable);
		return !innerAddresses.isEmpty() && outer.addresses(referable).containsAll(innerAddresses);
	}

	private record Key(int protocol, Integer from, Integer to) {
	}

	private List<IpPermission> emit(List<Token> tokens, Map<Token, IntervalSet> coverage) {
		Map<Key, List<Token>> byKey = new TreeMap<>(Comparator.comparingInt(Key::protocol)
			.thenComparing(Key::from, Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing(Key::to, Comparator.nullsFirst(Comparator.naturalOrder())));
		for (Token token : tokens) {
			IntervalSet covered = coverage.get(token);
			for (int i = 0; i < covered.size(); i++) {
				for (Key key : keys(covered.low(i), covered.high(i))) {
					byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(token);
				}
			}
		}
		List<IpPermission> permissions = new ArrayList<>();
		byKey.forEach((key, peers) -> {
			IpPermission p = permission(key, peers);
			if (!p.ipRanges().isEmpty() || !p.ipv6Ranges().isEmpty() || !p.userIdGroupPairs().isEmpty()) {
				permissions.add(p);
			}
		});
		return permissions;
	}

	/** The permission keys that express keys {@code low..high} of the service space. */
	private static List<Key> keys(int low, int high) {
		if (low == ServiceSpace.ALL.low(0) && high == ServiceSpace.ALL.high(0)) {
			return List.of(new Key(-1, null, null));
		}
		List<Key> keys = new ArrayList<>();
		for (ServiceSpace.Piece piece : ServiceSpace.pieces(low, high)) {
			int p = piece.protocol();
			if (p == 6 || p == 17) {
				keys.add(new Key(p, piece.low(), piece.high()));
			}
			else if (p == 1 || p == 58) {
				keys.addAll(icmpKeys(p, piece));
			}
			else {
				keys.add(new Key(p, null, null));
			}
		}
		return keys;
	}

	/** ICMP keys: FromPort is the type and ToPort the code, -1 meaning all. */
	private static List<Key> icmpKeys(int protocol, ServiceSpace.Piece piece) {
		if (piece.isWholeProtocol()) {
			return List.of(new Key(protocol, -1, -1));
		}
		List<Key> keys = new ArrayList<>();
		for (int type = piece.low() / 256; type <= piece.high() / 256; type++) {
			int first = Math.max(piece.low(), type * 256) - type * 256;
			int last = Math.min(piece.high(), type * 256 + 255) - type * 256;
			if (first == 0 && last == 255) {
				keys.add(new Key(protocol, type, -1));
			}
			else {
				for (int code = first; code <= last; code++) {
					keys.add(new Key(protocol, type, code));
				}
			}
		}
		return keys;
	}

	private IpPermission permission(Key key, List<Token> peers) {
		List<IpRange> v4 = new ArrayList<>();
		List<Ipv6Range> v6 = new ArrayList<>();
		List<UserIdGroupPair> groups = new ArrayList<>();
		peers.stream().filter(t -> t.block() != null).sorted(Comparator.comparing(Token::block, ADDRESS_ORDER)).forEach(t -> {
			boolean ipv4 = t.block().isIPv4();
			if (ipv4 && key.protocol() != 58) {
				v4.add(new IpRange(AddressSet.cidr(t.block())));
			}
			else if (!ipv4 && key.protocol() != 1) {
				v6.add(new Ipv6Range(AddressSet.cidr(t.block())));
			}
		});
		peers.stream().filter(t -> t.block() == null).map(t -> securityGroupName.apply(t.group())).distinct().sorted()
			.forEach(name -> groups.add(new UserIdGroupPair(null, name)));
		return new IpPermission(protocolName(key.protocol()), key.from(), key.to(), v4, v6, groups);
	}

	static String protocolName(int protocol) {
		return switch (protocol) {
			case -1 -> "-1";
			case 6 -> "tcp";
			case 17 -> "udp";
			case 1 -> "icmp";
			case 58 -> "icmpv6";
			default -> Integer.toString(protocol);
		};
	}
}
