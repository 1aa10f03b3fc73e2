package dev.polyfence.translate;

import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Resolves a rule's peers to a {@link PeerSet} for one cloud: CIDRs and address sets to
 * addresses, a group to its bound addresses, or to its label when it has none there, and
 * "any" to everything.
 */
public final class PeerResolver {

	private final Policy policy;

	private final Map<String, AddressSet> boundGroups;

	private final PeerSet universe;

	private final AddressSet unboundRegion;

	/**
	 * @param groupCidrs each group's bound addresses in this cloud; groups without any
	 * are absent or empty
	 */
	public PeerResolver(Policy policy, Map<String, List<IPAddress>> groupCidrs) {
		this.policy = policy;
		this.boundGroups = new java.util.HashMap<>();
		TreeSet<String> labels = new TreeSet<>();
		for (String group : policy.groups()) {
			List<IPAddress> cidrs = groupCidrs.getOrDefault(group, List.of());
			if (cidrs.isEmpty()) {
				labels.add(group);
			}
			else {
				boundGroups.put(group, AddressSet.of(cidrs));
			}
		}
		this.universe = new PeerSet(AddressSet.ALL, labels);
		AddressSet named = AddressSet.EMPTY;
		for (List<IPAddress> set : policy.addressSets().values()) {
			named = named.union(AddressSet.of(set));
		}
		for (var rule : policy.rules()) {
			for (Peer peer : rule.peers()) {
				if (peer instanceof Peer.Cidr c) {
					named = named.union(AddressSet.of(c.block()));
				}
			}
		}
		for (AddressSet bound : boundGroups.values()) {
			named = named.union(bound);
		}
		this.unboundRegion = AddressSet.ALL.subtract(named);
	}

	/**
	 * Where the workloads of groups without bound addresses are assumed to be: outside
	 * every CIDR the policy names and every bound group's addresses (so CIDR peers never
	 * match them). A set of addresses that holds this region holds those workloads.
	 */
	public AddressSet unboundRegion() {
		return unboundRegion;
	}

	/** Every peer: all addresses and every group that is known only by label. */
	public PeerSet universe() {
		return universe;
	}

	public boolean isBound(String group) {
		return boundGroups.containsKey(group);
	}

	/** The group's bound addresses, empty when it has none. */
	public AddressSet addressesOf(String group) {
		return boundGroups.getOrDefault(group, AddressSet.EMPTY);
	}

	public PeerSet resolve(Rule rule) {
		PeerSet set = PeerSet.EMPTY;
		for (Peer peer : rule.peers()) {
			set = set.union(resolve(peer));
		}
		return set;
	}

	public PeerSet resolve(Peer peer) {
		if (peer instanceof Peer.Any) {
			return universe;
		}
		if (peer instanceof Peer.Group g) {
			return isBound(g.name()) ? PeerSet.of(boundGroups.get(g.name())) : PeerSet.label(g.name());
		}
		return PeerSet.of(AddressSet.of(policy.blocksOf(peer)));
	}

}
