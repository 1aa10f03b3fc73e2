package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import inet.ipaddr.AddressValueException;
import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random flows for one policy: workload to workload (other and same group), workload to
 * outside and outside to workload. Addresses come from the edges of every CIDR of the
 * policy and of the groups (first, last, one before, one after) and from random picks:
 * the ones inside a group's cidrs serve as that group's workload addresses (beside its
 * blocks' first, last and random addresses), the others as outside addresses, so an
 * outside address is never inside a group. Protocols, ports and ICMP types and codes come
 * from the policy's services and their boundaries, and others.
 */
final class FlowGenerator {

	private static final int[] COMMON_PORTS = { 0, 1, 22, 443, 1023, 1024, 65535 };

	private static final int[] OTHER_PROTOCOLS = { 47, 50, 51, 132, 4, 41, 2, 89, 255 };

	private static final int[] ICMP_TYPES = { 0, 3, 8, 11, 128, 129, 135 };

	private static final int[] ICMP_CODES = { 0, 1, 4 };

	private final Random random;

	private final Map<String, List<IPAddress>> groupCidrs;

	private final List<String> groups;

	private final List<IPAddress> outsideV4 = new ArrayList<>();

	private final List<IPAddress> outsideV6 = new ArrayList<>();

	/** Per group, edges of the policy's CIDRs that fall inside the group's own blocks. */
	private final Map<String, List<IPAddress>> edgesInGroup = new LinkedHashMap<>();

	private final List<Integer> ports = new ArrayList<>();

	private final List<Integer> protocols = new ArrayList<>();

	private final List<Integer> icmpTypes = new ArrayList<>();

	private final List<Integer> icmpCodes = new ArrayList<>();

	/**
	 * @param groupCidrs where each group's workloads live; every group needs blocks of
	 * both families
	 */
	FlowGenerator(Policy policy, Map<String, List<IPAddress>> groupCidrs, long seed) {
		this.random = new Random(seed * 31 + 7);
		this.groups = policy.groups();
		this.groupCidrs = Map.copyOf(groupCidrs);
		for (String group : groups) {
			List<IPAddress> cidrs = groupCidrs.get(group);
			if (cidrs == null || cidrs.stream().noneMatch(IPAddress::isIPv4)
					|| cidrs.stream().noneMatch(IPAddress::isIPv6)) {
				throw new IllegalArgumentException("group " + group + " needs cidrs of both families");
			}
		}
		collectAddresses(policy);
		collectServices(policy);
	}

	/** Where the groups live in one cloud's bindings. */
	static Map<String, List<IPAddress>> awsCidrs(Bindings bindings) {
		Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();
		bindings.aws().groups().forEach((g, b) -> cidrs.put(g, b.cidrs()));
		return cidrs;
	}

	static Map<String, List<IPAddress>> azureCidrs(Bindings bindings) {
		Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();
		bindings.azure().groups().forEach((g, b) -> cidrs.put(g, b.cidrs()));
		return cidrs;
	}

	static Map<String, List<IPAddress>> gcpCidrs(Bindings bindings) {
		Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();
		bindings.gcp().groups().forEach((g, b) -> cidrs.put(g, b.cidrs()));
		return cidrs;
	}

	List<Flow> flows(int count) {
		List<Flow> flows = new ArrayList<>(count);
		while (flows.size() < count) {
			flows.add(flow());
		}
		return flows;
	}

	private Flow flow() {
		boolean ipv4 = random.nextBoolean();
		Endpoint source;
		Endpoint destination;
		int kind = random.nextInt(10);
		String first = pick(groups);
		if (kind < 3) {
			String other = groups.size() > 1 ? pickOther(first) : first;
			source = workload(first, ipv4);
			destination = workload(other, ipv4);
		}
		else if (kind < 4) {
			source = workload(first, ipv4);
			destination = workload(first, ipv4);
		}
		else if (kind < 7) {
			source = workload(first, ipv4);
			destination = new Endpoint.Outside(pick(ipv4 ? outsideV4 : outsideV6));
		}
		else {
			source = new Endpoint.Outside(pick(ipv4 ? outsideV4 : outsideV6));
			destination = workload(first, ipv4);
		}
		int roll = random.nextInt(20);
		if (roll < 7) {
			return Flow.tcp(source, destination, port());
		}
		if (roll < 10) {
			return Flow.udp(source, destination, port());
		}
		if (roll < 14) {
			return Flow.icmp(source, destination, icmpType(), icmpCode());
		}
		return Flow.other(source, destination, pick(protocols));
	}

	private String pickOther(String group) {
		String other = group;
		while (other.equals(group)) {
			other = pick(groups);
		}
		return other;
	}

	private Endpoint.Workload workload(String group, boolean ipv4) {
		List<IPAddress> blocks = groupCidrs.get(group).stream().filter(b -> b.isIPv4() == ipv4).toList();
		List<IPAddress> edges = edgesInGroup.get(group).stream().filter(a -> a.isIPv4() == ipv4).toList();
		IPAddress block = pick(blocks).toPrefixBlock();
		int roll = random.nextInt(5);
		IPAddress address = roll == 0 ? lower(block)
				: roll == 1 ? upper(block) : roll == 2 && !edges.isEmpty() ? pick(edges) : inside(block);
		return new Endpoint.Workload(group, address);
	}

	private IPAddress inside(IPAddress block) {
		BigInteger count = block.getCount();
		BigInteger offset = new BigInteger(Math.max(1, count.bitLength()), random).mod(count);
		return lower(block).increment(offset).withoutPrefixLength();
	}

	private static IPAddress lower(IPAddress block) {
		return block.getLower().withoutPrefixLength();
	}

	private static IPAddress upper(IPAddress block) {
		return block.getUpper().withoutPrefixLength();
	}

	// ---- the pools, built once per policy ----

	private void collectAddresses(Policy policy) {
		Set<IPAddress> candidates = new LinkedHashSet<>();
		List<IPAddress> blocks = new ArrayList<>();
		for (Rule rule : policy.rules()) {
			for (Peer peer : rule.peers()) {
				blocks.addAll(policy.blocksOf(peer));
			}
		}
		policy.addressSets().values().forEach(blocks::addAll);
		groups.forEach(g -> blocks.addAll(groupCidrs.get(g)));
		for (IPAddress b : blocks) {
			IPAddress block = b.toPrefixBlock();
			candidates.add(lower(block));
			candidates.add(upper(block));
			candidates.add(step(lower(block), -1));
			candidates.add(step(upper(block), 1));
			candidates.add(inside(block));
		}
		candidates.add(AzureEvaluator.LOAD_BALANCER);
		candidates.add(Addresses.single("0.0.0.0"));
		candidates.add(Addresses.single("255.255.255.255"));
		candidates.add(Addresses.single("::"));
		candidates.add(Addresses.single("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
		for (int i = 0; i < 8; i++) {
			candidates.add(inside(PolicyGenerator.parse("0.0.0.0/0")));
			candidates.add(inside(PolicyGenerator.parse(i % 2 == 0 ? "2001:db8::/32" : "::/0")));
		}
		candidates.remove(null);
		groups.forEach(g -> edgesInGroup.put(g, new ArrayList<>()));
		for (IPAddress address : candidates) {
			String group = groupOf(address);
			if (group == null) {
				(address.isIPv4() ? outsideV4 : outsideV6).add(address);
			}
			else {
				edgesInGroup.get(group).add(address);
			}
		}
	}

	private String groupOf(IPAddress address) {
		for (String group : groups) {
			for (IPAddress block : groupCidrs.get(group)) {
				if (Addresses.contains(block.toPrefixBlock(), address)) {
					return group;
				}
			}
		}
		return null;
	}

	private static IPAddress step(IPAddress address, long by) {
		try {
			IPAddress next = address.increment(by);
			return next == null ? null : next.withoutPrefixLength();
		}
		catch (AddressValueException ex) {
			return null;
		}
	}

	private void collectServices(Policy policy) {
		Set<Integer> portSet = new LinkedHashSet<>();
		Set<Integer> protocolSet = new LinkedHashSet<>();
		Set<Integer> typeSet = new LinkedHashSet<>();
		Set<Integer> codeSet = new LinkedHashSet<>();
		for (int p : COMMON_PORTS) {
			portSet.add(p);
		}
		for (int p : OTHER_PROTOCOLS) {
			protocolSet.add(p);
		}
		for (int t : ICMP_TYPES) {
			typeSet.add(t);
		}
		for (int c : ICMP_CODES) {
			codeSet.add(c);
		}
		for (Rule rule : policy.rules()) {
			for (Service service : rule.services()) {
				for (PortRange range : service.ports()) {
					addPort(portSet, range.from() - 1);
					addPort(portSet, range.from());
					addPort(portSet, range.to());
					addPort(portSet, range.to() + 1);
				}
				if (!service.protocol().isAny() && !service.protocol().hasPorts() && !service.protocol().isIcmp()) {
					protocolSet.add(service.protocol().number());
				}
				if (service.icmpType() != null) {
					typeSet.add(service.icmpType());
				}
				if (service.icmpCode() != null) {
					codeSet.add(service.icmpCode());
				}
			}
		}
		ports.addAll(portSet);
		protocols.addAll(protocolSet);
		icmpTypes.addAll(typeSet);
		icmpCodes.addAll(codeSet);
	}

	private static void addPort(Set<Integer> ports, int port) {
		if (port >= 0 && port <= PortRange.MAX) {
			ports.add(port);
		}
	}

	private int port() {
		return random.nextInt(5) == 0 ? random.nextInt(PortRange.MAX + 1) : pick(ports);
	}

	private int icmpType() {
		return random.nextInt(6) == 0 ? random.nextInt(256) : pick(icmpTypes);
	}

	private int icmpCode() {
		return random.nextInt(6) == 0 ? random.nextInt(256) : pick(icmpCodes);
	}

	private <T> T pick(List<T> list) {
		return list.get(random.nextInt(list.size()));
	}

}
