package dev.polyfence.plan.gcp;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.gcp.Firewall;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/**
	 * Per group and direction ("INGRESS web"), the rules that target it in evaluation
	 * order.
	 */
	private final Map<String, List<Rule>> before = new HashMap<>();

	private final Map<String, List<Rule>> after = new HashMap<>();

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
		index(before.stream().map(GcpSides::rule).toList(), this.before);
		index(after.stream().map(GcpSides::rule).toList(), this.after);
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
		return DirectionOrder.choose(cidrs, this);
	}

	@Override
	public boolean allows(boolean after, boolean ingress, String group, String peerGroup, IPAddress peerAddress,
			DirectionOrder.Probe probe) {
		for (Rule rule : (after ? this.after : this.before).get(key(ingress, group))) {
			if (peer(rule, peerGroup, peerAddress) && rule.matches(probe)) {
				return rule.allow();
			}
		}
		return !ingress;
	}

	@Override
	public boolean changes(boolean ingress, String group) {
		return !DirectionOrder.sameInOrder(before.get(key(ingress, group)), after.get(key(ingress, group)),
				Rule::sameMatch);
	}

	/**
	 * No rule targets the group in this direction: the implied rule decides everything.
	 */
	@Override
	public Boolean uniform(boolean after, boolean ingress, String group) {
		return (after ? this.after : this.before).get(key(ingress, group)).isEmpty() ? !ingress : null;
	}

	@Override
	public DirectionOrder.Cuts cuts(boolean ingress, String group) {
		DirectionOrder.Cuts cuts = DirectionOrder.Cuts.empty();
		for (Map<String, List<Rule>> rules : List.of(before, after)) {
			for (Rule rule : rules.get(key(ingress, group))) {
				cuts.ranges().addAll(ingress ? rule.sourceRanges() : rule.destinationRanges());
				for (Item item : rule.items()) {
					if (item.protocol() != null) {
						cuts.add(item.protocol(), -1, -1);
						item.ports().forEach(r -> cuts.add(item.protocol(), r.from(), r.to()));
					}
				}
			}
		}
		return cuts;
	}

	private void index(List<Rule> rules, Map<String, List<Rule>> byGroup) {
		List<Rule> ordered = new ArrayList<>(rules);
		ordered.sort(Comparator.comparingInt(Rule::priority).thenComparing(Rule::allow));
		for (String group : cidrs.keySet()) {
			for (boolean ingress : List.of(true, false)) {
				byGroup.put(key(ingress, group),
						ordered.stream().filter(r -> r.ingress() == ingress && targets(r, group)).toList());
			}
		}
	}

	private static String key(boolean ingress, String group) {
		return (ingress ? "INGRESS " : "EGRESS ") + group;
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

	private static Rule rule(Firewall f) {
		List<Item> items = new ArrayList<>();
		for (Firewall.ProtocolPorts p : f.isAllow() ? f.allowed() : f.denied()) {
			Integer protocol = "all".equals(p.ipProtocol()) ? null
					: PROTOCOLS.getOrDefault(p.ipProtocol(), number(p.ipProtocol()));
			List<Ports> ports = new ArrayList<>();
			for (String text : p.ports()) {
				String[] ends = text.split("-");
				ports.add(new Ports(Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1])));
			}
			items.add(new Item(protocol, ports));
		}
		return new Rule(!"EGRESS".equals(f.direction()), f.isAllow(), f.priority(), items, blocks(f.sourceRanges()),
				blocks(f.destinationRanges()), f.sourceTags(), f.sourceServiceAccounts(), f.targetTags(),
				f.targetServiceAccounts());
	}

	private static Integer number(String protocol) {
		try {
			return Integer.parseInt(protocol);
		}
		catch (NumberFormatException ex) {
			return -2;
		}
	}

	private static List<IPAddress> blocks(List<String> texts) {
		List<IPAddress> blocks = new ArrayList<>();
		for (String text : texts) {
			IPAddress block = new IPAddressString(text).getAddress();
			if (block != null) {
				blocks.add(block.toPrefixBlock());
			}
		}
		return blocks;
	}

	private record Ports(int from, int to) {
	}

	/** One allowed or denied item: protocol null for all, ports empty for all. */
	private record Item(Integer protocol, List<Ports> ports) {

		boolean matches(DirectionOrder.Probe probe) {
			if (protocol == null) {
				return true;
			}
			if (protocol != probe.protocol()) {
				return false;
			}
			return ports.isEmpty() || probe.port() < 0
					|| ports.stream().anyMatch(r -> r.from() <= probe.port() && probe.port() <= r.to());
		}

	}

	private record Rule(boolean ingress, boolean allow, int priority, List<Item> items, List<IPAddress> sourceRanges,
			List<IPAddress> destinationRanges, List<String> sourceTags, List<String> sourceAccounts,
			List<String> targetTags, List<String> targetAccounts) {

		boolean matches(DirectionOrder.Probe probe) {
			return items.stream().anyMatch(i -> i.matches(probe));
		}

		/** The same rule but for its priority (and so its place). */
		boolean sameMatch(Rule other) {
			return allow == other.allow && items.equals(other.items) && sourceRanges.equals(other.sourceRanges)
					&& destinationRanges.equals(other.destinationRanges) && sourceTags.equals(other.sourceTags)
					&& sourceAccounts.equals(other.sourceAccounts);
		}

	}

}
