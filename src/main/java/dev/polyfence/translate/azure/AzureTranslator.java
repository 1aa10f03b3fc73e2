package dev.polyfence.translate.azure;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.AddressSet;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.GroupBindingChecks;
import dev.polyfence.translate.Numbering;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.azure.SecurityRule.ApplicationSecurityGroupRef;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Translates a policy into one NSG per group (spec section 4, Azure). NSGs evaluate by
 * priority with allow and deny, so rules keep their order as priorities from
 * {@code priorityBase}; the policy's defaults become explicit catch-alls at 4096 so
 * Azure's own defaults never decide. The loops over groups, rules and peers check for
 * {@link Cancellation} once per round.
 */
public final class AzureTranslator implements Translator<AzureOutput> {

	private static final Target AZURE = Target.AZURE;

	@Override
	public Target target() {
		return AZURE;
	}

	@Override
	public Translation<AzureOutput> translate(Policy policy, Bindings bindings) {
		Bindings.Azure azure = bindings.azure();
		List<Finding> findings = new ArrayList<>();
		Map<String, List<IPAddress>> cidrs = new TreeMap<>();
		if (azure == null) {
			findings.add(Finding.of(FindingCode.BINDINGS_MISSING, AZURE, null,
					"no Azure bindings: NSGs are named <policy>-<group> and groups are matched by application security "
							+ "groups named <policy>-<group>"));
		}
		else {
			azure.groups().forEach((group, b) -> cidrs.put(group, b.cidrs()));
			GroupBindingChecks.check(policy, cidrs, AZURE, false, findings);
		}
		List<NetworkSecurityGroup> nsgs = new ArrayList<>();
		// A rule's parts are the same in every NSG it goes into: split each rule once.
		Map<Rule, List<NsgRules.Part>> parts = new IdentityHashMap<>();
		for (String group : policy.groups()) {
			List<SecurityRule> rules = new ArrayList<>();
			for (Direction direction : Direction.values()) {
				rules.addAll(rulesOf(policy, azure, group, direction, parts, findings));
			}
			NetworkSecurityGroup nsg = new NetworkSecurityGroup(group, nsgName(policy, azure, group),
					azure == null ? null : azure.location(), new NetworkSecurityGroup.Properties(rules));
			checkLimits(nsg, findings);
			nsgs.add(nsg);
		}
		for (Rule rule : policy.rules()) {
			if (rule.log()) {
				findings.add(Finding.of(FindingCode.LOG_UNSUPPORTED, AZURE, rule.name(),
						"Azure logs flows per NSG or virtual network (flow logs), not per rule"));
			}
		}
		return new Translation<>(new AzureOutput(nsgs), new ArrayList<>(new LinkedHashSet<>(findings)));
	}

	private static List<SecurityRule> rulesOf(Policy policy, Bindings.Azure azure, String group, Direction direction,
			Map<Rule, List<NsgRules.Part>> partsOfRules, List<Finding> findings) {
		record Named(Rule rule, NsgRules.Part part, String name) {
		}
		List<Named> parts = new ArrayList<>();
		for (Rule rule : policy.rulesFor(group, direction)) {
			Cancellation.check();
			// Findings repeat in every NSG, and the translation keeps only the first of
			// each: splitting once gives the same findings in the same order.
			List<NsgRules.Part> split = partsOfRules.computeIfAbsent(rule,
					r -> NsgRules.parts(r, peers(policy, azure, r), findings));
			for (int i = 0; i < split.size(); i++) {
				parts.add(new Named(rule, split.get(i), i == 0 ? rule.name() : rule.name() + "_" + (i + 1)));
			}
		}
		int base = azure == null ? Bindings.Azure.DEFAULT_PRIORITY_BASE : azure.priorityBase();
		int step = Numbering.step(parts.size(), base, AzureLimits.DEFAULTS_PRIORITY - 1, AzureLimits.PRIORITY_STEP);
		if (step == 0) {
			findings.add(Finding.of(FindingCode.AZURE_PRIORITY_BAND, AZURE, null,
					"NSG of group " + group + " needs " + parts.size() + " "
							+ NsgRules.direction(direction).toLowerCase() + " priorities from " + base
							+ ", but only priorities up to " + (AzureLimits.DEFAULTS_PRIORITY - 1)
							+ " are free before the defaults at " + AzureLimits.DEFAULTS_PRIORITY));
			step = 1;
		}
		List<SecurityRule> rules = new ArrayList<>();
		int priority = base;
		for (Named named : parts) {
			rules.add(rule(named.name(), "Polyfence " + policy.name() + ": " + named.rule().name(), priority, direction,
					named.rule().action(), named.part()));
			priority += step;
		}
		Action fallback = policy.defaults().of(direction);
		rules.add(rule("polyfence_default_" + NsgRules.direction(direction).toLowerCase(),
				"Polyfence " + policy.name() + ": default " + direction.wire() + " " + fallback.wire(),
				AzureLimits.DEFAULTS_PRIORITY, direction, fallback,
				new NsgRules.Part("*", List.of("*"), "*", null, null, "*")));
		return rules;
	}

	private static SecurityRule rule(String name, String description, int priority, Direction direction, Action action,
			NsgRules.Part part) {
		boolean inbound = direction == Direction.INGRESS;
		List<ApplicationSecurityGroupRef> asgs = part.peerAsgs() == null ? null
				: part.peerAsgs().stream().map(ApplicationSecurityGroupRef::new).toList();
		String singlePort = part.ports().size() == 1 ? part.ports().get(0) : null;
		List<String> ports = part.ports().size() > 1 ? part.ports() : null;
		return new SecurityRule(name,
				new SecurityRule.Properties(description, priority, NsgRules.direction(direction),
						action == Action.ALLOW ? "Allow" : "Deny", part.protocol(),
						inbound ? part.peerPrefix() : part.localPrefix(), inbound ? part.peerPrefixes() : null,
						inbound ? asgs : null, "*", inbound ? part.localPrefix() : part.peerPrefix(),
						inbound ? null : part.peerPrefixes(), inbound ? null : asgs, singlePort, ports));
	}

	/**
	 * A rule's peers for Azure: any, prefixes, and application security groups for group
	 * peers.
	 */
	private static NsgRules.Peers peers(Policy policy, Bindings.Azure azure, Rule rule) {
		AddressSet prefixes = AddressSet.EMPTY;
		Set<String> asgs = new TreeSet<>();
		for (Peer peer : rule.peers()) {
			Cancellation.check();
			if (peer instanceof Peer.Any) {
				return new NsgRules.Peers(true, AddressSet.EMPTY, List.of());
			}
			if (peer instanceof Peer.Group g) {
				Bindings.AzureGroup binding = azure == null ? null : azure.group(g.name()).orElse(null);
				if (binding != null && binding.applicationSecurityGroupName() == null && !binding.cidrs().isEmpty()) {
					prefixes = prefixes.union(AddressSet.of(binding.cidrs()));
				}
				else {
					asgs.add(asgId(azure, asgName(policy, binding, g.name())));
				}
				continue;
			}
			prefixes = prefixes.union(AddressSet.of(policy.blocksOf(peer)));
		}
		return new NsgRules.Peers(false, prefixes, List.copyOf(asgs));
	}

	static String asgName(Policy policy, Bindings.AzureGroup binding, String group) {
		return binding != null && binding.applicationSecurityGroupName() != null
				? binding.applicationSecurityGroupName() : policy.name() + "-" + group;
	}

	private static String asgId(Bindings.Azure azure, String name) {
		String subscription = azure == null || azure.subscriptionId() == null ? "unbound" : azure.subscriptionId();
		String resourceGroup = azure == null || azure.resourceGroup() == null ? "unbound" : azure.resourceGroup();
		return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup
				+ "/providers/Microsoft.Network/applicationSecurityGroups/" + name;
	}

	static String nsgName(Policy policy, Bindings.Azure azure, String group) {
		return azure == null ? policy.name() + "-" + group
				: azure.group(group)
					.map(Bindings.AzureGroup::networkSecurityGroupName)
					.filter(n -> n != null && !n.isBlank())
					.orElse(policy.name() + "-" + group);
	}

	private static void checkLimits(NetworkSecurityGroup nsg, List<Finding> findings) {
		List<SecurityRule> rules = nsg.properties().securityRules();
		String which = "NSG " + nsg.name() + " (group " + nsg.group() + ")";
		if (!nsg.name().matches(AzureLimits.NAME_PATTERN)) {
			findings.add(Finding.of(FindingCode.NAME_INVALID, AZURE, null, which
					+ ": an NSG name has 1-80 characters, starts with a letter or digit and ends with one or '_'"));
		}
		if (rules.size() > AzureLimits.RULES_PER_NSG) {
			findings.add(Finding.of(FindingCode.AZURE_NSG_RULE_QUOTA, AZURE, null,
					which + " needs " + rules.size() + " rules; Azure allows " + AzureLimits.RULES_PER_NSG));
		}
		int sources = 0;
		int destinations = 0;
		Set<String> asgs = new TreeSet<>();
		for (SecurityRule rule : rules) {
			SecurityRule.Properties p = rule.properties();
			sources += prefixCount(p.sourceAddressPrefix(), p.sourceAddressPrefixes());
			destinations += prefixCount(p.destinationAddressPrefix(), p.destinationAddressPrefixes());
			for (List<ApplicationSecurityGroupRef> refs : java.util.Arrays.asList(p.sourceApplicationSecurityGroups(),
					p.destinationApplicationSecurityGroups())) {
				if (refs != null) {
					refs.forEach(r -> asgs.add(r.id()));
				}
			}
		}
		for (int[] side : new int[][] { { 0, sources }, { 1, destinations } }) {
			if (side[1] > AzureLimits.PREFIXES_PER_NSG_SIDE) {
				findings.add(Finding.of(FindingCode.AZURE_NSG_PREFIX_QUOTA, AZURE, null,
						which + " holds " + side[1] + " " + (side[0] == 0 ? "source" : "destination")
								+ " prefixes; Azure allows " + AzureLimits.PREFIXES_PER_NSG_SIDE));
			}
		}
		if (asgs.size() > AzureLimits.ASGS_PER_NSG) {
			findings.add(Finding.of(FindingCode.AZURE_NSG_ASG_QUOTA, AZURE, null, which + " references " + asgs.size()
					+ " application security groups; Azure allows " + AzureLimits.ASGS_PER_NSG));
		}
	}

	private static int prefixCount(String single, List<String> many) {
		if (many != null) {
			return many.size();
		}
		return single == null || "*".equals(single) ? 0 : 1;
	}

}
