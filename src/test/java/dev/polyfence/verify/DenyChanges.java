package dev.polyfence.verify;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Protocol;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Changes that move denies, for the apply step-safety tests in both directions (spec
 * section 6): beside {@link PolicyChanges}' drops, swaps and flips, a deny inserted
 * before a wider allow, a deny moved earlier or later past allows, a deny moved from the
 * sender's egress to the receiver's ingress (or back), and the defaults swapped.
 */
final class DenyChanges {

	/** What a change did, for failure messages. */
	record Changed(Policy policy, List<String> what) {
	}

	private DenyChanges() {
	}

	/**
	 * {@link PolicyChanges#changed} half of the time, then one to three of the deny
	 * moves.
	 */
	static Changed changed(Policy policy, Random random) {
		List<String> what = new ArrayList<>();
		Policy changed = policy;
		if (random.nextBoolean()) {
			changed = PolicyChanges.changed(changed, random);
			what.add("drops, swaps or flips");
		}
		int moves = 1 + random.nextInt(3);
		for (int i = 0; i < moves; i++) {
			int kind = random.nextInt(10);
			List<Rule> rules = new ArrayList<>(changed.rules());
			Defaults defaults = changed.defaults();
			String did;
			if (kind < 4) {
				did = insertDenyBeforeWiderAllow(rules, random, i);
			}
			else if (kind < 6) {
				did = moveDeny(rules, random);
			}
			else if (kind < 9) {
				did = moveDenyAcross(rules, random);
			}
			else {
				defaults = new Defaults(changed.defaults().egress(), changed.defaults().ingress());
				did = "defaults swapped";
			}
			if (did != null) {
				what.add(did);
				changed = new Policy(changed.name(), changed.description(), defaults, changed.addressSets(),
						changed.groups(), rules);
			}
		}
		return new Changed(changed, what);
	}

	/** A narrower deny of the same direction and groups, just before an allow. */
	private static String insertDenyBeforeWiderAllow(List<Rule> rules, Random random, int n) {
		List<Integer> allows = indexes(rules, Action.ALLOW);
		if (allows.isEmpty()) {
			return null;
		}
		int at = allows.get(random.nextInt(allows.size()));
		Rule allow = rules.get(at);
		List<Peer> peers = List.of(narrower(allow.peers().get(random.nextInt(allow.peers().size())), random));
		List<Service> services = allow.services().isEmpty() ? List.of(Service.of(Protocol.TCP, PortRange.of(443)))
				: List.of(narrower(allow.services().get(random.nextInt(allow.services().size()))));
		String name = "ins" + n + "-deny-before-" + at;
		rules.add(at, new Rule(name, Action.DENY, allow.direction(), allow.appliesTo(), peers, services, false));
		return "deny " + name + " inserted before " + allow.name();
	}

	/** A deny moved to another place, earlier or later, past allows. */
	private static String moveDeny(List<Rule> rules, Random random) {
		List<Integer> denies = indexes(rules, Action.DENY);
		if (denies.isEmpty() || rules.size() < 2) {
			return null;
		}
		int from = denies.get(random.nextInt(denies.size()));
		Rule deny = rules.remove(from);
		int to = random.nextInt(rules.size() + 1);
		rules.add(to, deny);
		return "deny " + deny.name() + " moved from " + from + " to " + to;
	}

	/**
	 * A deny between groups moved to the other end of the flow: an egress deny of the
	 * senders toward group peers becomes an ingress deny of those groups from the
	 * senders, or the other way round, in the same place.
	 */
	private static String moveDenyAcross(List<Rule> rules, Random random) {
		List<Integer> candidates = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			Rule r = rules.get(i);
			if (r.action() == Action.DENY && !r.appliesToAll()
					&& r.peers().stream().allMatch(p -> p instanceof Peer.Group)) {
				candidates.add(i);
			}
		}
		if (candidates.isEmpty()) {
			return null;
		}
		int at = candidates.get(random.nextInt(candidates.size()));
		Rule r = rules.get(at);
		List<String> appliesTo = r.peers().stream().map(p -> ((Peer.Group) p).name()).distinct().toList();
		List<Peer> peers = r.appliesTo().stream().map(g -> (Peer) new Peer.Group(g)).toList();
		Direction other = r.direction() == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
		String name = r.name().endsWith("-across") ? r.name().substring(0, r.name().length() - 7)
				: r.name() + "-across";
		rules.set(at, new Rule(name, Action.DENY, other, appliesTo, peers, r.services(), r.log()));
		return "deny " + r.name() + " moved across to " + other.name().toLowerCase() + " as " + name;
	}

	private static List<Integer> indexes(List<Rule> rules, Action action) {
		List<Integer> found = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			if (rules.get(i).action() == action) {
				found.add(i);
			}
		}
		return found;
	}

	/** A peer that matches part of what this one matches (or the same). */
	private static Peer narrower(Peer peer, Random random) {
		if (peer instanceof Peer.Cidr c) {
			IPAddress block = c.block();
			int bits = block.getBitCount();
			Integer prefix = block.getNetworkPrefixLength();
			if (prefix == null || prefix >= bits) {
				return peer;
			}
			IPAddress half = block.setPrefixLength(prefix + 1, false).toPrefixBlock();
			if (random.nextBoolean()) {
				half = block.getUpper().setPrefixLength(prefix + 1, false).toPrefixBlock();
			}
			return new Peer.Cidr(half);
		}
		if (peer instanceof Peer.Any) {
			return new Peer.Cidr(PolicyGenerator.parse(random.nextBoolean() ? "10.20.0.0/22" : "2001:db8:20::/62"));
		}
		return peer;
	}

	/** A service that matches part of what this one matches (or the same). */
	private static Service narrower(Service service) {
		if (service.protocol().isAny()) {
			return Service.of(Protocol.TCP, PortRange.of(443));
		}
		if (service.protocol().hasPorts()) {
			int port = service.ports().isEmpty() ? 443 : service.ports().get(0).from();
			return Service.of(service.protocol(), PortRange.of(port));
		}
		return service;
	}

}
