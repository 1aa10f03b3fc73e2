package dev.polyfence.plan.azure;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.policy.Bindings;
import dev.polyfence.translate.azure.SecurityRule;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Temporary deny rules for the flows that pass midway whichever direction changes first
 * ({@link DirectionOrder.Risk}): flows that the old and the new rules both deny, so a
 * deny of exactly them changes nothing before or after. They go into the NSG of the end
 * that changes second (the receiver's inbound when outbound changes first, else the
 * sender's outbound), ahead of its other rules, from a first PUT until the PUT that gives
 * that NSG its new rules: until then that end still allows the flow, afterwards it denies
 * it itself. Peers are the spans of the groups' addresses (a group without bound
 * addresses by its application security group); Azure cannot say other protocols than
 * TCP, UDP, ICMP, ESP and AH without widening to all, so flows of others are not held.
 */
final class AzureGuards {

	private static final int FIRST_PRIORITY = 100;

	private static final int LAST_PRIORITY = 4096;

	private static final Map<Integer, String> PROTOCOLS = Map.of(6, "Tcp", 17, "Udp", 1, "Icmp", 58, "Icmp", 50, "Esp",
			51, "Ah");

	/** Guard rules by the group whose NSG holds them, and the risks they cannot hold. */
	record Guards(Map<String, List<SecurityRule>> byGroup, String direction, List<DirectionOrder.Risk> unheld) {
	}

	private AzureGuards() {
	}

	static Guards of(DirectionOrder.Choice choice, Bindings.Azure azure, AzureSides sides) {
		boolean inbound = choice.egressFirst();
		String direction = inbound ? "Inbound" : "Outbound";
		Map<List<Object>, List<String>> ports = new LinkedHashMap<>();
		Map<List<Object>, SecurityRule.Properties> shapes = new LinkedHashMap<>();
		List<DirectionOrder.Risk> unheld = new ArrayList<>();
		for (DirectionOrder.Risk risk : choice.risks()) {
			String protocol = PROTOCOLS.get(risk.probe().protocol());
			if (protocol == null || risk.probe().unnamed()) {
				unheld.add(risk);
				continue;
			}
			String group = inbound ? risk.receiver() : risk.sender();
			Side source = side(risk.sources(), risk.sender(), inbound, risk.ipv4(), azure, sides);
			Side destination = side(risk.destinations(), risk.receiver(), !inbound, risk.ipv4(), azure, sides);
			List<Object> key = List.of(group, protocol, source, destination);
			shapes.computeIfAbsent(key,
					k -> new SecurityRule.Properties("polyfence guard: temporary, while an apply changes the rules", 0,
							direction, "Deny", protocol, source.prefix(), source.prefixes(), source.asgs(), "*",
							destination.prefix(), destination.prefixes(), destination.asgs(), null, null));
			List<String> list = ports.computeIfAbsent(key, k -> new ArrayList<>());
			DirectionOrder.Probe probe = risk.probe();
			if (probe.port() >= 0) {
				list.add(probe.port() == probe.toPort() ? Integer.toString(probe.port())
						: probe.port() + "-" + probe.toPort());
			}
		}
		Map<String, List<SecurityRule>> byGroup = new LinkedHashMap<>();
		shapes.forEach((key, p) -> {
			List<SecurityRule> rules = byGroup.computeIfAbsent((String) key.get(0), k -> new ArrayList<>());
			List<String> portList = ports.get(key);
			SecurityRule.Properties withPorts = new SecurityRule.Properties(p.description(), p.priority(),
					p.direction(), p.access(), p.protocol(), p.sourceAddressPrefix(), p.sourceAddressPrefixes(),
					p.sourceApplicationSecurityGroups(), p.sourcePortRange(), p.destinationAddressPrefix(),
					p.destinationAddressPrefixes(), p.destinationApplicationSecurityGroups(),
					portList.size() == 1 ? portList.get(0) : portList.isEmpty() ? "*" : null,
					portList.size() > 1 ? portList : null);
			rules.add(new SecurityRule("polyfence_guard_" + (rules.size() + 1), withPorts));
		});
		return new Guards(byGroup, direction, unheld);
	}

	/** One side of a guard: one prefix, several, or application security groups. */
	private record Side(String prefix, List<String> prefixes, List<SecurityRule.ApplicationSecurityGroupRef> asgs) {
	}

	/**
	 * A group's spans as prefixes; a group without addresses by its application security
	 * group when it is the peer, by its address family when it is the NSG's own side.
	 */
	private static Side side(List<DirectionOrder.Span> spans, String group, boolean peer, boolean ipv4,
			Bindings.Azure azure, AzureSides sides) {
		List<String> prefixes = new ArrayList<>();
		for (DirectionOrder.Span span : spans) {
			if (span.lower() == null) {
				return peer
						? new Side(null, null,
								List.of(new SecurityRule.ApplicationSecurityGroupRef(asgId(azure, sides.asg(group)))))
						: new Side(ipv4 ? "0.0.0.0/0" : "::/0", null, null);
			}
			for (IPAddress block : span.lower().spanWithPrefixBlocks(span.upper())) {
				prefixes.add(block.toCanonicalString());
			}
		}
		return prefixes.size() == 1 ? new Side(prefixes.get(0), null, null) : new Side(null, prefixes, null);
	}

	private static String asgId(Bindings.Azure azure, String name) {
		String subscription = azure == null || azure.subscriptionId() == null ? "unbound" : azure.subscriptionId();
		String resourceGroup = azure == null || azure.resourceGroup() == null ? "unbound" : azure.resourceGroup();
		return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
				+ "/providers/Microsoft.Network/applicationSecurityGroups/" + name;
	}

	/**
	 * The rules with the guards ahead of the others of their direction, at the lowest
	 * priorities; the others keep their order, renumbered only where the guards need the
	 * room. Null when the band cannot hold them all.
	 */
	static List<SecurityRule> ahead(List<SecurityRule> rules, List<SecurityRule> guards, String direction) {
		List<SecurityRule> same = new ArrayList<>(
				rules.stream().filter(r -> r.properties().direction().equals(direction)).toList());
		same.sort(Comparator.comparingInt(r -> r.properties().priority()));
		int next = FIRST_PRIORITY + guards.size();
		if (next + same.size() - 1 > LAST_PRIORITY) {
			return null;
		}
		List<SecurityRule> result = new ArrayList<>();
		for (int i = 0; i < guards.size(); i++) {
			result.add(withPriority(guards.get(i), FIRST_PRIORITY + i));
		}
		List<Integer> priorities = new ArrayList<>();
		int previous = next - 1;
		for (SecurityRule rule : same) {
			previous = Math.max(rule.properties().priority(), previous + 1);
			priorities.add(previous);
		}
		if (previous > LAST_PRIORITY) {
			int step = same.size() < 2 ? 1 : (LAST_PRIORITY - next) / (same.size() - 1);
			for (int i = 0; i < same.size(); i++) {
				priorities.set(i, next + i * step);
			}
		}
		for (int i = 0; i < same.size(); i++) {
			result.add(withPriority(same.get(i), priorities.get(i)));
		}
		rules.stream().filter(r -> !r.properties().direction().equals(direction)).forEach(result::add);
		return result;
	}

	private static SecurityRule withPriority(SecurityRule rule, int priority) {
		SecurityRule.Properties p = rule.properties();
		return new SecurityRule(rule.name(),
				new SecurityRule.Properties(p.description(), priority, p.direction(), p.access(), p.protocol(),
						p.sourceAddressPrefix(), p.sourceAddressPrefixes(), p.sourceApplicationSecurityGroups(),
						p.sourcePortRange(), p.destinationAddressPrefix(), p.destinationAddressPrefixes(),
						p.destinationApplicationSecurityGroups(), p.destinationPortRange(), p.destinationPortRanges()));
	}

}
