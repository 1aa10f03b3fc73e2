package dev.polyfence.plan.azure;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.azure.SecurityRule;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Azure's decision for one workload of a policy group under its NSG's rules before and
 * after a plan, for {@link DirectionOrder}: the rule of the direction with the lowest
 * priority that matches decides; past the NSG's own rules, Azure's default rules
 * (VirtualNetwork being the groups' bound addresses). A workload of group G lies in G's
 * bound cidrs and is a member of G's application security group. A group without an NSG
 * is not filtered.
 */
final class AzureSides implements DirectionOrder.Sides {

	private final Map<String, String> asgs = new HashMap<>();

	private final Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();

	private final List<IPAddress> virtualNetwork = new ArrayList<>();

	private final Map<String, List<Rule>> before = new HashMap<>();

	private final Map<String, List<Rule>> after = new HashMap<>();

	/**
	 * @param before each group's rules as they are (absent: no NSG)
	 * @param after each group's desired rules
	 */
	AzureSides(Policy policy, Bindings.Azure azure, Map<String, List<SecurityRule>> before,
			Map<String, List<SecurityRule>> after) {
		for (String group : policy.groups()) {
			Bindings.AzureGroup b = azure == null ? null : azure.group(group).orElse(null);
			asgs.put(group, b == null || b.applicationSecurityGroupName() == null ? policy.name() + "-" + group
					: b.applicationSecurityGroupName());
			cidrs.put(group, b == null ? List.of() : b.cidrs());
			if (b != null) {
				virtualNetwork.addAll(b.cidrs());
			}
		}
		before.forEach((group, rules) -> this.before.put(group, parse(rules)));
		after.forEach((group, rules) -> this.after.put(group, parse(rules)));
	}

	/** The application security group of a group's workloads, by name. */
	String asg(String group) {
		return asgs.get(group);
	}

	DirectionOrder.Choice choose() {
		return DirectionOrder.choose(cidrs, this);
	}

	@Override
	public boolean allows(boolean after, boolean ingress, String group, String peerGroup, IPAddress peerAddress,
			DirectionOrder.Probe probe) {
		List<Rule> rules = (after ? this.after : this.before).get(group);
		if (rules == null) {
			return true;
		}
		for (Rule rule : rules) {
			if (rule.inbound() == ingress && rule.matches(probe) && peer(rule.peer(), peerGroup, peerAddress)
					&& local(rule.local(), peerAddress)) {
				return rule.allow();
			}
		}
		// Azure's default rules: within the virtual network both ways, and out to the
		// internet
		return !ingress || inVirtualNetwork(peerAddress);
	}

	@Override
	public boolean changes(boolean ingress, String group) {
		return before.get(group) == null || !DirectionOrder.sameInOrder(rules(before.get(group), ingress),
				rules(after.get(group), ingress), Rule::sameMatch);
	}

	/** A group without an NSG is not filtered: it allows everything. */
	@Override
	public Boolean uniform(boolean after, boolean ingress, String group) {
		return (after ? this.after : this.before).get(group) == null ? Boolean.TRUE : null;
	}

	@Override
	public DirectionOrder.Cuts cuts(boolean ingress, String group) {
		DirectionOrder.Cuts cuts = DirectionOrder.Cuts.empty();
		for (Map<String, List<Rule>> nsgs : List.of(before, after)) {
			for (Rule rule : rules(nsgs.get(group), ingress)) {
				rule.peer().blocks().stream().filter(Objects::nonNull).forEach(cuts.ranges()::add);
				for (int protocol : rule.protocols() == null ? List.<Integer>of() : rule.protocols()) {
					cuts.add(protocol, -1, -1);
					rule.ports().forEach(r -> cuts.add(protocol, r.from(), r.to()));
				}
			}
		}
		return cuts;
	}

	private static List<Rule> rules(List<Rule> nsg, boolean inbound) {
		return nsg == null ? List.of() : nsg.stream().filter(r -> r.inbound() == inbound).toList();
	}

	private boolean peer(Side side, String peerGroup, IPAddress address) {
		if (!side.asgs().isEmpty()) {
			return side.asgs().contains(asgs.get(peerGroup));
		}
		for (int i = 0; i < side.prefixes().size(); i++) {
			boolean match = switch (side.prefixes().get(i)) {
				case "*" -> true;
				case "VirtualNetwork" -> inVirtualNetwork(address);
				case "Internet" -> !inVirtualNetwork(address);
				case "AzureLoadBalancer" -> false;
				default -> contains(side.blocks().get(i), address);
			};
			if (match) {
				return true;
			}
		}
		return false;
	}

	/** The workload's own side: "*", or a whole family ("0.0.0.0/0", "::/0"). */
	private static boolean local(Side side, IPAddress peerAddress) {
		if (!side.asgs().isEmpty() || peerAddress == null) {
			return true;
		}
		for (IPAddress block : side.blocks()) {
			if (block == null || block.getIPVersion() == peerAddress.getIPVersion()) {
				return true;
			}
		}
		return false;
	}

	private boolean inVirtualNetwork(IPAddress address) {
		return address != null && virtualNetwork.stream().anyMatch(b -> contains(b, address));
	}

	private static boolean contains(IPAddress block, IPAddress address) {
		if (block == null) {
			return false;
		}
		if (address == null) {
			return block.getNetworkPrefixLength() != null && block.getNetworkPrefixLength() == 0;
		}
		return block.getIPVersion() == address.getIPVersion() && block.toPrefixBlock().contains(address);
	}

	private static List<Rule> parse(List<SecurityRule> rules) {
		List<Rule> parsed = new ArrayList<>();
		for (SecurityRule rule : rules) {
			SecurityRule.Properties p = rule.properties();
			boolean inbound = "Inbound".equals(p.direction());
			Side source = side(p.sourceAddressPrefix(), p.sourceAddressPrefixes(), p.sourceApplicationSecurityGroups());
			Side destination = side(p.destinationAddressPrefix(), p.destinationAddressPrefixes(),
					p.destinationApplicationSecurityGroups());
			List<Integer> protocol = protocols(p.protocol());
			List<Ports> portRanges = new ArrayList<>();
			List<String> texts = p.destinationPortRanges() != null && !p.destinationPortRanges().isEmpty()
					? p.destinationPortRanges()
					: p.destinationPortRange() == null ? List.of("*") : List.of(p.destinationPortRange());
			for (String text : texts) {
				if (!text.equals("*")) {
					String[] ends = text.split("-");
					portRanges.add(new Ports(Integer.parseInt(ends[0]), Integer.parseInt(ends[ends.length - 1])));
				}
			}
			parsed.add(new Rule(p.priority(), inbound, "Allow".equals(p.access()), protocol, portRanges,
					inbound ? source : destination, inbound ? destination : source));
		}
		parsed.sort(Comparator.comparingInt(Rule::priority));
		return parsed;
	}

	private static Side side(String prefix, List<String> prefixes,
			List<SecurityRule.ApplicationSecurityGroupRef> refs) {
		List<String> names = new ArrayList<>();
		if (refs != null) {
			for (SecurityRule.ApplicationSecurityGroupRef ref : refs) {
				String id = ref.id().endsWith("/") ? ref.id().substring(0, ref.id().length() - 1) : ref.id();
				names.add(id.substring(id.lastIndexOf('/') + 1));
			}
		}
		List<String> texts = prefix != null ? List.of(prefix) : prefixes != null ? prefixes : List.of();
		List<IPAddress> blocks = new ArrayList<>();
		for (String text : texts) {
			IPAddress block = text.equals("*") ? null : new IPAddressString(text).getAddress();
			blocks.add(block == null ? null : block.toPrefixBlock());
		}
		return new Side(texts, blocks, names);
	}

	/** Protocol numbers, null for every protocol. */
	private static List<Integer> protocols(String protocol) {
		return switch (protocol == null ? "*" : protocol.toLowerCase(Locale.ROOT)) {
			case "tcp" -> List.of(6);
			case "udp" -> List.of(17);
			case "icmp" -> List.of(1, 58);
			case "esp" -> List.of(50);
			case "ah" -> List.of(51);
			default -> null;
		};
	}

	/** Prefixes as written, the CIDR blocks among them (null elsewhere), ASG names. */
	private record Side(List<String> prefixes, List<IPAddress> blocks, List<String> asgs) {
	}

	private record Ports(int from, int to) {
	}

	private record Rule(int priority, boolean inbound, boolean allow, List<Integer> protocols, List<Ports> ports,
			Side peer, Side local) {

		boolean matches(DirectionOrder.Probe probe) {
			if (protocols != null && !protocols.contains(probe.protocol())) {
				return false;
			}
			return ports.isEmpty() || probe.port() < 0
					|| ports.stream().anyMatch(r -> r.from() <= probe.port() && probe.port() <= r.to());
		}

		/** The same rule but for its priority. */
		boolean sameMatch(Rule other) {
			return allow == other.allow && Objects.equals(protocols, other.protocols) && ports.equals(other.ports)
					&& peer.equals(other.peer) && local.equals(other.local);
		}

	}

}
