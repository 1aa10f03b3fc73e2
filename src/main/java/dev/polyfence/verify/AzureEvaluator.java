package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Azure's own evaluation of NSGs: the NSG of the source workload's group judges the flow
 * outbound, the NSG of the destination workload's group inbound; in each, the rules of
 * that direction and Azure's default rules are taken by priority and the first match
 * decides. NSGs are stateful.
 *
 * <p>
 * Service tags: {@code VirtualNetwork} is the union of all groups' bound Azure cidrs,
 * {@code Internet} everything else, {@code AzureLoadBalancer} 168.63.129.16. {@code Icmp}
 * is taken to match ICMPv6 as well as ICMP, so that a translation relying on it being
 * IPv4 only is caught.
 */
public final class AzureEvaluator implements CloudEvaluator {

	/** Azure's health probe source, the AzureLoadBalancer service tag. */
	static final IPAddress LOAD_BALANCER = Addresses.single("168.63.129.16");

	/**
	 * The lowest priority of Azure's default rules; an NSG's own rules must come before
	 * it.
	 */
	private static final int DEFAULT_RULES_PRIORITY = 65000;

	private final Map<String, Nsg> nsgs = new HashMap<>();

	private final Map<String, String> asgNames = new HashMap<>();

	private final List<IPAddress> virtualNetwork = new ArrayList<>();

	private final List<NsgRule> defaultInbound;

	private final List<NsgRule> defaultOutbound;

	public AzureEvaluator(Policy policy, Bindings bindings, AzureOutput output) {
		Objects.requireNonNull(policy, "policy");
		Bindings.Azure azure = bindings == null ? null : bindings.azure();
		for (String group : policy.groups()) {
			Bindings.AzureGroup bound = azure == null ? null : azure.groups().get(group);
			String asg = bound == null ? null : bound.applicationSecurityGroupName();
			asgNames.put(group, asg == null ? policy.name() + "-" + group : asg);
			if (bound != null) {
				virtualNetwork.addAll(bound.cidrs());
			}
		}
		this.defaultInbound = List.of(
				new NsgRule("AllowVnetInBound", 65000, true, true, null, tag("VirtualNetwork", ""),
						tag("VirtualNetwork", ""), List.of(PortRange.ALL)),
				new NsgRule("AllowAzureLoadBalancerInBound", 65001, true, true, null, tag("AzureLoadBalancer", ""),
						tag("*", ""), List.of(PortRange.ALL)),
				new NsgRule("DenyAllInBound", 65500, true, false, null, tag("*", ""), tag("*", ""),
						List.of(PortRange.ALL)));
		this.defaultOutbound = List.of(
				new NsgRule("AllowVnetOutBound", 65000, false, true, null, tag("VirtualNetwork", ""),
						tag("VirtualNetwork", ""), List.of(PortRange.ALL)),
				new NsgRule("AllowInternetOutBound", 65001, false, true, null, tag("*", ""), tag("Internet", ""),
						List.of(PortRange.ALL)),
				new NsgRule("DenyAllOutBound", 65500, false, false, null, tag("*", ""), tag("*", ""),
						List.of(PortRange.ALL)));
		for (NetworkSecurityGroup nsg : output.networkSecurityGroups()) {
			String where = "NSG " + nsg.name();
			require(nsg.group() != null, where + " serves no group");
			require(policy.groups().contains(nsg.group()), where + " serves " + nsg.group() + ", not a policy group");
			require(!nsgs.containsKey(nsg.group()), "group " + nsg.group() + " has two NSGs");
			nsgs.put(nsg.group(), parse(nsg, where));
		}
		for (String group : policy.groups()) {
			require(nsgs.containsKey(group), "group " + group + " has no NSG");
		}
	}

	@Override
	public Target target() {
		return Target.AZURE;
	}

	@Override
	public CloudVerdict evaluate(Flow flow) {
		flow.requireWorkloadEnd();
		Endpoint.Workload source = flow.sourceWorkload();
		Endpoint.Workload destination = flow.destinationWorkload();
		List<String> why = new ArrayList<>();
		boolean allowed = true;
		if (source != null) {
			allowed &= step(source.group(), false, flow, why);
		}
		if (destination != null) {
			allowed &= step(destination.group(), true, flow, why);
		}
		return CloudVerdict.stateful(allowed, String.join("; ", why));
	}

	private boolean step(String group, boolean inbound, Flow flow, List<String> why) {
		Nsg nsg = nsgs.get(group);
		if (nsg == null) {
			throw new IllegalArgumentException("workload group " + group + " has no NSG");
		}
		for (NsgRule rule : inbound ? nsg.inbound() : nsg.outbound()) {
			if (rule.matches(flow)) {
				why.add("NSG " + nsg.name() + (inbound ? " inbound: " : " outbound: ") + rule.name() + " ("
						+ rule.priority() + ") " + (rule.allow() ? "allow" : "DENY"));
				return rule.allow();
			}
		}
		throw new IllegalStateException("the default rules match everything");
	}

	// ---- parsing the ARM records, failing loudly where ARM would refuse them ----

	private Nsg parse(NetworkSecurityGroup nsg, String where) {
		require(nsg.properties() != null, where + " has no properties");
		List<NsgRule> inbound = new ArrayList<>(defaultInbound);
		List<NsgRule> outbound = new ArrayList<>(defaultOutbound);
		Set<String> names = new HashSet<>();
		Set<String> priorities = new HashSet<>();
		for (SecurityRule rule : nsg.properties().securityRules()) {
			String at = where + " rule " + rule.name();
			require(rule.name() != null && names.add(rule.name()), at + ": name missing or used twice");
			NsgRule parsed = parse(rule, at);
			require(priorities.add(parsed.inbound() + "/" + parsed.priority()),
					at + ": priority " + parsed.priority() + " used twice in one direction");
			(parsed.inbound() ? inbound : outbound).add(parsed);
		}
		inbound.sort(Comparator.comparingInt(NsgRule::priority));
		outbound.sort(Comparator.comparingInt(NsgRule::priority));
		return new Nsg(nsg.name(), List.copyOf(inbound), List.copyOf(outbound));
	}

	private NsgRule parse(SecurityRule rule, String where) {
		SecurityRule.Properties p = rule.properties();
		require(p != null, where + ": no properties");
		// Outside 100-4096 ARM refuses the rule, but the order is still defined; the
		// translator reports
		// it (AZURE_PRIORITY_BAND). Only a priority that would tie with or follow the
		// defaults is refused.
		require(0 < p.priority() && p.priority() < DEFAULT_RULES_PRIORITY,
				where + ": priority " + p.priority() + " is not below the default rules' 65000");
		boolean inbound = oneOf(p.direction(), "Inbound", "Outbound", where + " direction");
		boolean allow = oneOf(p.access(), "Allow", "Deny", where + " access");
		Set<Integer> protocols = protocols(p.protocol(), where);
		require("*".equals(p.sourcePortRange()),
				where + ": sourcePortRange is \"" + p.sourcePortRange() + "\"; only \"*\" is evaluated");
		Side source = side(p.sourceAddressPrefix(), p.sourceAddressPrefixes(), p.sourceApplicationSecurityGroups(),
				where + " source");
		Side destination = side(p.destinationAddressPrefix(), p.destinationAddressPrefixes(),
				p.destinationApplicationSecurityGroups(), where + " destination");
		boolean single = p.destinationPortRange() != null;
		boolean several = p.destinationPortRanges() != null && !p.destinationPortRanges().isEmpty();
		require(single != several, where + ": give exactly one of destinationPortRange and destinationPortRanges");
		List<PortRange> ports = new ArrayList<>();
		for (String text : single ? List.of(p.destinationPortRange()) : p.destinationPortRanges()) {
			ports.add(Ports.parse(text, true, where + " destination port"));
		}
		return new NsgRule(rule.name(), p.priority(), inbound, allow, protocols, source, destination, ports);
	}

	/**
	 * The protocol numbers an ARM protocol matches; null for "*". Icmp matches ICMPv6
	 * too, on purpose.
	 */
	private static Set<Integer> protocols(String protocol, String where) {
		require(protocol != null, where + ": protocol is missing");
		return switch (protocol.toLowerCase(Locale.ROOT)) {
			case "*" -> null;
			case "tcp" -> Set.of(Flow.TCP);
			case "udp" -> Set.of(Flow.UDP);
			case "icmp" -> Set.of(Flow.ICMP, Flow.ICMPV6);
			case "esp" -> Set.of(50);
			case "ah" -> Set.of(51);
			default ->
				throw new IllegalArgumentException(where + ": protocol \"" + protocol + "\" is not one Azure knows");
		};
	}

	private Side side(String prefix, List<String> prefixes, List<SecurityRule.ApplicationSecurityGroupRef> asgs,
			String where) {
		boolean hasPrefix = prefix != null;
		boolean hasPrefixes = prefixes != null && !prefixes.isEmpty();
		boolean hasAsgs = asgs != null && !asgs.isEmpty();
		int given = (hasPrefix ? 1 : 0) + (hasPrefixes ? 1 : 0) + (hasAsgs ? 1 : 0);
		require(given == 1, where + ": give exactly one of an address prefix, address prefixes and ASGs");
		if (hasAsgs) {
			Set<String> names = new HashSet<>();
			for (SecurityRule.ApplicationSecurityGroupRef ref : asgs) {
				require(ref != null && ref.id() != null && !ref.id().isBlank(), where + ": ASG reference without id");
				String id = ref.id().endsWith("/") ? ref.id().substring(0, ref.id().length() - 1) : ref.id();
				names.add(id.substring(id.lastIndexOf('/') + 1));
			}
			return new Side("asg:" + names,
					e -> e instanceof Endpoint.Workload w && names.contains(asgNames.get(w.group())));
		}
		List<Predicate<Endpoint>> tests = new ArrayList<>();
		List<String> texts = hasPrefix ? List.of(prefix) : prefixes;
		for (String text : texts) {
			tests.add(tag(text, where).test());
		}
		return new Side(String.join(",", texts), e -> tests.stream().anyMatch(t -> t.test(e)));
	}

	/** An address prefix: "*", a service tag, a CIDR block or an address. */
	private Side tag(String text, String where) {
		require(text != null, where + ": address prefix is null");
		return switch (text) {
			case "*" -> new Side(text, e -> true);
			case "VirtualNetwork" -> new Side(text, e -> Addresses.anyContains(virtualNetwork, e.address()));
			case "Internet" -> new Side(text, e -> !Addresses.anyContains(virtualNetwork, e.address()));
			case "AzureLoadBalancer" -> new Side(text, e -> e.address().equals(LOAD_BALANCER));
			default -> {
				IPAddress block = Addresses.block(text, where);
				yield new Side(text, e -> Addresses.contains(block, e.address()));
			}
		};
	}

	private static boolean oneOf(String value, String yes, String no, String where) {
		if (yes.equals(value)) {
			return true;
		}
		if (no.equals(value)) {
			return false;
		}
		throw new IllegalArgumentException(where + ": \"" + value + "\" is neither " + yes + " nor " + no);
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	private record Nsg(String name, List<NsgRule> inbound, List<NsgRule> outbound) {
	}

	private record Side(String text, Predicate<Endpoint> test) {
	}

	/**
	 * A parsed rule; {@code protocols} null for every protocol; ports apply to TCP and
	 * UDP packets only.
	 */
	private record NsgRule(String name, int priority, boolean inbound, boolean allow, Set<Integer> protocols,
			Side source, Side destination, List<PortRange> ports) {

		boolean matches(Flow flow) {
			if (protocols != null && !protocols.contains(flow.protocol())) {
				return false;
			}
			if (flow.hasPort() && ports.stream().noneMatch(r -> r.contains(flow.port()))) {
				return false;
			}
			return source.test().test(flow.source()) && destination.test().test(flow.destination());
		}
	}

}
