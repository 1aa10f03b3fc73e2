package dev.polyfence.policy;

import inet.ipaddr.IPAddress;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed, valid neutral policy: groups, named address sets and ordered rules. Build it
 * through {@link DocumentParser}, which reports every problem of a document at once; the
 * constructor only guards the invariants that the rest of the code relies on.
 */
public record Policy(String name, String description, Defaults defaults, Map<String, List<IPAddress>> addressSets,
		List<String> groups, List<Rule> rules) {

	public Policy {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(defaults, "defaults");
		description = description == null ? "" : description;
		Map<String, List<IPAddress>> sets = new LinkedHashMap<>();
		addressSets.forEach((k, v) -> sets.put(k, List.copyOf(v)));
		addressSets = java.util.Collections.unmodifiableMap(sets);
		groups = List.copyOf(groups);
		rules = List.copyOf(rules);
		Set<String> known = new HashSet<>(groups);
		for (Rule rule : rules) {
			for (String g : rule.appliesTo()) {
				require(known.contains(g), "rule " + rule.name() + " applies to unknown group " + g);
			}
			for (Peer peer : rule.peers()) {
				if (peer instanceof Peer.Group g) {
					require(known.contains(g.name()), "rule " + rule.name() + " names unknown group " + g.name());
				}
				if (peer instanceof Peer.AddressSet s) {
					require(addressSets.containsKey(s.name()),
							"rule " + rule.name() + " names unknown address set " + s.name());
				}
			}
		}
	}

	/** The rules of one direction that apply to a group, in document order. */
	public List<Rule> rulesFor(String group, Direction direction) {
		return rules.stream().filter(r -> r.direction() == direction && r.appliesTo(group)).toList();
	}

	/**
	 * The CIDR blocks a peer names, for cidr and addressSet peers; empty for the others.
	 */
	public List<IPAddress> blocksOf(Peer peer) {
		if (peer instanceof Peer.Cidr c) {
			return List.of(c.block());
		}
		if (peer instanceof Peer.AddressSet s) {
			return addressSets.get(s.name());
		}
		return List.of();
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}
}
