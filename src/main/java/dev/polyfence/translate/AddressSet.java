package dev.polyfence.translate;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressSeqRange;
import inet.ipaddr.IPAddressSeqRangeList;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses, kept as the IPAddress library's range
 * lists (one per family), with the set algebra the translators need and a compact
 * rendering as CIDR blocks.
 */
public final class AddressSet {

	private static final IPAddress V4_ALL = new IPAddressString("0.0.0.0/0").getAddress();

	private static final IPAddress V6_ALL = new IPAddressString("::/0").getAddress();

	public static final AddressSet EMPTY = new AddressSet(new IPAddressSeqRangeList(), new IPAddressSeqRangeList());

	public static final AddressSet ALL = of(List.of(V4_ALL, V6_ALL));

	public static final AddressSet ALL_V4 = of(List.of(V4_ALL));

	public static final AddressSet ALL_V6 = of(List.of(V6_ALL));

	private final IPAddressSeqRangeList v4;

	private final IPAddressSeqRangeList v6;

	/** Cached; the lists are never changed after construction. */
	private int hash;

	/**
	 * Cached by the first {@link #prefixBlocks()} (an immutable list; threads that race
	 * make equal ones).
	 */
	private volatile List<IPAddress> prefixBlocks;

	private AddressSet(IPAddressSeqRangeList v4, IPAddressSeqRangeList v6) {
		this.v4 = v4;
		this.v6 = v6;
	}

	public static AddressSet of(IPAddress block) {
		return of(List.of(block));
	}

	public static AddressSet of(Collection<IPAddress> blocks) {
		IPAddressSeqRangeList v4 = new IPAddressSeqRangeList();
		IPAddressSeqRangeList v6 = new IPAddressSeqRangeList();
		for (IPAddress block : blocks) {
			(block.isIPv4() ? v4 : v6).add(block.toSequentialRange());
		}
		return new AddressSet(v4, v6);
	}

	public AddressSet union(AddressSet other) {
		if (other.isEmpty()) {
			return this;
		}
		if (isEmpty()) {
			return other;
		}
		return new AddressSet(v4.joinIntoList(other.v4), v6.joinIntoList(other.v6));
	}

	public AddressSet intersect(AddressSet other) {
		if (isEmpty() || other.isEmpty()) {
			return EMPTY;
		}
		return new AddressSet(v4.intersectIntoList(other.v4), v6.intersectIntoList(other.v6));
	}

	public AddressSet subtract(AddressSet other) {
		if (isEmpty() || other.isEmpty()) {
			return this;
		}
		return new AddressSet(v4.removeIntoList(other.v4), v6.removeIntoList(other.v6));
	}

	public boolean isEmpty() {
		return v4.isEmpty() && v6.isEmpty();
	}

	public boolean intersects(AddressSet other) {
		return (!v4.isEmpty() && !other.v4.isEmpty() && v4.overlaps(other.v4))
				|| (!v6.isEmpty() && !other.v6.isEmpty() && v6.overlaps(other.v6));
	}

	public boolean containsAll(AddressSet other) {
		return covers(v4, other.v4) && covers(v6, other.v6);
	}

	private static boolean covers(IPAddressSeqRangeList outer, IPAddressSeqRangeList inner) {
		return inner.isEmpty() || !outer.isEmpty() && outer.contains(inner);
	}

	/** Whether every address of a CIDR block is in this set. */
	public boolean containsBlock(IPAddress block) {
		IPAddressSeqRangeList family = block.isIPv4() ? v4 : v6;
		return !family.isEmpty() && family.contains(block.toSequentialRange());
	}

	public boolean contains(IPAddress address) {
		return address.isIPv4() ? v4.contains(address) : v6.contains(address);
	}

	public AddressSet ipv4() {
		return new AddressSet(v4, new IPAddressSeqRangeList());
	}

	public AddressSet ipv6() {
		return new AddressSet(new IPAddressSeqRangeList(), v6);
	}

	public boolean hasIpv4() {
		return !v4.isEmpty();
	}

	public boolean hasIpv6() {
		return !v6.isEmpty();
	}

	/**
	 * The fewest CIDR blocks that cover exactly this set, IPv4 first, each family in
	 * address order.
	 */
	public List<IPAddress> prefixBlocks() {
		List<IPAddress> blocks = prefixBlocks;
		if (blocks == null) {
			List<IPAddress> made = new ArrayList<>();
			for (IPAddressSeqRangeList family : List.of(v4, v6)) {
				for (IPAddressSeqRange range : family.getSeqRanges()) {
					made.addAll(Arrays.asList(range.spanWithPrefixBlocks()));
				}
			}
			blocks = List.copyOf(made);
			prefixBlocks = blocks;
		}
		return blocks;
	}

	/**
	 * How many blocks {@link #prefixBlocks()} would give for one family, counting no
	 * further than {@code limit}.
	 */
	public long prefixBlockCount(boolean ipv4, long limit) {
		List<IPAddress> known = prefixBlocks;
		if (known != null) {
			return Math.min(limit + 1, known.stream().filter(b -> b.isIPv4() == ipv4).count());
		}
		long count = 0;
		for (IPAddressSeqRange range : (ipv4 ? v4 : v6).getSeqRanges()) {
			if (count > limit) {
				break;
			}
			count += range.isSequential() && range.getLower().equals(range.getUpper()) ? 1
					: range.spanWithPrefixBlocks().length;
		}
		return Math.min(count, limit + 1);
	}

	/**
	 * The CIDR blocks as canonical strings ("10.0.0.0/8", "2001:db8::/32",
	 * "10.0.0.1/32").
	 */
	public List<String> cidrs() {
		return prefixBlocks().stream().map(AddressSet::cidr).toList();
	}

	/** The canonical text of a block, always with its prefix length. */
	public static String cidr(IPAddress block) {
		IPAddress withLength = block.getNetworkPrefixLength() == null ? block.toPrefixBlock(block.getBitCount())
				: block;
		return withLength.toCanonicalString();
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof AddressSet other && Arrays.equals(v4.getSeqRanges(), other.v4.getSeqRanges())
				&& Arrays.equals(v6.getSeqRanges(), other.v6.getSeqRanges());
	}

	@Override
	public int hashCode() {
		int h = hash;
		if (h == 0) {
			h = 31 * Arrays.hashCode(v4.getSeqRanges()) + Arrays.hashCode(v6.getSeqRanges());
			hash = h;
		}
		return h;
	}

	@Override
	public String toString() {
		return cidrs().toString();
	}

}
