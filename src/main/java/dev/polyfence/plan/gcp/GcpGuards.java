package dev.polyfence.plan.gcp;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.translate.Names;
import dev.polyfence.translate.gcp.Firewall;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Temporary denies for the flows that pass midway whichever direction moves first
 * ({@link DirectionOrder.Risk}): flows that the old and the new rules both deny, so a
 * deny of exactly them, ahead of every other rule, changes nothing before or after and
 * keeps them denied in between. One INGRESS firewall per sender, receiver and spans of
 * their addresses, at priority 0 (a deny wins a tie there too): target the receiver,
 * sources the sender's spans (or its tags or service account when it has no bound
 * addresses), destinations the receiver's spans. They carry the policy's marker, so a
 * plan after a failed apply takes them away like any old rule.
 */
final class GcpGuards {

	static final int PRIORITY = 0;

	private static final int RANGES_PER_RULE = 256;

	private static final Map<Integer, String> NAMES = Map.of(6, "tcp", 17, "udp", 1, "icmp", 50, "esp", 51, "ah", 132,
			"sctp", 4, "ipip");

	/** The guards, and the risks they cannot hold. */
	record Guards(List<Firewall> firewalls, List<DirectionOrder.Risk> unheld) {
	}

	private GcpGuards() {
	}

	static Guards of(String policy, String network, GcpSides sides, List<DirectionOrder.Risk> risks,
			Set<String> taken) {
		Map<List<Object>, Map<String, List<String>>> denied = new LinkedHashMap<>();
		Map<List<Object>, Firewall> shapes = new LinkedHashMap<>();
		List<DirectionOrder.Risk> unheld = new ArrayList<>();
		for (DirectionOrder.Risk risk : risks) {
			Firewall shape = shape(risk, sides);
			if (shape == null || risk.probe().unnamed()) {
				unheld.add(risk);
				continue;
			}
			List<Object> key = List.of(shape.sourceRanges(), shape.destinationRanges(), shape.sourceTags(),
					shape.sourceServiceAccounts(), shape.targetTags(), shape.targetServiceAccounts());
			shapes.putIfAbsent(key, shape);
			DirectionOrder.Probe probe = risk.probe();
			String protocol = NAMES.getOrDefault(probe.protocol(), Integer.toString(probe.protocol()));
			List<String> ports = denied.computeIfAbsent(key, k -> new TreeMap<>())
				.computeIfAbsent(protocol, k -> new ArrayList<>());
			if (probe.port() >= 0) {
				ports.add(probe.port() == probe.toPort() ? Integer.toString(probe.port())
						: probe.port() + "-" + probe.toPort());
			}
		}
		List<Firewall> firewalls = new ArrayList<>();
		for (Map.Entry<List<Object>, Firewall> entry : shapes.entrySet()) {
			List<Firewall.ProtocolPorts> items = new ArrayList<>();
			denied.get(entry.getKey())
				.forEach((protocol, ports) -> items.add(new Firewall.ProtocolPorts(protocol, ports)));
			String name = Names.unique(policy + "-guard-" + (firewalls.size() + 1), 63, taken, policy);
			taken.add(name);
			Firewall f = entry.getValue();
			firewalls.add(new Firewall(name,
					"polyfence policy=" + policy + " rule=guard (temporary, while an apply moves the rules)", network,
					PRIORITY, "INGRESS", List.of(), items, f.sourceRanges(), f.destinationRanges(), f.sourceTags(),
					f.sourceServiceAccounts(), f.targetTags(), f.targetServiceAccounts(), null));
		}
		return new Guards(firewalls, unheld);
	}

	/** Who a guard targets and which peers it names, or null when GCP cannot say it. */
	private static Firewall shape(DirectionOrder.Risk risk, GcpSides sides) {
		List<String> targetTags = sides.tags(risk.receiver());
		String targetAccount = sides.account(risk.receiver());
		List<String> sourceRanges = cidrs(risk.sources());
		List<String> sourceTags = List.of();
		List<String> sourceAccounts = List.of();
		if (sourceRanges == null) {
			String account = sides.account(risk.sender());
			if (account != null && targetAccount != null) {
				sourceAccounts = List.of(account);
			}
			else if (account == null && targetAccount == null) {
				sourceTags = sides.tags(risk.sender());
			}
			else {
				return null;
			}
		}
		List<String> destinationRanges = cidrs(risk.destinations());
		if ((sourceRanges != null && sourceRanges.size() > RANGES_PER_RULE)
				|| (destinationRanges != null && destinationRanges.size() > RANGES_PER_RULE)) {
			return null;
		}
		return new Firewall("guard", "", "", PRIORITY, "INGRESS", List.of(), List.of(),
				sourceRanges == null ? List.of() : sourceRanges,
				destinationRanges == null ? List.of() : destinationRanges, sourceTags, sourceAccounts,
				targetAccount == null ? targetTags : List.of(),
				targetAccount == null ? List.of() : List.of(targetAccount), null);
	}

	/** The spans as CIDR blocks, or null for a group without bound addresses. */
	private static List<String> cidrs(List<DirectionOrder.Span> spans) {
		List<String> cidrs = new ArrayList<>();
		for (DirectionOrder.Span span : spans) {
			if (span.lower() == null) {
				return null;
			}
			for (IPAddress block : span.lower().spanWithPrefixBlocks(span.upper())) {
				cidrs.add(block.toCanonicalString());
			}
		}
		return cidrs;
	}

}
