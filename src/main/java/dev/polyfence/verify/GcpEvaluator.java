package dev.polyfence.verify;

import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * GCP's own evaluation of VPC firewall rules: for a packet, the rules of its direction
 * that target the workload and match the peer and the protocol; the lowest priority
 * number decides, a deny winning a tie; when none matches, the implied rules (ingress
 * deny, egress allow). A flow needs the source instance's EGRESS allow and the
 * destination instance's INGRESS allow, an instance being a workload of a group or
 * another VM of the network ({@link Endpoint.OtherVm}, judged by the firewalls that
 * target it); an outside address has no step. Stateful.
 */
public final class GcpEvaluator implements CloudEvaluator {

	private static final int IMPLIED_PRIORITY = 65535;

	/** IPProtocol names GCP accepts, by number; "all" is handled apart. */
	private static final Map<String, Integer> PROTOCOLS = Map.of("tcp", 6, "udp", 17, "icmp", 1, "esp", 50, "ah", 51,
			"sctp", 132, "ipip", 4);

	private static final int SCTP = 132;

	private final Map<String, Set<String>> tags = new HashMap<>();

	private final Map<String, String> serviceAccounts = new HashMap<>();

	private final List<Rule> rules = new ArrayList<>();

	public GcpEvaluator(Policy policy, Bindings bindings, GcpOutput output) {
		Objects.requireNonNull(policy, "policy");
		Bindings.Gcp gcp = bindings == null ? null : bindings.gcp();
		for (String group : policy.groups()) {
			Bindings.GcpGroup bound = gcp == null ? null : gcp.groups().get(group);
			if (bound != null && !bound.targetTags().isEmpty()) {
				tags.put(group, Set.copyOf(bound.targetTags()));
			}
			else if (bound != null && bound.serviceAccount() != null) {
				tags.put(group, Set.of());
				serviceAccounts.put(group, bound.serviceAccount());
			}
			else {
				tags.put(group, Set.of(policy.name() + "-" + group));
			}
		}
		Set<String> names = new HashSet<>();
		for (Firewall firewall : output.firewalls()) {
			String where = "firewall " + firewall.name();
			require(firewall.name() != null && names.add(firewall.name()), where + ": name missing or used twice");
			rules.add(parse(firewall, where));
		}
	}

	@Override
	public Target target() {
		return Target.GCP;
	}

	@Override
	public CloudVerdict evaluate(Flow flow) {
		require(judged(flow.source()) || judged(flow.destination()),
				"no firewall judges a flow between two addresses that are no VM of the network: " + flow);
		List<String> why = new ArrayList<>();
		boolean allowed = true;
		if (judged(flow.source())) {
			allowed &= step(flow.source(), false, flow, why);
		}
		if (judged(flow.destination())) {
			allowed &= step(flow.destination(), true, flow, why);
		}
		return CloudVerdict.stateful(allowed, String.join("; ", why));
	}

	/**
	 * One end's own step alone: the destination's INGRESS or the source's EGRESS,
	 * whatever the other end's firewalls say.
	 * @throws IllegalArgumentException when that end is an outside address, which no
	 * firewall targets
	 */
	public CloudVerdict evaluateStep(Flow flow, Direction direction) {
		boolean ingress = direction == Direction.INGRESS;
		Endpoint end = ingress ? flow.destination() : flow.source();
		require(judged(end), "no firewall targets " + end + ", an address that is no VM of the network");
		List<String> why = new ArrayList<>();
		boolean allowed = step(end, ingress, flow, why);
		return CloudVerdict.stateful(allowed, String.join("; ", why));
	}

	/**
	 * Workloads and other VMs of the network are instances that firewalls target; an
	 * outside address is not.
	 */
	private static boolean judged(Endpoint end) {
		return end instanceof Endpoint.Workload || end instanceof Endpoint.OtherVm;
	}

	private boolean step(Endpoint instance, boolean ingress, Flow flow, List<String> why) {
		requireKnown(instance);
		Endpoint peer = ingress ? flow.source() : flow.destination();
		Rule decider = null;
		for (Rule rule : rules) {
			if (rule.ingress() == ingress && targets(rule, instance) && peerMatches(rule, peer)
					&& ownAddressMatches(rule, instance) && trafficMatches(rule, flow)) {
				if (decider == null || rule.priority() < decider.priority()
						|| (rule.priority() == decider.priority() && !rule.allow() && decider.allow())) {
					decider = rule;
				}
			}
		}
		String who = instance instanceof Endpoint.Workload w ? w.group() : instance.toString();
		String head = (ingress ? "INGRESS to " : "EGRESS from ") + who + ": ";
		if (decider == null) {
			why.add(head + "implied rule (" + IMPLIED_PRIORITY + ") " + (ingress ? "DENY" : "allow"));
			return !ingress;
		}
		why.add(head + decider.name() + " (" + decider.priority() + ") " + (decider.allow() ? "allow" : "DENY"));
		return decider.allow();
	}

	private boolean targets(Rule rule, Endpoint instance) {
		if (rule.targetTags().isEmpty() && rule.targetServiceAccounts().isEmpty()) {
			return true;
		}
		return carries(instance, rule.targetTags(), rule.targetServiceAccounts());
	}

	private boolean carries(Endpoint instance, List<String> anyTags, List<String> anyAccounts) {
		Set<String> own = instance instanceof Endpoint.OtherVm vm ? Set.copyOf(vm.tags())
				: tags.get(((Endpoint.Workload) instance).group());
		for (String tag : own) {
			if (anyTags.contains(tag)) {
				return true;
			}
		}
		String account = instance instanceof Endpoint.OtherVm vm ? vm.serviceAccount()
				: serviceAccounts.get(((Endpoint.Workload) instance).group());
		return account != null && anyAccounts.contains(account);
	}

	private boolean peerMatches(Rule rule, Endpoint peer) {
		if (!rule.ingress()) {
			return Addresses.anyContains(rule.destinationRanges(), peer.address());
		}
		if (Addresses.anyContains(rule.sourceRanges(), peer.address())) {
			return true;
		}
		if (judged(peer)) {
			requireKnown(peer);
			return carries(peer, rule.sourceTags(), rule.sourceServiceAccounts());
		}
		return false;
	}

	/**
	 * An INGRESS rule with destinationRanges, or an EGRESS rule with sourceRanges, also
	 * filters the instance's own address.
	 */
	private static boolean ownAddressMatches(Rule rule, Endpoint instance) {
		List<IPAddress> own = rule.ingress() ? rule.destinationRanges() : rule.sourceRanges();
		return own.isEmpty() || Addresses.anyContains(own, instance.address());
	}

	private static boolean trafficMatches(Rule rule, Flow flow) {
		for (Match match : rule.matches()) {
			if (match.protocol() == null) {
				return true;
			}
			if (match.protocol() != flow.protocol()) {
				continue;
			}
			if (match.ports().isEmpty()) {
				return true;
			}
			if (flow.protocol() == SCTP) {
				throw new IllegalArgumentException("firewall " + rule.name()
						+ " limits sctp ports, which a flow does not carry and no policy can ask for");
			}
			if (match.ports().stream().anyMatch(r -> r.contains(flow.port()))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * A workload's group is the policy's; a VM that carries a group's tag or service
	 * account is that group's workload, not another VM.
	 */
	private void requireKnown(Endpoint instance) {
		if (instance instanceof Endpoint.Workload w) {
			require(tags.containsKey(w.group()), "workload group " + w.group() + " is not in the policy");
			return;
		}
		Endpoint.OtherVm vm = (Endpoint.OtherVm) instance;
		tags.forEach((group, groupTags) -> require(
				vm.tags().stream().noneMatch(groupTags::contains)
						&& (vm.serviceAccount() == null || !vm.serviceAccount().equals(serviceAccounts.get(group))),
				vm + " carries the tags or service account of group " + group + ", so it is that group's workload"));
	}

	// ---- parsing the Compute records, failing loudly where the API would refuse them
	// ----

	private static Rule parse(Firewall f, String where) {
		require(0 <= f.priority() && f.priority() <= IMPLIED_PRIORITY, where + ": priority not within 0-65535");
		String direction = f.direction() == null ? "INGRESS" : f.direction();
		require(direction.equals("INGRESS") || direction.equals("EGRESS"), where + ": direction " + direction);
		boolean ingress = direction.equals("INGRESS");
		require(f.allowed().isEmpty() != f.denied().isEmpty(), where + ": give exactly one of allowed and denied");
		boolean allow = !f.allowed().isEmpty();
		List<Match> matches = new ArrayList<>();
		for (Firewall.ProtocolPorts item : allow ? f.allowed() : f.denied()) {
			matches.add(match(item, where));
		}
		List<IPAddress> sourceRanges = ranges(f.sourceRanges(), where + " sourceRanges");
		List<IPAddress> destinationRanges = ranges(f.destinationRanges(), where + " destinationRanges");
		require(f.targetServiceAccounts().isEmpty() || (f.targetTags().isEmpty() && f.sourceTags().isEmpty()),
				where + ": targetServiceAccounts cannot be combined with targetTags or sourceTags");
		require(f.sourceServiceAccounts().isEmpty() || (f.sourceTags().isEmpty() && f.targetTags().isEmpty()),
				where + ": sourceServiceAccounts cannot be combined with sourceTags or targetTags");
		if (ingress) {
			require(!sourceRanges.isEmpty() || !f.sourceTags().isEmpty() || !f.sourceServiceAccounts().isEmpty(),
					where + ": INGRESS needs sourceRanges, sourceTags or sourceServiceAccounts");
		}
		else {
			require(f.sourceTags().isEmpty() && f.sourceServiceAccounts().isEmpty(),
					where + ": EGRESS cannot have sourceTags or sourceServiceAccounts");
			require(!destinationRanges.isEmpty(), where + ": EGRESS without destinationRanges is not evaluated");
		}
		return new Rule(f.name(), f.priority(), ingress, allow, matches, sourceRanges, destinationRanges,
				f.sourceTags(), f.sourceServiceAccounts(), f.targetTags(), f.targetServiceAccounts());
	}

	private static Match match(Firewall.ProtocolPorts item, String where) {
		String name = item.ipProtocol();
		require(name != null, where + ": IPProtocol is missing");
		Integer protocol;
		if (name.equals("all")) {
			protocol = null;
		}
		else if (PROTOCOLS.containsKey(name)) {
			protocol = PROTOCOLS.get(name);
		}
		else {
			require(!name.isEmpty() && name.length() <= 3 && name.chars().allMatch(Character::isDigit)
					&& Integer.parseInt(name) <= 255, where + ": IPProtocol \"" + name + "\" is not one GCP knows");
			protocol = Integer.parseInt(name);
		}
		List<PortRange> ports = new ArrayList<>();
		for (String text : item.ports()) {
			ports.add(Ports.parse(text, false, where + " ports"));
		}
		require(ports.isEmpty() || (protocol != null && (protocol == 6 || protocol == 17 || protocol == SCTP)),
				where + ": ports given for " + name + "; they are only for tcp, udp and sctp");
		return new Match(protocol, ports);
	}

	private static List<IPAddress> ranges(List<String> texts, String where) {
		List<IPAddress> result = new ArrayList<>();
		for (String text : texts) {
			result.add(Addresses.block(text, where));
		}
		require(result.stream().map(IPAddress::getIPVersion).distinct().count() <= 1,
				where + ": IPv4 and IPv6 ranges in one rule");
		return result;
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}

	/**
	 * One allowed/denied item; {@code protocol} null for "all", {@code ports} empty for
	 * all ports.
	 */
	private record Match(Integer protocol, List<PortRange> ports) {
	}

	private record Rule(String name, int priority, boolean ingress, boolean allow, List<Match> matches,
			List<IPAddress> sourceRanges, List<IPAddress> destinationRanges, List<String> sourceTags,
			List<String> sourceServiceAccounts, List<String> targetTags, List<String> targetServiceAccounts) {
	}

}
