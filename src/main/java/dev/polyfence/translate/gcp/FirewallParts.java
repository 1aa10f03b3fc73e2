package dev.polyfence.translate.gcp;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.PortRange;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.gcp.Firewall.ProtocolPorts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits one policy rule into firewall parts. A part is a firewall without its name and
 * priority. GCP forbids some combinations, which force a split: IPv4 and IPv6 ranges
 * never share a rule; source service accounts never go with source or target tags; target
 * service accounts never go with target or source tags. Per-rule list limits split
 * further.
 */
final class FirewallParts {

	/** A firewall before numbering and naming. */
	record Part(Rule rule, Direction direction, boolean allow, List<ProtocolPorts> protocols, List<String> sourceRanges,
			List<String> destinationRanges, List<String> sourceTags, List<String> sourceServiceAccounts,
			List<String> targetTags, List<String> targetServiceAccounts) {
	}

	/**
	 * How a group is selected in GCP: by tags or by a service account, and its bound
	 * addresses.
	 */
	record Selector(List<String> tags, String serviceAccount, AddressSet addresses) {
	}

	private final Policy policy;

	private final Bindings.Gcp gcp;

	private final List<Finding> findings;

	/*
	 * The same groups, address sets and ranges come back in rule after rule: each is
	 * resolved and rendered once per translation.
	 */
	private final Map<String, Selector> selectors = new HashMap<>();

	private final Map<Peer, AddressSet> peerAddresses = new HashMap<>();

	private final Map<AddressSet, List<String>> rendered = new HashMap<>();

	FirewallParts(Policy policy, Bindings.Gcp gcp, List<Finding> findings) {
		this.policy = policy;
		this.gcp = gcp;
		this.findings = findings;
	}

	Selector selector(String group) {
		return selectors.computeIfAbsent(group, this::resolve);
	}

	private Selector resolve(String group) {
		Bindings.GcpGroup b = gcp == null ? null : gcp.group(group).orElse(null);
		if (b == null) {
			return new Selector(List.of(policy.name() + "-" + group), null, AddressSet.EMPTY);
		}
		AddressSet addresses = AddressSet.of(b.cidrs());
		return b.serviceAccount() != null ? new Selector(List.of(), b.serviceAccount(), addresses)
				: new Selector(b.targetTags(), null, addresses);
	}

	/**
	 * Who a firewall targets: tags or service accounts, never both (GCP forbids the mix).
	 */
	record Targets(List<String> tags, List<String> accounts) {
	}

	/**
	 * The targets that select exactly the workloads of these groups: their tags, then
	 * their service accounts, in chunks within the per-rule limits. Never empty targets:
	 * a firewall without a target would hit every instance of the network, also VMs that
	 * no group of the policy holds (spec section 4, GCP).
	 */
	List<Targets> targets(List<String> groups) {
		TreeSet<String> tags = new TreeSet<>();
		TreeSet<String> accounts = new TreeSet<>();
		for (String group : groups) {
			Selector s = selector(group);
			if (s.serviceAccount() != null) {
				accounts.add(s.serviceAccount());
			}
			else {
				tags.addAll(s.tags());
			}
		}
		List<Targets> targets = new ArrayList<>();
		for (List<String> chunk : chunks(List.copyOf(tags), GcpLimits.TARGET_TAGS_PER_RULE)) {
			targets.add(new Targets(chunk, List.of()));
		}
		for (List<String> chunk : chunks(List.copyOf(accounts), GcpLimits.SERVICE_ACCOUNTS_PER_RULE)) {
			targets.add(new Targets(List.of(), chunk));
		}
		return targets;
	}

	/**
	 * The rule's parts. {@code appliesTo: ["*"]} targets every group of the policy, as an
	 * explicit list of them would.
	 */
	List<Part> of(Rule rule) {
		List<ProtocolPorts> protocols = protocols(rule);
		if (protocols.isEmpty()) {
			return List.of();
		}
		List<Part> parts = new ArrayList<>();
		for (Targets t : targets(rule.appliesToAll() ? policy.groups() : rule.appliesTo())) {
			addForTargets(parts, rule, protocols, t.tags(), t.accounts());
		}
		return parts;
	}

	private void addForTargets(List<Part> parts, Rule rule, List<ProtocolPorts> protocols, List<String> targetTags,
			List<String> targetAccounts) {
		boolean tagsAllowed = targetAccounts.isEmpty();
		boolean accountsAllowed = targetTags.isEmpty();
		AddressSet ranges = AddressSet.EMPTY;
		TreeSet<String> sourceTags = new TreeSet<>();
		TreeSet<String> sourceAccounts = new TreeSet<>();
		boolean ingress = rule.direction() == Direction.INGRESS;
		for (Peer peer : rule.peers()) {
			Cancellation.check();
			if (peer instanceof Peer.Any) {
				ranges = AddressSet.ALL;
			}
			else if (peer instanceof Peer.Group g) {
				Selector s = selector(g.name());
				boolean byReference = ingress && (s.serviceAccount() != null ? accountsAllowed : tagsAllowed);
				if (byReference && s.serviceAccount() != null) {
					sourceAccounts.add(s.serviceAccount());
				}
				else if (byReference) {
					sourceTags.addAll(s.tags());
				}
				else if (!s.addresses().isEmpty()) {
					ranges = ranges.union(s.addresses());
				}
				else {
					findings.add(Finding.of(FindingCode.GROUP_UNRESOLVED, Target.GCP, rule.name(), "group " + g.name()
							+ (ingress
									? " cannot be a source here: GCP does not mix service accounts and tags in one rule"
									: " cannot be an egress destination: GCP has no destination tags")
							+ "; bind its cidrs under gcp.groups." + g.name() + ". It is left out of this rule, so "
							+ (rule.action() == Action.ALLOW ? "its traffic is not allowed here (errs closed)"
									: "this deny does not cover it")));
				}
			}
			else {
				ranges = ranges.union(peerAddresses.computeIfAbsent(peer, p -> AddressSet.of(policy.blocksOf(p))));
			}
		}
		// Ranges of one family and tags may share a rule (their match is a union);
		// service accounts go alone.
		List<List<String>> rangeChunks = new ArrayList<>(chunks(cidrs(ranges.ipv4()), GcpLimits.RANGES_PER_RULE));
		rangeChunks.addAll(chunks(cidrs(ranges.ipv6()), GcpLimits.RANGES_PER_RULE));
		List<List<String>> tagChunks = chunks(List.copyOf(sourceTags), GcpLimits.SOURCE_TAGS_PER_RULE);
		for (int i = 0; i < Math.max(rangeChunks.size(), tagChunks.size()); i++) {
			parts.add(part(rule, protocols, i < rangeChunks.size() ? rangeChunks.get(i) : List.of(),
					i < tagChunks.size() ? tagChunks.get(i) : List.of(), List.of(), targetTags, targetAccounts));
		}
		for (List<String> chunk : chunks(List.copyOf(sourceAccounts), GcpLimits.SERVICE_ACCOUNTS_PER_RULE)) {
			parts.add(part(rule, protocols, List.of(), List.of(), chunk, targetTags, targetAccounts));
		}
	}

	/** {@link AddressSet#cidrs()}, rendered once per distinct set. */
	private List<String> cidrs(AddressSet set) {
		return set.isEmpty() ? List.of() : rendered.computeIfAbsent(set, AddressSet::cidrs);
	}

	private static Part part(Rule rule, List<ProtocolPorts> protocols, List<String> peers, List<String> sourceTags,
			List<String> sourceAccounts, List<String> targetTags, List<String> targetAccounts) {
		boolean ingress = rule.direction() == Direction.INGRESS;
		return new Part(rule, rule.direction(), rule.action() == Action.ALLOW, protocols, ingress ? peers : List.of(),
				ingress ? List.of() : peers, sourceTags, sourceAccounts, targetTags, targetAccounts);
	}

	/**
	 * The rule's services as GCP protocol entries; what GCP cannot say is approximated
	 * towards closed.
	 */
	List<ProtocolPorts> protocols(Rule rule) {
		if (rule.services().isEmpty()) {
			return List.of(new ProtocolPorts("all", List.of()));
		}
		Map<Integer, IntervalSet> ports = new TreeMap<>();
		TreeMap<Integer, Boolean> others = new TreeMap<>();
		for (Service s : rule.services()) {
			if (s.protocol().isAny()) {
				return List.of(new ProtocolPorts("all", List.of()));
			}
			int p = s.protocol().number();
			if (s.protocol().hasPorts()) {
				IntervalSet set = s.ports().isEmpty() ? IntervalSet.of(0, PortRange.MAX) : IntervalSet.EMPTY;
				for (PortRange r : s.ports()) {
					set = set.union(IntervalSet.of(r.from(), r.to()));
				}
				ports.merge(p, set, IntervalSet::union);
				continue;
			}
			if (s.hasIcmpType()) {
				boolean allow = rule.action() == Action.ALLOW;
				findings
					.add(Finding.of(FindingCode.APPROXIMATED, Target.GCP, rule.name(),
							"GCP firewall rules cannot match ICMP types or codes: " + (allow
									? "this allow of " + s.protocol() + " type " + s.icmpType() + " is left out"
									: "this deny of " + s.protocol() + " type " + s.icmpType() + " is widened to all "
											+ s.protocol())
									+ " (errs closed)"));
				if (allow) {
					continue;
				}
			}
			others.put(p, true);
		}
		List<ProtocolPorts> protocols = new ArrayList<>();
		ports.forEach((p, set) -> {
			List<String> list = new ArrayList<>();
			if (!(set.size() == 1 && set.low(0) == 0 && set.high(0) == PortRange.MAX)) {
				for (int i = 0; i < set.size(); i++) {
					list.add(new PortRange(set.low(i), set.high(i)).toString());
				}
			}
			protocols.add(new ProtocolPorts(protocolName(p), list));
		});
		others.keySet().forEach(p -> protocols.add(new ProtocolPorts(protocolName(p), List.of())));
		return protocols;
	}

	static String protocolName(int protocol) {
		return switch (protocol) {
			case 6 -> "tcp";
			case 17 -> "udp";
			case 1 -> "icmp";
			case 50 -> "esp";
			case 51 -> "ah";
			case 132 -> "sctp";
			case 4 -> "ipip";
			default -> Integer.toString(protocol);
		};
	}

	static <T> List<List<T>> chunks(List<T> items, int size) {
		List<List<T>> chunks = new ArrayList<>();
		for (int i = 0; i < items.size(); i += size) {
			chunks.add(items.subList(i, Math.min(items.size(), i + size)));
		}
		return chunks;
	}

}
