package dev.polyfence.verify;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Protocol;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** A changed version of a generated policy, for the apply step-safety tests. */
final class PolicyChanges {

	/**
	 * Blocks a moved deny takes: outside addresses, part of a group's own block (a deny
	 * that a security-group reference of that group also meets), and IPv6.
	 */
	private static final List<String> DENIED = List.of("203.0.113.0/24", "198.51.100.0/25", "10.20.1.0/25",
			"10.20.0.0/16", "192.0.2.0/24", "2001:db8:20:1::/64", "2001:db8:ff::/48");

	private static final int[] EXTRA_PORTS = { 22, 80, 3389, 8443 };

	private PolicyChanges() {
	}

	/**
	 * The same groups and bindings, changed one of two ways (half of the time each): some
	 * rules dropped, swapped or flipped, and sometimes the defaults; or one or two small
	 * edits of the kind a pull request makes, which move denies around: a deny inserted
	 * before a wide allow, a deny removed, a CIDR changed, a port added.
	 */
	static Policy changed(Policy policy, Random given) {
		// Randoms seeded with neighbouring seeds give the same first booleans; one seeded
		// from the given one's first long does not.
		Random random = new Random(given.nextLong());
		List<Rule> rules = new ArrayList<>(policy.rules());
		if (random.nextBoolean()) {
			int edits = 1 + random.nextInt(2);
			for (int i = 0; i < edits; i++) {
				edit(rules, random);
			}
			return new Policy(policy.name(), policy.description(), policy.defaults(), policy.addressSets(),
					policy.groups(), rules);
		}
		if (!rules.isEmpty() && random.nextBoolean()) {
			rules.remove(random.nextInt(rules.size()));
		}
		if (rules.size() > 1) {
			int i = random.nextInt(rules.size() - 1);
			Collections.swap(rules, i, i + 1);
		}
		for (int i = 0; i < rules.size(); i++) {
			if (random.nextInt(4) == 0) {
				Rule r = rules.get(i);
				rules.set(i, new Rule(r.name(), r.action() == Action.ALLOW ? Action.DENY : Action.ALLOW, r.direction(),
						r.appliesTo(), r.peers(), r.services(), r.log()));
			}
		}
		Defaults defaults = random.nextInt(4) == 0
				? new Defaults(policy.defaults().egress(), policy.defaults().ingress()) : policy.defaults();
		return new Policy(policy.name(), policy.description(), defaults, policy.addressSets(), policy.groups(), rules);
	}

	/**
	 * One small edit; where the policy has nothing to edit that way, a deny is inserted.
	 */
	private static void edit(List<Rule> rules, Random random) {
		boolean done = switch (random.nextInt(4)) {
			case 0 -> removeDeny(rules, random);
			case 1 -> changeCidr(rules, random);
			case 2 -> addPort(rules, random);
			default -> false;
		};
		if (!done) {
			insertDenyBeforeAllow(rules, random);
		}
	}

	/**
	 * A deny of one block, for the direction and groups of an allow, put right before it
	 * (the widest allow when there is one with every address as its peer).
	 */
	private static void insertDenyBeforeAllow(List<Rule> rules, Random random) {
		List<Integer> allows = new ArrayList<>();
		List<Integer> wide = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			if (rules.get(i).action() == Action.ALLOW) {
				allows.add(i);
				if (rules.get(i).peers().contains(Peer.ANY)) {
					wide.add(i);
				}
			}
		}
		IPAddress block = new IPAddressString(DENIED.get(random.nextInt(DENIED.size()))).getAddress();
		String name = "moved-deny-" + rules.size() + "-" + random.nextInt(1000);
		if (allows.isEmpty()) {
			rules.add(0, new Rule(name, Action.DENY, dev.polyfence.policy.Direction.INGRESS, List.of(),
					List.of(new Peer.Cidr(block)), List.of(), false));
			return;
		}
		int at = (wide.isEmpty() ? allows : wide).get(random.nextInt((wide.isEmpty() ? allows : wide).size()));
		Rule allow = rules.get(at);
		List<Service> services = random.nextBoolean() ? List.of() : allow.services();
		rules.add(at, new Rule(name, Action.DENY, allow.direction(), allow.appliesTo(), List.of(new Peer.Cidr(block)),
				services, false));
	}

	private static boolean removeDeny(List<Rule> rules, Random random) {
		List<Integer> denies = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			if (rules.get(i).action() == Action.DENY) {
				denies.add(i);
			}
		}
		if (denies.isEmpty()) {
			return false;
		}
		rules.remove((int) denies.get(random.nextInt(denies.size())));
		return true;
	}

	/**
	 * One CIDR peer of a rule becomes its parent block, one of its halves, or a sibling.
	 */
	private static boolean changeCidr(List<Rule> rules, Random random) {
		List<int[]> cidrs = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			List<Peer> peers = rules.get(i).peers();
			for (int j = 0; j < peers.size(); j++) {
				if (peers.get(j) instanceof Peer.Cidr c && c.block().getNetworkPrefixLength() > 0
						&& c.block().getNetworkPrefixLength() < c.block().getBitCount()) {
					cidrs.add(new int[] { i, j });
				}
			}
		}
		if (cidrs.isEmpty()) {
			return false;
		}
		int[] at = cidrs.get(random.nextInt(cidrs.size()));
		Rule rule = rules.get(at[0]);
		IPAddress block = ((Peer.Cidr) rule.peers().get(at[1])).block();
		int prefix = block.getNetworkPrefixLength();
		IPAddress changed = switch (random.nextInt(3)) {
			case 0 -> block.adjustPrefixLength(-1, true).toPrefixBlock();
			case 1 -> block.adjustPrefixLength(1, true).toPrefixBlock();
			default -> sibling(block, prefix);
		};
		if (changed.equals(block)) {
			return false;
		}
		List<Peer> peers = new ArrayList<>(rule.peers());
		Peer replacement = new Peer.Cidr(changed);
		if (peers.contains(replacement)) {
			peers.remove(at[1]);
		}
		else {
			peers.set(at[1], replacement);
		}
		rules.set(at[0], new Rule(rule.name(), rule.action(), rule.direction(), rule.appliesTo(), peers,
				rule.services(), rule.log()));
		return true;
	}

	/** The other half of the block's parent. */
	private static IPAddress sibling(IPAddress block, int prefix) {
		java.math.BigInteger value = block.getValue().flipBit(block.getBitCount() - prefix);
		IPAddress address = block.isIPv4() ? new inet.ipaddr.ipv4.IPv4Address(value.intValue())
				: new inet.ipaddr.ipv6.IPv6Address(value);
		return address.toPrefixBlock(prefix);
	}

	private static boolean addPort(List<Rule> rules, Random random) {
		List<int[]> withPorts = new ArrayList<>();
		for (int i = 0; i < rules.size(); i++) {
			List<Service> services = rules.get(i).services();
			for (int j = 0; j < services.size(); j++) {
				if (services.get(j).protocol().hasPorts() && !services.get(j).ports().isEmpty()) {
					withPorts.add(new int[] { i, j });
				}
			}
		}
		if (withPorts.isEmpty()) {
			return false;
		}
		int[] at = withPorts.get(random.nextInt(withPorts.size()));
		Rule rule = rules.get(at[0]);
		Service service = rule.services().get(at[1]);
		List<PortRange> ports = new ArrayList<>(service.ports());
		PortRange extra = PortRange.of(EXTRA_PORTS[random.nextInt(EXTRA_PORTS.length)]);
		if (ports.contains(extra)) {
			return false;
		}
		ports.add(extra);
		List<Service> services = new ArrayList<>(rule.services());
		services.set(at[1], new Service(service.protocol(), ports, null, null));
		rules.set(at[0], new Rule(rule.name(), rule.action(), rule.direction(), rule.appliesTo(), rule.peers(),
				services, rule.log()));
		return true;
	}

}
