package dev.polyfence.translate.aws;

import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
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
 * Turns the allowed cells of one group and direction into EC2 {@code IpPermission}s with
 * few rules.
 *
 * <p>
 * Each peer (a CIDR block, or a security group) gets every service for which it is wholly
 * allowed; a peer whose services are covered by a wider peer is dropped; peers with the
 * same protocol and port range share one permission. A bound group that a rule names as a
 * peer is emitted as a security-group reference where its addresses are wholly allowed.
 */
final class SecurityGroupRules {

	private static final Comparator<IPAddress> ADDRESS_ORDER = Comparator.comparing((IPAddress a) -> !a.isIPv4())
		.thenComparing(inet.ipaddr.Address.ADDRESS_LOW_VALUE_COMPARATOR::compare)
		.thenComparing(inet.ipaddr.Address.ADDRESS_HIGH_VALUE_COMPARATOR::compare);

	/** Address order with the wider of two blocks that start together first. */
	private static final Comparator<IPAddress> NESTING_ORDER = Comparator.comparing((IPAddress a) -> !a.isIPv4())
		.thenComparing(inet.ipaddr.Address.ADDRESS_LOW_VALUE_COMPARATOR::compare)
		.thenComparing(inet.ipaddr.Address.ADDRESS_HIGH_VALUE_COMPARATOR.reversed()::compare);

	private final Function<String, String> securityGroupName;

	/**
	 * Groups eligible for references: bound, and named as a peer by an allow rule of this
	 * list.
	 */
	private final Map<String, AddressSet> referable;

	/**
	 * Where workloads of groups known only by label are assumed to be; see
	 * {@link dev.polyfence.translate.PeerResolver#unboundRegion()}.
	 */
	private final AddressSet unboundRegion;

	SecurityGroupRules(Function<String, String> securityGroupName, Map<String, AddressSet> referable,
			AddressSet unboundRegion) {
		this.securityGroupName = securityGroupName;
		this.referable = referable;
		this.unboundRegion = unboundRegion;
	}

	/**
	 * A peer as emitted: a CIDR block, a reference to a bound group (with its addresses),
	 * or a reference to a group known only by label (no addresses).
	 */
	private static final class Token {

		private final IPAddress block;

		private final String group;

		private final AddressSet addresses;

		private final boolean everyAddress;

		/** A block's addresses, made when a comparison first needs them (rarely). */
		private AddressSet blockAddresses;

		private Token(IPAddress block, String group, AddressSet addresses, boolean everyAddress) {
			this.block = block;
			this.group = group;
			this.addresses = addresses;
			this.everyAddress = everyAddress;
		}

		static Token block(IPAddress block) {
			return new Token(block, null, null, false);
		}

		static Token reference(String group, AddressSet addresses, AddressSet unboundRegion) {
			return new Token(null, group, addresses, !unboundRegion.isEmpty() && addresses.containsAll(unboundRegion));
		}

		IPAddress block() {
			return block;
		}

		String group() {
			return group;
		}

		AddressSet addresses() {
			return addresses;
		}

		AddressSet addressSet() {
			if (addresses != null) {
				return addresses;
			}
			if (blockAddresses == null) {
				blockAddresses = AddressSet.of(block);
			}
			return blockAddresses;
		}

		boolean isLabel() {
			return block == null && addresses.isEmpty();
		}

		int kindOrder() {
			return block != null ? 1 : 0;
		}

		/** A token is its block or its group; the addresses follow from them. */
		@Override
		public boolean equals(Object o) {
			return o instanceof Token t && java.util.Objects.equals(block, t.block)
					&& java.util.Objects.equals(group, t.group);
		}

		@Override
		public int hashCode() {
			return java.util.Objects.hash(block, group);
		}

		/** Whether this token matches every peer that {@code inner} matches. */
		boolean holds(Token inner) {
			if (inner.isLabel()) {
				return equals(inner) || everyAddress;
			}
			if (isLabel()) {
				return false;
			}
			if (block != null && inner.block != null) {
				return block.isIPv4() == inner.block.isIPv4() && block.contains(inner.block);
			}
			return inner.block != null ? addresses.containsBlock(inner.block)
					: addressSet().containsAll(inner.addresses);
		}

	}

	/**
	 * A peer whose allowed services leave out part of TCP, UDP or ICMP but keep many
	 * other protocols would need one rule per protocol (up to 252). Past the default
	 * quota of rules per direction, where the exact result could never be applied, those
	 * other protocols are left out instead (the allow is narrowed, never widened) and the
	 * translator says so.
	 */
	static final int OTHER_PROTOCOL_RULES_MAX = AwsLimits.SG_RULES_PER_DIRECTION;

	private static final IntervalSet NAMED_PROTOCOLS = ServiceSpace.protocol(1)
		.union(ServiceSpace.protocol(6))
		.union(ServiceSpace.protocol(17))
		.union(ServiceSpace.protocol(58));

	private boolean narrowed;

	private boolean icmpNarrowed;

	/**
	 * Whether the last {@link #permissions} left out ICMP types or codes that would take
	 * more rules per peer than a quota holds (see {@link #withFewIcmpKeys}).
	 */
	boolean icmpNarrowed() {
		return icmpNarrowed;
	}

	/**
	 * A peer allowed all of ICMP but one code, say, would need one rule per other code
	 * and per other type (up to 510). Past {@link #OTHER_PROTOCOL_RULES_MAX} rules for
	 * one peer and ICMP family, which no quota could hold, the partly allowed types are
	 * left out, and then, if still too many, that ICMP family for that peer (the allow is
	 * narrowed, never widened).
	 */
	private IntervalSet withFewIcmpKeys(IntervalSet covered) {
		for (int protocol : new int[] { 1, 58 }) {
			IntervalSet whole = ServiceSpace.protocol(protocol);
			IntervalSet part = covered.intersect(whole);
			if (part.isEmpty() || part.equals(whole) || icmpKeyCount(part) <= OTHER_PROTOCOL_RULES_MAX) {
				continue;
			}
			icmpNarrowed = true;
			IntervalSet wholeTypes = IntervalSet.EMPTY;
			int base = protocol * ServiceSpace.BLOCK;
			for (int type = 0; type < 256; type++) {
				IntervalSet typeKeys = IntervalSet.of(base + type * 256, base + type * 256 + 255);
				if (part.containsAll(typeKeys)) {
					wholeTypes = wholeTypes.union(typeKeys);
				}
			}
			if (icmpKeyCount(wholeTypes) > OTHER_PROTOCOL_RULES_MAX) {
				wholeTypes = IntervalSet.EMPTY;
			}
			covered = covered.subtract(whole).union(wholeTypes);
		}
		return covered;
	}

	private static int icmpKeyCount(IntervalSet part) {
		int count = 0;
		for (int i = 0; i < part.size(); i++) {
			count += keys(part.low(i), part.high(i)).size();
		}
		return count;
	}

	/**
	 * Whether the last {@link #permissions} left out other protocols (see
	 * {@link #OTHER_PROTOCOL_RULES_MAX}).
	 */
	boolean narrowed() {
		return narrowed;
	}

	/**
	 * More rules than this in one direction and family can never be applied: rules per
	 * security group times security groups per interface may not exceed 1000. Source:
	 * Amazon VPC quotas, "Security groups"
	 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
	 */
	static final int ENTRIES_MAX = 1000;

	private long certainlyNeeded;

	/**
	 * When the last {@link #permissions} gave up because more than {@link #ENTRIES_MAX}
	 * rules were certainly needed: how many at least; 0 otherwise.
	 */
	long certainlyNeeded() {
		return certainlyNeeded;
	}

	/**
	 * The permissions for the allowed cells; none when more than {@link #ENTRIES_MAX}
	 * would certainly be needed (see {@link #certainlyNeeded()}), so that no input makes
	 * the translator work on a result that could never be applied.
	 */
	List<IpPermission> permissions(List<Cell> cells) {
		certainlyNeeded = lowerBound(cells);
		if (certainlyNeeded > ENTRIES_MAX) {
			return List.of();
		}
		certainlyNeeded = 0;
		Map<Token, IntervalSet> coverage = new LinkedHashMap<>();
		for (Cell cell : cells) {
			Cancellation.check();
			for (Token token : tokensOf(cell.peers())) {
				coverage.putIfAbsent(token, IntervalSet.EMPTY);
			}
		}
		blockCoverage(cells, coverage);
		for (Map.Entry<Token, IntervalSet> entry : coverage.entrySet()) {
			if (entry.getKey().block() != null) {
				continue;
			}
			Cancellation.check();
			IntervalSet covered = IntervalSet.EMPTY;
			for (Cell cell : cells) {
				if (covers(cell.peers(), entry.getKey())) {
					covered = covered.union(IntervalSet.of(cell.low(), cell.high()));
				}
			}
			entry.setValue(covered);
		}
		narrowed = false;
		icmpNarrowed = false;
		Map<IntervalSet, IntervalSet> expressible = new java.util.HashMap<>();
		coverage.replaceAll((token, covered) -> expressible.computeIfAbsent(covered, c -> {
			if (!c.equals(ServiceSpace.ALL) && otherProtocols(c) > OTHER_PROTOCOL_RULES_MAX) {
				narrowed = true;
				c = c.intersect(NAMED_PROTOCOLS);
			}
			return withFewIcmpKeys(c);
		}));
		coverage.values().removeIf(IntervalSet::isEmpty);
		List<Token> kept = withoutDominated(coverage);
		return emit(kept, coverage);
	}

	/**
	 * At every service, the permissions that hold it must cover exactly the peers allowed
	 * there, each with one CIDR block or one reference; so the prefix blocks of any
	 * cell's peers, less those a reference could stand for, are a lower bound of the
	 * rules one family needs.
	 */
	private long lowerBound(List<Cell> cells) {
		long referenceBlocks = 0;
		for (AddressSet addresses : referable.values()) {
			referenceBlocks += addresses.prefixBlocks().size();
		}
		long most = 0;
		long limit = ENTRIES_MAX + referenceBlocks;
		for (Cell cell : cells) {
			Cancellation.check();
			AddressSet peers = cell.peers().addresses();
			most = Math.max(most, Math.max(peers.prefixBlockCount(true, limit), peers.prefixBlockCount(false, limit)));
		}
		return Math.max(0, most - referenceBlocks);
	}

	private List<Token> tokensOf(PeerSet peers) {
		List<Token> tokens = new ArrayList<>();
		for (IPAddress block : peers.addresses().prefixBlocks()) {
			tokens.add(Token.block(block));
		}
		if (!peers.addresses().containsAll(unboundRegion)) {
			for (String label : peers.labels()) {
				tokens.add(Token.reference(label, AddressSet.EMPTY, unboundRegion));
			}
		}
		referable.forEach((group, addresses) -> {
			if (peers.addresses().containsAll(addresses)) {
				tokens.add(Token.reference(group, addresses, unboundRegion));
			}
		});
		return tokens;
	}

	/**
	 * The services of every block token: the cells whose addresses hold it. A prefix
	 * block inside a set of addresses lies inside one of the set's own prefix blocks, so
	 * for each of those the tokens it holds are found by address order, not by comparing
	 * every token with every cell.
	 */
	private static void blockCoverage(List<Cell> cells, Map<Token, IntervalSet> coverage) {
		List<Token> blocks = new ArrayList<>();
		for (Token t : coverage.keySet()) {
			if (t.block() != null) {
				blocks.add(t);
			}
		}
		blocks.sort(Comparator.comparing(Token::block, NESTING_ORDER));
		IPAddress[] lows = new IPAddress[blocks.size()];
		for (int i = 0; i < lows.length; i++) {
			lows[i] = blocks.get(i).block();
		}
		Comparator<IPAddress> byLow = Comparator.comparing((IPAddress a) -> !a.isIPv4())
			.thenComparing(inet.ipaddr.Address.ADDRESS_LOW_VALUE_COMPARATOR::compare);
		Map<Token, List<int[]>> runs = new java.util.HashMap<>();
		for (Cell cell : cells) {
			Cancellation.check();
			for (IPAddress outer : cell.peers().addresses().prefixBlocks()) {
				int at = firstNotBelow(lows, outer, byLow);
				for (int i = at; i < lows.length && lows[i].isIPv4() == outer.isIPv4()
						&& inet.ipaddr.Address.ADDRESS_LOW_VALUE_COMPARATOR.compare(lows[i],
								outer.getUpper()) <= 0; i++) {
					if (outer.contains(lows[i])) {
						List<int[]> list = runs.computeIfAbsent(blocks.get(i), k -> new ArrayList<>());
						int[] last = list.isEmpty() ? null : list.get(list.size() - 1);
						if (last != null && last[1] + 1 == cell.low()) {
							last[1] = cell.high();
						}
						else {
							list.add(new int[] { cell.low(), cell.high() });
						}
					}
				}
			}
		}
		for (Token t : blocks) {
			IntervalSet covered = IntervalSet.EMPTY;
			for (int[] run : runs.getOrDefault(t, List.of())) {
				covered = covered.union(IntervalSet.of(run[0], run[1]));
			}
			coverage.put(t, covered);
		}
	}

	private static int firstNotBelow(IPAddress[] sorted, IPAddress key, Comparator<IPAddress> byLow) {
		int lo = 0;
		int hi = sorted.length;
		while (lo < hi) {
			int mid = (lo + hi) >>> 1;
			if (byLow.compare(sorted[mid], key) < 0) {
				lo = mid + 1;
			}
			else {
				hi = mid;
			}
		}
		return lo;
	}

	private boolean covers(PeerSet peers, Token token) {
		if (token.block() != null) {
			return peers.addresses().containsBlock(token.block());
		}
		if (token.isLabel()) {
			return peers.labels().contains(token.group()) || peers.addresses().containsAll(unboundRegion);
		}
		return peers.addresses().containsAll(token.addresses());
	}

	/**
	 * Drops a token when another one holds all its peers for all its services. When two
	 * hold each other, the group reference wins over the block (the spec's "a group peer
	 * becomes a reference"). A block can only be held by a block that contains it, so
	 * those are found by looking up its wider prefixes; references and labels are few and
	 * are compared with everything.
	 */
	private static List<Token> withoutDominated(Map<Token, IntervalSet> coverage) {
		Map<IPAddress, Token> blocks = new java.util.HashMap<>();
		List<Token> references = new ArrayList<>();
		for (Token t : coverage.keySet()) {
			if (t.block() != null) {
				blocks.put(t.block(), t);
			}
			else {
				references.add(t);
			}
		}
		java.util.Set<Integer> lengths = new java.util.TreeSet<>();
		for (IPAddress block : blocks.keySet()) {
			lengths.add((block.isIPv4() ? 0 : 1000) + block.getPrefixLength());
		}
		List<Token> kept = new ArrayList<>();
		for (Token t : coverage.keySet()) {
			List<Token> candidates = new ArrayList<>(references);
			if (t.block() != null) {
				int family = t.block().isIPv4() ? 0 : 1000;
				for (int tagged : lengths) {
					int length = tagged - family;
					if (length < 0 || length >= 1000) {
						continue;
					}
					if (length >= t.block().getPrefixLength()) {
						break;
					}
					Token wider = blocks.get(t.block().toPrefixBlock(length));
					if (wider != null) {
						candidates.add(wider);
					}
				}
			}
			else {
				candidates.addAll(blocks.values());
			}
			if (!dominated(t, candidates, coverage)) {
				kept.add(t);
			}
		}
		return kept;
	}

	private static boolean dominated(Token t, List<Token> candidates, Map<Token, IntervalSet> coverage) {
		for (Token other : candidates) {
			if (other.equals(t) || !coverage.get(other).containsAll(coverage.get(t)) || !other.holds(t)) {
				continue;
			}
			boolean mutual = t.holds(other) && coverage.get(t).containsAll(coverage.get(other));
			if (!mutual || other.kindOrder() < t.kindOrder()) {
				return true;
			}
		}
		return false;
	}

	private record Key(int protocol, Integer from, Integer to) {
	}

	private List<IpPermission> emit(List<Token> tokens, Map<Token, IntervalSet> coverage) {
		Map<Key, List<Token>> byKey = new TreeMap<>(Comparator.comparingInt(Key::protocol)
			.thenComparing(Key::from, Comparator.nullsFirst(Comparator.naturalOrder()))
			.thenComparing(Key::to, Comparator.nullsFirst(Comparator.naturalOrder())));
		for (Token token : tokens) {
			Cancellation.check();
			IntervalSet covered = coverage.get(token);
			for (int i = 0; i < covered.size(); i++) {
				for (Key key : keys(covered.low(i), covered.high(i))) {
					byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(token);
				}
			}
		}
		List<IpPermission> permissions = new ArrayList<>();
		byKey.forEach((key, peers) -> {
			IpPermission p = permission(key, withoutHeld(peers));
			if (!p.ipRanges().isEmpty() || !p.ipv6Ranges().isEmpty() || !p.userIdGroupPairs().isEmpty()) {
				permissions.add(p);
			}
		});
		return permissions;
	}

	private static long otherProtocols(IntervalSet covered) {
		return ServiceSpace.pieces(covered).stream().filter(p -> !ServiceSpace.hasDetail(p.protocol())).count();
	}

	/**
	 * Within one permission, a peer that another peer of it already holds adds nothing (a
	 * group reference kept for other services, say, under a block that covers its
	 * addresses here). Prefix blocks are nested or disjoint, so after sorting by address
	 * (wider first) a block is held exactly when the last block not held contains it;
	 * references are few and are compared with everything.
	 */
	private static List<Token> withoutHeld(List<Token> peers) {
		List<Token> blocks = new ArrayList<>();
		List<Token> references = new ArrayList<>();
		for (Token t : peers) {
			(t.block() != null ? blocks : references).add(t);
		}
		blocks.sort(Comparator.comparing(Token::block, NESTING_ORDER));
		List<Token> kept = new ArrayList<>();
		Token container = null;
		for (Token t : blocks) {
			if (container != null && container.holds(t)) {
				continue;
			}
			container = t;
			if (!heldByAny(t, references)) {
				kept.add(t);
			}
		}
		for (Token t : references) {
			if (!heldByAny(t, peers)) {
				kept.add(t);
			}
		}
		return kept;
	}

	private static boolean heldByAny(Token t, List<Token> others) {
		for (Token other : others) {
			if (!other.equals(t) && other.holds(t) && (!t.holds(other) || other.kindOrder() < t.kindOrder())) {
				return true;
			}
		}
		return false;
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
		peers.stream()
			.filter(t -> t.block() != null)
			.sorted(Comparator.comparing(Token::block, ADDRESS_ORDER))
			.forEach(t -> {
				boolean ipv4 = t.block().isIPv4();
				if (ipv4 && key.protocol() != 58) {
					v4.add(new IpRange(AddressSet.cidr(t.block())));
				}
				else if (!ipv4 && key.protocol() != 1) {
					v6.add(new Ipv6Range(AddressSet.cidr(t.block())));
				}
			});
		peers.stream()
			.filter(t -> t.block() == null)
			.map(t -> securityGroupName.apply(t.group()))
			.distinct()
			.sorted()
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
