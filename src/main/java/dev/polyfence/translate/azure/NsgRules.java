package dev.polyfence.translate.azure;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits one policy rule into NSG rules: one per Azure protocol and kind of peer
 * (prefixes, or up to ten application security groups), as augmented rules with every
 * prefix and port range of that part. What Azure cannot express (ICMP type and code,
 * protocol numbers other than those it names) is approximated towards closed, with a
 * finding.
 */
final class NsgRules {

	/** The peer side of a rule, resolved: "*" for any, prefixes, and ASG ids. */
	record Peers(boolean any, AddressSet prefixes, List<String> asgIds) {
	}

	/** One NSG rule before it gets its priority and name. */
	record Part(String protocol, List<String> ports, String peerPrefix, List<String> peerPrefixes,
			List<String> peerAsgs, String localPrefix) {
	}

	private NsgRules() {
	}

	static List<Part> parts(Rule rule, Peers peers, List<Finding> findings) {
		Map<String, IntervalSet> protocols = protocols(rule, findings);
		List<Part> parts = new ArrayList<>();
		protocols.forEach((protocol, detail) -> {
			if ("Icmp".equals(protocol)) {
				boolean v4 = detail.contains(4);
				boolean v6 = detail.contains(6);
				String local = v4 && v6 ? "*" : v4 ? "0.0.0.0/0" : "::/0";
				AddressSet family = v4 && v6 ? AddressSet.ALL : v4 ? AddressSet.ALL_V4 : AddressSet.ALL_V6;
				addPeerParts(parts, protocol, List.of("*"), peers, family, local);
			}
			else {
				addPeerParts(parts, protocol, ports(protocol, detail), peers, AddressSet.ALL, "*");
			}
		});
		return parts;
	}

	private static void addPeerParts(List<Part> parts, String protocol, List<String> ports, Peers peers,
			AddressSet family, String local) {
		if (peers.any()) {
			parts.add(new Part(protocol, ports, "*", null, null, local));
			return;
		}
		// ARM refuses a rule whose prefixes mix address families
		// (ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies), so each
		// family gets its own part.
		AddressSet inFamily = peers.prefixes().intersect(family);
		for (AddressSet sameFamily : List.of(inFamily.ipv4(), inFamily.ipv6())) {
			List<String> prefixes = sameFamily.cidrs();
			if (prefixes.size() == 1) {
				parts.add(new Part(protocol, ports, prefixes.get(0), null, null, local));
			}
			else if (!prefixes.isEmpty()) {
				parts.add(new Part(protocol, ports, null, prefixes, null, local));
			}
		}
		List<String> asgs = peers.asgIds();
		for (int i = 0; i < asgs.size(); i += AzureLimits.ASGS_PER_RULE) {
			parts.add(new Part(protocol, ports, null, null,
					asgs.subList(i, Math.min(asgs.size(), i + AzureLimits.ASGS_PER_RULE)), local));
		}
	}

	/**
	 * Azure protocol → detail: ports for Tcp and Udp, the families (4, 6) for Icmp,
	 * nothing for the others. "*" alone when the rule matches every protocol.
	 */
	private static Map<String, IntervalSet> protocols(Rule rule, List<Finding> findings) {
		Map<String, IntervalSet> protocols = new TreeMap<>();
		if (rule.services().isEmpty()) {
			return Map.of("*", IntervalSet.EMPTY);
		}
		for (Service s : rule.services()) {
			int p = s.protocol().number();
			if (s.protocol().isAny()) {
				return Map.of("*", IntervalSet.EMPTY);
			}
			if (s.protocol().hasPorts()) {
				IntervalSet ports = s.ports().isEmpty() ? IntervalSet.of(0, PortRange.MAX) : IntervalSet.EMPTY;
				for (PortRange r : s.ports()) {
					ports = ports.union(IntervalSet.of(r.from(), r.to()));
				}
				protocols.merge(p == 6 ? "Tcp" : "Udp", ports, IntervalSet::union);
			}
			else if (s.protocol().isIcmp()) {
				if (s.hasIcmpType()) {
					findings.add(approximation(rule,
							"Azure cannot match ICMP types or codes: "
									+ (rule.action() == Action.ALLOW ? "this allow of " + describe(s) + " is left out"
											: "this deny of " + describe(s) + " is widened to all " + s.protocol())
									+ " (errs closed)"));
					if (rule.action() == Action.ALLOW) {
						continue;
					}
				}
				protocols.merge("Icmp", IntervalSet.of(p == 1 ? 4 : 6, p == 1 ? 4 : 6), IntervalSet::union);
			}
			else if (p == 50 || p == 51) {
				protocols.put(p == 50 ? "Esp" : "Ah", IntervalSet.EMPTY);
			}
			else {
				findings.add(approximation(rule,
						"Azure has no protocol " + p + ": " + (rule.action() == Action.ALLOW
								? "this allow of it is left out" : "this deny is widened to all protocols")
								+ " (errs closed)"));
				if (rule.action() == Action.DENY) {
					return Map.of("*", IntervalSet.EMPTY);
				}
			}
		}
		return protocols;
	}

	private static List<String> ports(String protocol, IntervalSet detail) {
		if (!"Tcp".equals(protocol) && !"Udp".equals(protocol)) {
			return List.of("*");
		}
		if (detail.size() == 1 && detail.low(0) == 0 && detail.high(0) == PortRange.MAX) {
			return List.of("*");
		}
		List<String> ports = new ArrayList<>();
		for (int i = 0; i < detail.size(); i++) {
			ports.add(new PortRange(detail.low(i), detail.high(i)).toString());
		}
		return ports;
	}

	private static String describe(Service s) {
		return s.protocol() + " type " + s.icmpType() + (s.icmpCode() == null ? "" : " code " + s.icmpCode());
	}

	private static Finding approximation(Rule rule, String message) {
		return Finding.of(FindingCode.APPROXIMATED, Target.AZURE, rule.name(), message);
	}

	static String direction(Direction direction) {
		return direction == Direction.INGRESS ? "Inbound" : "Outbound";
	}

}
