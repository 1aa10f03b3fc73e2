package dev.polyfence.verify;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random valid policies with bindings in all three clouds, built from the records. Group
 * i (in the order of {@link Policy#groups()}) lives in 10.20.i.0/24 and
 * 2001:db8:20:i::/64, and some groups also in 192.168.(100+i).0/25; the CIDR universe of
 * the rules contains, overlaps, equals and misses those blocks. The same seed always
 * gives the same policy.
 */
final class PolicyGenerator {

	/** A policy and where its groups live. */
	record Generated(long seed, Policy policy, Bindings bindings) {
	}

	private static final List<String> GROUP_NAMES = List.of("web", "app", "db", "cache", "batch");

	private static final List<String> V4_UNIVERSE = List.of("10.0.0.0/8", "10.20.0.0/16", "10.20.0.0/22",
			"10.20.1.0/24", "10.20.2.128/25", "10.20.3.64/26", "10.20.4.7/32", "10.20.0.0/23", "10.1.0.0/16",
			"10.1.2.0/24", "10.1.2.128/25", "203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24", "192.168.0.0/16",
			"192.168.101.0/24", "172.16.0.0/12", "100.64.0.0/10", "168.63.129.16/32", "0.0.0.0/1");

	private static final List<String> V6_UNIVERSE = List.of("2001:db8::/32", "2001:db8:20::/48", "2001:db8:20:1::/64",
			"2001:db8:20:2::/65", "2001:db8:20:3:8000::/65", "2001:db8:20:4::5/128", "2001:db8:1::/48",
			"2001:db8:ff::/48", "fd00::/8", "2001:db8:20::/62");

	private static final List<String> EVERYTHING = List.of("0.0.0.0/0", "::/0");

	private static final int[] SINGLE_PORTS = { 0, 1, 22, 53, 443, 1023, 1024, 3389, 8080, 65535 };

	private static final int[][] PORT_RANGES = { { 0, 1023 }, { 1024, 65535 }, { 8080, 8081 }, { 1, 65535 },
			{ 0, 65535 }, { 22, 443 }, { 1000, 2000 }, { 32768, 61000 }, { 443, 444 }, { 65534, 65535 }, { 0, 1 } };

	private static final int[] OTHER_PROTOCOLS = { 47, 50, 51, 132, 4, 41 };

	private static final int[] ICMP_TYPES = { 0, 3, 8, 11 };

	private static final int[] ICMPV6_TYPES = { 1, 128, 129, 135 };

	private static final int[] ICMP_CODES = { 0, 1, 4 };

	private static final String[] EPHEMERAL = { "1024-65535", "32768-61000", "49152-65535" };

	private final long seed;

	private final Random random;

	/**
	 * Deny-heavy policies: half the rules deny, wide allows close the list, and AWS
	 * bindings vary the ACL budget, the number of subnets and ACL management.
	 */
	private final boolean denyHeavy;

	PolicyGenerator(long seed) {
		this(seed, false);
	}

	private PolicyGenerator(long seed, boolean denyHeavy) {
		this.seed = seed;
		this.random = new Random(seed);
		this.denyHeavy = denyHeavy;
	}

	static PolicyGenerator denyHeavy(long seed) {
		return new PolicyGenerator(seed, true);
	}

	Generated generate() {
		String name = "gen-" + Integer.toString(random.nextInt(1 << 20), 36);
		List<String> groups = new ArrayList<>(GROUP_NAMES);
		Collections.shuffle(groups, random);
		groups = List.copyOf(groups.subList(0, 2 + random.nextInt(4)));
		Map<String, List<IPAddress>> sets = new LinkedHashMap<>();
		int setCount = random.nextInt(4);
		for (int i = 0; i < setCount; i++) {
			Set<IPAddress> blocks = new LinkedHashSet<>();
			int size = 1 + random.nextInt(3);
			for (int j = 0; j < size; j++) {
				blocks.add(block());
			}
			sets.put("set-" + (char) ('a' + i), List.copyOf(blocks));
		}
		List<Rule> rules = new ArrayList<>();
		int ruleCount = 1 + random.nextInt(15);
		for (int i = 0; i < ruleCount; i++) {
			rules.add(rule(i, groups, sets));
		}
		if (denyHeavy) {
			int wide = 1 + random.nextInt(3);
			for (int i = 0; i < wide; i++) {
				rules.add(wideAllow(ruleCount + i, groups));
			}
		}
		Defaults defaults = new Defaults(random.nextBoolean() ? Action.ALLOW : Action.DENY,
				random.nextBoolean() ? Action.ALLOW : Action.DENY);
		Policy policy = new Policy(name, "generated from seed " + seed, defaults, sets, groups, rules);
		return new Generated(seed, policy, bindings(name, groups));
	}

	/** An allow of a wide range, late in the list, that earlier denies cut into. */
	private Rule wideAllow(int index, List<String> groups) {
		Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
		List<String> appliesTo = random.nextBoolean() ? List.of() : subset(groups);
		List<Peer> peers = switch (random.nextInt(4)) {
			case 0 -> List.of(new Peer.Cidr(parse("10.0.0.0/8")), new Peer.Cidr(parse("2001:db8::/32")));
			case 1 -> List.of(new Peer.Cidr(parse("0.0.0.0/1")));
			default -> List.of(Peer.ANY);
		};
		List<Service> services = random.nextInt(3) == 0 ? List.of() : List.of(service());
		String name = "w" + index + (direction == Direction.INGRESS ? "-in" : "-out");
		return new Rule(name, Action.ALLOW, direction, appliesTo, peers, services, false);
	}

	private Rule rule(int index, List<String> groups, Map<String, List<IPAddress>> sets) {
		Action action = random.nextInt(10) < (denyHeavy ? 5 : 6) ? Action.ALLOW : Action.DENY;
		Direction direction = random.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
		List<String> appliesTo = List.of();
		if (random.nextInt(10) >= 3) {
			appliesTo = subset(groups);
		}
		List<Peer> peers = new ArrayList<>();
		int peerCount = 1 + random.nextInt(3);
		for (int i = 0; i < peerCount; i++) {
			Peer peer = peer(groups, sets);
			if (!peers.contains(peer)) {
				peers.add(peer);
			}
		}
		List<Service> services = new ArrayList<>();
		if (random.nextInt(4) > 0) {
			int serviceCount = 1 + random.nextInt(3);
			for (int i = 0; i < serviceCount; i++) {
				Service service = service();
				if (!services.contains(service)) {
					services.add(service);
				}
			}
		}
		String name = "r" + index + "-" + action.wire() + (direction == Direction.INGRESS ? "-in" : "-out");
		return new Rule(name, action, direction, appliesTo, peers, services, random.nextInt(10) == 0);
	}

	private List<String> subset(List<String> groups) {
		List<String> chosen = new ArrayList<>();
		for (String group : groups) {
			if (random.nextInt(3) == 0) {
				chosen.add(group);
			}
		}
		if (chosen.isEmpty()) {
			chosen.add(groups.get(random.nextInt(groups.size())));
		}
		return chosen;
	}

	private Peer peer(List<String> groups, Map<String, List<IPAddress>> sets) {
		int roll = random.nextInt(10);
		if (roll < 4) {
			return new Peer.Cidr(block());
		}
		if (roll < 7) {
			return new Peer.Group(groups.get(random.nextInt(groups.size())));
		}
		if (roll < 9 && !sets.isEmpty()) {
			List<String> names = new ArrayList<>(sets.keySet());
			return new Peer.AddressSet(names.get(random.nextInt(names.size())));
		}
		return Peer.ANY;
	}

	/** A block of the universe; the whole address space now and then. */
	private IPAddress block() {
		int roll = random.nextInt(20);
		if (roll == 0) {
			return parse(EVERYTHING.get(random.nextInt(2)));
		}
		if (roll < 12) {
			return parse(V4_UNIVERSE.get(random.nextInt(V4_UNIVERSE.size())));
		}
		return parse(V6_UNIVERSE.get(random.nextInt(V6_UNIVERSE.size())));
	}

	private Service service() {
		int roll = random.nextInt(20);
		if (roll < 6) {
			return new Service(Protocol.TCP, ports(), null, null);
		}
		if (roll < 9) {
			return new Service(Protocol.UDP, ports(), null, null);
		}
		if (roll < 12) {
			return icmp(Protocol.ICMP, ICMP_TYPES);
		}
		if (roll < 14) {
			return icmp(Protocol.ICMPV6, ICMPV6_TYPES);
		}
		if (roll < 18) {
			return Service.of(new Protocol(OTHER_PROTOCOLS[random.nextInt(OTHER_PROTOCOLS.length)]));
		}
		return Service.ALL_TRAFFIC;
	}

	private List<PortRange> ports() {
		if (random.nextInt(10) < 3) {
			return List.of();
		}
		Set<PortRange> ranges = new LinkedHashSet<>();
		int count = 1 + random.nextInt(3);
		for (int i = 0; i < count; i++) {
			if (random.nextBoolean()) {
				ranges.add(PortRange.of(SINGLE_PORTS[random.nextInt(SINGLE_PORTS.length)]));
			}
			else {
				int[] r = PORT_RANGES[random.nextInt(PORT_RANGES.length)];
				ranges.add(new PortRange(r[0], r[1]));
			}
		}
		return List.copyOf(ranges);
	}

	private Service icmp(Protocol protocol, int[] types) {
		int roll = random.nextInt(10);
		if (roll < 4) {
			return Service.icmp(protocol, null, null);
		}
		int type = types[random.nextInt(types.length)];
		if (roll < 7) {
			return Service.icmp(protocol, type, null);
		}
		return Service.icmp(protocol, type, ICMP_CODES[random.nextInt(ICMP_CODES.length)]);
	}

	private Bindings bindings(String policy, List<String> groups) {
		Map<String, Bindings.AwsGroup> aws = new LinkedHashMap<>();
		Map<String, Bindings.AzureGroup> azure = new LinkedHashMap<>();
		Map<String, Bindings.GcpGroup> gcp = new LinkedHashMap<>();
		for (int i = 0; i < groups.size(); i++) {
			String g = groups.get(i);
			List<IPAddress> cidrs = new ArrayList<>(
					List.of(parse("10.20." + i + ".0/24"), parse("2001:db8:20:" + i + "::/64")));
			if (random.nextInt(4) == 0) {
				cidrs.add(parse("192.168." + (100 + i) + ".0/25"));
			}
			aws.put(g, new Bindings.AwsGroup(random.nextInt(5) > 0 ? policy + "-" + g + "-sg" : null,
					random.nextInt(5) > 0 ? List.of("subnet-" + g) : List.of(), cidrs));
			azure.put(g, new Bindings.AzureGroup(random.nextInt(5) > 0 ? policy + "-" + g + "-nsg" : null,
					random.nextInt(10) < 7 ? g + "-asg" : null, cidrs));
			if (random.nextInt(4) == 0) {
				gcp.put(g, new Bindings.GcpGroup(List.of(), g + "@proj.iam.gserviceaccount.com", cidrs));
			}
			else {
				List<String> tags = random.nextBoolean() ? List.of(g) : List.of(g, "t-" + g);
				gcp.put(g, new Bindings.GcpGroup(tags, null, cidrs));
			}
		}
		PortRange ephemeral = null;
		if (random.nextInt(10) < 4) {
			String[] range = EPHEMERAL[random.nextInt(EPHEMERAL.length)].split("-");
			ephemeral = new PortRange(Integer.parseInt(range[0]), Integer.parseInt(range[1]));
		}
		int[] azureBases = { 100, 100, 200, 1000 };
		int[] gcpBases = { 1000, 1000, 100, 5000 };
		Bindings.Aws awsBindings = new Bindings.Aws("eu-west-1", "vpc-0gen", ephemeral, null, null, aws);
		if (denyHeavy) {
			awsBindings = awsVariant(ephemeral, aws);
		}
		return new Bindings(awsBindings,
				new Bindings.Azure("00000000-0000-0000-0000-000000000000", "gen-rg", "westeurope",
						azureBases[random.nextInt(azureBases.length)], azure),
				new Bindings.Gcp("gen-project", "gen-vpc", gcpBases[random.nextInt(gcpBases.length)], gcp));
	}

	/**
	 * AWS bindings with a small or default ACL budget, groups on one or two subnets, and
	 * now and then no ACL management; drawn from a random of their own, so the policy of
	 * a seed stays what it is.
	 */
	private Bindings.Aws awsVariant(PortRange ephemeral, Map<String, Bindings.AwsGroup> groups) {
		Random variant = new Random(seed * 7919 + 13);
		Map<String, Bindings.AwsGroup> bound = new LinkedHashMap<>();
		groups.forEach((group, b) -> {
			List<String> subnets = b.subnetIds();
			if (!subnets.isEmpty() && variant.nextInt(3) == 0) {
				subnets = List.of(subnets.get(0), subnets.get(0) + "-b");
			}
			bound.put(group, new Bindings.AwsGroup(b.securityGroupName(), subnets, b.cidrs()));
		});
		Integer[] quotas = { null, 20, 8, 5, 3 };
		return new Bindings.Aws("eu-west-1", "vpc-0gen", ephemeral, null, quotas[variant.nextInt(quotas.length)],
				variant.nextInt(8) > 0, bound);
	}

	static IPAddress parse(String cidr) {
		IPAddress address = new IPAddressString(cidr).getAddress();
		if (address == null) {
			throw new IllegalArgumentException(cidr);
		}
		return address;
	}

}
