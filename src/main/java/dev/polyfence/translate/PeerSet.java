package dev.polyfence.translate;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A set of flow peers: addresses, plus whole groups named by label. A label stands for a
 * group whose addresses are not bound in the cloud at hand, so it can only be matched by
 * reference.
 */
public record PeerSet(AddressSet addresses, SortedSet<String> labels) {

	public static final PeerSet EMPTY = new PeerSet(AddressSet.EMPTY, new TreeSet<>());

	public PeerSet {
		Objects.requireNonNull(addresses, "addresses");
		labels = Collections.unmodifiableSortedSet(new TreeSet<>(labels));
	}

	public static PeerSet of(AddressSet addresses) {
		return new PeerSet(addresses, new TreeSet<>());
	}

	public static PeerSet label(String label) {
		return new PeerSet(AddressSet.EMPTY, new TreeSet<>(Collections.singleton(label)));
	}

	public boolean isEmpty() {
		return addresses.isEmpty() && labels.isEmpty();
	}

	public PeerSet union(PeerSet other) {
		if (other.isEmpty()) {
			return this;
		}
		if (isEmpty()) {
			return other;
		}
		SortedSet<String> l = new TreeSet<>(labels);
		l.addAll(other.labels);
		return new PeerSet(addresses.union(other.addresses), l);
	}

	public PeerSet subtract(PeerSet other) {
		if (other.isEmpty() || isEmpty()) {
			return this;
		}
		SortedSet<String> l = new TreeSet<>(labels);
		l.removeAll(other.labels);
		return new PeerSet(addresses.subtract(other.addresses), l);
	}

	public boolean containsAll(PeerSet other) {
		return addresses.containsAll(other.addresses) && labels.containsAll(other.labels);
	}
}
