package dev.polyfence.bench;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.policy.Service;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.IntervalSet;
import dev.polyfence.translate.ServiceSpace;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.aws.IpPermission;
import dev.polyfence.translate.aws.NetworkAcl;
import dev.polyfence.translate.aws.SecurityGroup;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.gcp.GcpOutput;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a translation emits, counted the way each cloud's quotas count it, and a floor to
 * compare it with. The floors are stated in {@link #LEGEND}; the benchmark prints it.
 */
final class EntryFigures {

	static final String LEGEND = """
			Entries are counted as the clouds' quotas count them:
			  aws    security-group entries: per security group, direction and family, one per CIDR and one per
			         group reference (a reference counts in both families, as AWS counts it); network ACL entries:
			         every entry emitted (the fixed * entries are not emitted). A side is one (security group or
			         ACL, direction, family); it is past quota above 60 SG entries, or above 20 ACL entries with the
			         fixed * entry (or the bindings' securityGroupRuleQuota / networkAclEntryQuota).
			  azure  NSG security rules, the two explicit default rules per NSG included.
			  gcp    firewall rules, the explicit default rules included.
			Floors (what the output is compared with; ratio = emitted / floor):
			  aws    the security-group entries of the same policy with its deny rules removed (the allows alone,
			         translated by the same translator), plus, for each group with subnets, one ACL entry per
			         CIDR block, protocol and port range of each deny whose addresses a later allow of that group
			         and direction would otherwise admit (the denies an ACL must carry), plus one allow entry per
			         ACL direction and family (an ACL of only the fixed * entry drops everything). It leaves out
			         the return entries and the cost of denies between groups; it is a reference point for an
			         expert's split, not a proof: a deny may even make the SG side smaller.
			  azure  per NSG and policy rule that applies to its group: one rule per Azure protocol the rule's
			         services need (Tcp, Udp, Icmp, ...; one for all traffic) times one per kind of peer Azure cannot
			         mix in one rule (IPv4 prefixes, IPv6 prefixes, application security groups by ten); plus the
			         two default rules. A rule-by-rule floor: merging or dropping shadowed rules could go below it.
			  gcp    one firewall per policy rule and address family it needs (GCP never mixes IPv4 and IPv6
			         ranges; a rule that names only groups by tag or service account needs one), for rules that
			         keep any protocol, plus the explicit defaults; splits forced by tags and service accounts and
			         per-rule list limits come on top.
			""";

	private EntryFigures() {
	}

	record Aws(long sgEntries, long aclEntries, long sgFloor, long aclFloor, int sgSides, int sgSidesOver, int aclSides,
			int aclSidesOver) {

		long emitted() {
			return sgEntries + aclEntries;
		}

		long floor() {
			return sgFloor + aclFloor;
		}

	}

	static Aws aws(Policy policy, Bindings bindings, AwsOutput output) {
		int sgQuota = bindings.aws() == null || bindings.aws().securityGroupRuleQuota() == null ? 60
				: bindings.aws().securityGroupRuleQuota();
		int aclQuota = bindings.aws() == null || bindings.aws().networkAclEntryQuota() == null ? 20
				: bindings.aws().networkAclEntryQuota();
		long sg = 0;
		int sgSides = 0;
		int sgOver = 0;
		for (SecurityGroup group : output.securityGroups()) {
			for (List<IpPermission> side : List.of(group.ipPermissions(), group.ipPermissionsEgress())) {
				long[] family = sgSide(side);
				for (long count : family) {
					sg += count;
					sgSides++;
					sgOver += count > sgQuota ? 1 : 0;
				}
			}
		}
		long acl = 0;
		int aclSides = 0;
		int aclOver = 0;
		for (NetworkAcl nacl : output.networkAcls()) {
			acl += nacl.entries().size();
			for (boolean egress : new boolean[] { false, true }) {
				for (boolean v6 : new boolean[] { false, true }) {
					long count = nacl.entries().stream().filter(e -> e.egress() == egress && e.isIpv6() == v6).count();
					aclSides++;
					aclOver += count + 1 > aclQuota ? 1 : 0;
				}
			}
		}
		Policy allowsOnly = new Policy(policy.name(), policy.description(), policy.defaults(), policy.addressSets(),
				policy.groups(), policy.rules().stream().filter(r -> r.action() == Action.ALLOW).toList());
		AwsOutput allows = new AwsTranslator().translate(allowsOnly, bindings).output();
		long sgFloor = 0;
		for (SecurityGroup group : allows.securityGroups()) {
			for (List<IpPermission> side : List.of(group.ipPermissions(), group.ipPermissionsEgress())) {
				long[] family = sgSide(side);
				sgFloor += family[0] + family[1];
			}
		}
		return new Aws(sg, acl, sgFloor, aclFloor(policy, bindings), sgSides, sgOver, aclSides, aclOver);
	}

	private static long[] sgSide(List<IpPermission> side) {
		long v4 = 0;
		long v6 = 0;
		for (IpPermission p : side) {
			v4 += p.ipRanges().size() + p.userIdGroupPairs().size();
			v6 += p.ipv6Ranges().size() + p.userIdGroupPairs().size();
		}
		return new long[] { v4, v6 };
	}

	/** See {@link #LEGEND}. */
	private static long aclFloor(Policy policy, Bindings bindings) {
		if (bindings.aws() == null) {
			return 0;
		}
		long floor = 0;
		for (String group : policy.groups()) {
			Bindings.AwsGroup bound = bindings.aws().group(group).orElse(null);
			if (bound == null || bound.subnetIds().isEmpty()) {
				continue;
			}
			floor += 4;
			for (Direction direction : Direction.values()) {
				List<Rule> rules = policy.rulesFor(group, direction);
				for (int i = 0; i < rules.size(); i++) {
					Rule deny = rules.get(i);
					if (deny.action() != Action.DENY) {
						continue;
					}
					IntervalSet services = ServiceSpace.of(deny.services());
					AddressSet admittedLater = AddressSet.EMPTY;
					for (Rule later : rules.subList(i + 1, rules.size())) {
						if (later.action() == Action.ALLOW && services.intersects(ServiceSpace.of(later.services()))) {
							admittedLater = admittedLater.union(addresses(policy, bindings, later));
						}
					}
					long blocks = 0;
					for (Peer peer : deny.peers()) {
						for (var block : AddressSet.of(policy.blocksOf(peer)).prefixBlocks()) {
							blocks += admittedLater.intersects(AddressSet.of(block)) ? 1 : 0;
						}
					}
					floor += blocks * aclPieces(deny.services());
				}
			}
		}
		return floor;
	}

	/** The addresses a rule's peers stand for on AWS (groups by their bound cidrs). */
	private static AddressSet addresses(Policy policy, Bindings bindings, Rule rule) {
		AddressSet set = AddressSet.EMPTY;
		for (Peer peer : rule.peers()) {
			if (peer instanceof Peer.Any) {
				return AddressSet.ALL;
			}
			if (peer instanceof Peer.Group g) {
				set = set.union(
						AddressSet.of(bindings.aws().group(g.name()).map(Bindings.AwsGroup::cidrs).orElse(List.of())));
			}
			else {
				set = set.union(AddressSet.of(policy.blocksOf(peer)));
			}
		}
		return set;
	}

	/** ACL entries one address block of a deny needs: one per protocol and range. */
	private static long aclPieces(List<Service> services) {
		if (services.isEmpty() || services.stream().anyMatch(s -> s.protocol().isAny())) {
			return 1;
		}
		return ServiceSpace.pieces(ServiceSpace.of(services)).size();
	}

	static long azureRules(AzureOutput output) {
		return output.networkSecurityGroups().stream().mapToLong(n -> n.properties().securityRules().size()).sum();
	}

	/** See {@link #LEGEND}. */
	static long azureFloor(Policy policy, Bindings bindings) {
		long floor = 0;
		for (String group : policy.groups()) {
			floor += 2;
			for (Direction direction : Direction.values()) {
				for (Rule rule : policy.rulesFor(group, direction)) {
					Set<String> protocols = azureProtocols(rule);
					if (protocols.isEmpty()) {
						continue;
					}
					boolean any = false;
					AddressSet prefixes = AddressSet.EMPTY;
					int asgs = 0;
					for (Peer peer : rule.peers()) {
						if (peer instanceof Peer.Any) {
							any = true;
						}
						else if (peer instanceof Peer.Group g) {
							Bindings.AzureGroup b = bindings.azure() == null ? null
									: bindings.azure().group(g.name()).orElse(null);
							if (b != null && b.applicationSecurityGroupName() == null && !b.cidrs().isEmpty()) {
								prefixes = prefixes.union(AddressSet.of(b.cidrs()));
							}
							else {
								asgs++;
							}
						}
						else {
							prefixes = prefixes.union(AddressSet.of(policy.blocksOf(peer)));
						}
					}
					for (String protocol : protocols) {
						if (any) {
							floor++;
							continue;
						}
						boolean v4 = prefixes.hasIpv4() && !"Icmpv6".equals(protocol);
						boolean v6 = prefixes.hasIpv6() && !"Icmp".equals(protocol);
						floor += (v4 ? 1 : 0) + (v6 ? 1 : 0) + (asgs + 9) / 10;
					}
				}
			}
		}
		return floor;
	}

	/**
	 * The Azure protocols a rule needs ("Icmp" and "Icmpv6" kept apart, for the
	 * families).
	 */
	private static Set<String> azureProtocols(Rule rule) {
		Set<String> protocols = new TreeSet<>();
		if (rule.services().isEmpty()) {
			return Set.of("*");
		}
		for (Service s : rule.services()) {
			if (s.protocol().isAny()) {
				return Set.of("*");
			}
			int p = s.protocol().number();
			if (s.protocol().isIcmp() && s.hasIcmpType() && rule.action() == Action.ALLOW) {
				continue;
			}
			protocols.add(switch (p) {
				case 6 -> "Tcp";
				case 17 -> "Udp";
				case 1 -> "Icmp";
				case 58 -> "Icmpv6";
				case 50 -> "Esp";
				case 51 -> "Ah";
				default -> rule.action() == Action.ALLOW ? "" : "*";
			});
		}
		protocols.remove("");
		return protocols;
	}

	static long gcpFirewalls(GcpOutput output) {
		return output.firewalls().size();
	}

	/** See {@link #LEGEND}. */
	static long gcpFloor(Policy policy, Bindings bindings) {
		Map<String, Bindings.GcpGroup> groups = bindings.gcp() == null ? Map.of() : bindings.gcp().groups();
		long floor = (policy.defaults().ingress() == Action.ALLOW ? 2 : 0)
				+ (policy.defaults().egress() == Action.DENY ? 2 : 0);
		for (Rule rule : policy.rules()) {
			boolean keepsAny = rule.services().isEmpty() || rule.action() == Action.DENY
					|| rule.services().stream().anyMatch(s -> !(s.protocol().isIcmp() && s.hasIcmpType()));
			if (!keepsAny) {
				continue;
			}
			boolean references = false;
			AddressSet ranges = AddressSet.EMPTY;
			for (Peer peer : rule.peers()) {
				if (peer instanceof Peer.Any) {
					ranges = AddressSet.ALL;
				}
				else if (peer instanceof Peer.Group g) {
					if (rule.direction() == Direction.INGRESS) {
						references = true;
					}
					else if (groups.containsKey(g.name())) {
						ranges = ranges.union(AddressSet.of(groups.get(g.name()).cidrs()));
					}
				}
				else {
					ranges = ranges.union(AddressSet.of(policy.blocksOf(peer)));
				}
			}
			int families = (ranges.hasIpv4() ? 1 : 0) + (ranges.hasIpv6() ? 1 : 0);
			floor += Math.max(families, references ? 1 : 0);
		}
		return floor;
	}

}
