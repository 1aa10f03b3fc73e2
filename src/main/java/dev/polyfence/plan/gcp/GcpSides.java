package dev.polyfence.plan.gcp;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.Firewall;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * GCP's decision for one workload of a policy group under the network's rules before and
 * after a plan, for {@link DirectionOrder}: among the rules of the direction that target
 * the group's tags or service account (or every instance) and match the peer and the
 * service, the lowest priority number decides, a deny winning a tie; else the implied
 * rules (ingress deny, egress allow). Groups are selected as the translator selects them.
 */
final class GcpSides implements DirectionOrder.Sides {

	private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "icmp", 1, "esp", 50, "ah", 51,
			"sctp", 132, "ipip", 4);

	private final Map<String, List<String>> tags = new HashMap<>();

	private final Map<String, String> accounts = new HashMap<>();

	private final Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();

	private final List<Rule> before = new ArrayList<>();

	private final List<Rule> after = new ArrayList<>();

	private final Set<Integer> protocols = new TreeSet<>();

	private final Map<Integer, List<int[]>> ports = new HashMap<>();

	private final List<IPAddress> ranges = new ArrayList<>();

	GcpSides(Policy policy, Bindings.Gcp gcp, List<Firewall> before, List<Firewall> after) {
		for (String group : policy.groups()) {
			Bindings.GcpGroup b = gcp == null ? null : gcp.group(group).orElse(null);
			if (b == null) {
				tags.put(group, List.of(policy.name() + "-" + group));
				cidrs.put(group, List.of());
			}
			else {
				tags.put(group, b.serviceAccount() != null ? List.of() : b.targetTags());
				accounts.put(group, b.serviceAccount());
				cidrs.put(group, b.cidrs());
			}
		}
		before.forEach(f -> this.before.add(rule(f)));
		after.forEach(f -> this.after.add(rule(f)));
	}

	/** The tags that select a group's workloads (none when a service account does). */
	List<String> tags(String group) {
		return tags.get(group);
	}

	/** The service account that selects a group's workloads, or null. */
	String account(String group) {
		return accounts.get(group);
	}

	DirectionOrder.Choice choose() {
		return DirectionOrder.choose(DirectionOrder.spans(cidrs, ranges), DirectionOrder.probes(protocols, ports),
				this);
	}

	@Override
	public boolean allows(boolean after, boolean ingress, String group, String peerGroup, IPAddress peerAddress,
			DirectionOrder.Probe probe) {
		Rule decider = null;
		for (Rule rule : after ? this.after : this.before) {
			if (rule.ingress() == ingress && targets(rule, group) && peer(rule, peerGroup, peerAddress)
					&& rule.matches(probe)) {
				if (decider == null || rule.priority() < decider.priority()
						|| (rule.priority() == decider.priority() && !rule.allow())) {
					decider = rule;
				}
			}
		}
		return decider == null ? !ingress : decider.allow();
	}

	private boolean targets(Rule rule, String group) {
		if (rule.targetTags().isEmpty() && rule.targetAccounts().isEmpty()) {
			return true;
		}
		return carries(group, rule.targetTags(), rule.targetAccounts());
	}

	private boolean carries(String group, List<String> anyTags, List<String> anyAccounts) {
		return tags.get(group).stream().anyMatch(anyTags::contains)
				|| (accounts.get(group) != null && anyAccounts.contains(accounts.get(group)));
	}

	private boolean peer(Rule rule, String peerGroup, IPAddress address) {
		if (contains(rule.ingress() ? rule.sourceRanges() : rule.destinationRanges(), address)) {
			return true;
		}
		return rule.ingress() && carries(peerGroup, rule.sourceTags(), rule.sourceAccounts());
	}

	private static boolean contains(List<IPAddress> ranges, IPAddress address) {
		for (IPAddress range : ranges) {
			if (address == null ? range.getNetworkPrefixLength() != null && range.getNetworkPrefixLength() == 0
					: range.getIPVersion() == address.getIPVersion() && range.contains(address)) {
				return true;
			}
		}
		return false;
	}

	private Rule rule(Firewall f) {
		List<Item> items = new ArrayList<>();
		for (Firewall.ProtocolPorts p : f.isAllow() ? f.allowed() : f.denied()) {
			Integer protocol = "all".equals(p.ipProtocol()) ? null
					: PROTOCOLS.getOrDefault(p.ipProtocol(), parse(p.ipProtocol()));
			List<int[]> portRanges = new ArrayList<>();
			for (String text : p.ports()) {
				String[] ends = text.split("-");
				portRanges.add(new int[] { Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1]) });
			}
			if (protocol != null) {
				protocols.add(protocol);
				ports.computeIfAbsent(protocol, k -> new ArrayList<>()).addAll(portRanges);
			}
			items.add(new Item(protocol, portRanges));
		}
		return new Rule("INGRESS".equals(f.direction()) || f.direction() == null, f.isAllow(), f.priority(), items,
				blocks(f.sourceRanges()), blocks(f.destinationRanges()), f.sourceTags(), f.sourceServiceAccounts(),
				f.targetTags(), f.targetServiceAccounts());
	}

	private static Integer parse(String protocol) {
		try {
			return Integer.parseInt(protocol);
		}
		catch (NumberFormatException ex) {
			return -2;
		}
	}

	private List<IPAddress> blocks(List<String> texts) {
		List<IPAddress> blocks = new ArrayList<>();
		for (String text : texts) {
			IPAddress block = new IPAddressString(text).getAddress();
			if (block != null) {
				blocks.add(block.toPrefixBlock());
				ranges.add(block.toPrefixBlock());
			}
		}
		return blocks;
	}

	/** One allowed or denied item: protocol null for all, ports empty for all. */
	private record Item(Integer protocol, List<int[]> ports) {

		boolean matches(DirectionOrder.Probe probe) {
			if (protocol == null) {
				return true;
			}
			if (protocol != probe.protocol()) {
				return false;
			}
			return ports.isEmpty() || probe.port() < 0
					|| ports.stream().anyMatch(r -> r[0] <= probe.port() && probe.port() <= r[1]);
		}

	}

	private record Rule(boolean ingress, boolean allow, int priority, List<Item> items, List<IPAddress> sourceRanges,
			List<IPAddress> destinationRanges, List<String> sourceTags, List<String> sourceAccounts,
			List<String> targetTags, List<String> targetAccounts) {

		boolean matches(DirectionOrder.Probe probe) {
			return items.stream().anyMatch(i -> i.matches(probe));
		}

	}

}
