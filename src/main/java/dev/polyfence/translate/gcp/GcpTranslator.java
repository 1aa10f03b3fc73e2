package dev.polyfence.translate.gcp;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.FindingCode;
import dev.polyfence.translate.GroupBindingChecks;
import dev.polyfence.translate.Names;
import dev.polyfence.translate.Numbering;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.Translation;
import dev.polyfence.translate.Translator;
import dev.polyfence.translate.gcp.Firewall.ProtocolPorts;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates a policy into VPC firewall rules (spec section 4, GCP): one or more per
 * policy rule, with distinct priorities in document order from {@code priorityBase} (GCP
 * breaks ties in favour of deny, so no tie is left), and explicit defaults at 65534 where
 * the implied rules at 65535 would disagree with the policy. Every firewall targets the
 * policy's groups (by tags or service accounts), {@code appliesTo: ["*"]} and the
 * defaults included: a policy never changes what reaches a VM that none of its groups
 * holds. The loops over rules, peers and parts check for {@link Cancellation} once per
 * round.
 */
public final class GcpTranslator implements Translator<GcpOutput> {

	private static final Target GCP = Target.GCP;

	@Override
	public Target target() {
		return GCP;
	}

	@Override
	public Translation<GcpOutput> translate(Policy policy, Bindings bindings) {
		Bindings.Gcp gcp = bindings.gcp();
		List<Finding> findings = new ArrayList<>();
		Map<String, List<IPAddress>> cidrs = new TreeMap<>();
		if (gcp == null) {
			findings.add(Finding.of(FindingCode.BINDINGS_MISSING, GCP, null,
					"no GCP bindings: groups are selected by the network tag <policy>-<group> in network 'default', "
							+ "and group peers of egress rules cannot be resolved"));
		}
		else {
			gcp.groups().forEach((group, b) -> cidrs.put(group, b.cidrs()));
			GroupBindingChecks.check(policy, cidrs, GCP, false, findings);
		}
		FirewallParts splitter = new FirewallParts(policy, gcp, findings);
		List<FirewallParts.Part> parts = new ArrayList<>();
		for (Rule rule : policy.rules()) {
			Cancellation.check();
			parts.addAll(splitter.of(rule));
		}
		int base = gcp == null ? Bindings.Gcp.DEFAULT_PRIORITY_BASE : gcp.priorityBase();
		int step = Numbering.step(parts.size(), base, GcpLimits.DEFAULTS_PRIORITY - 1, GcpLimits.PRIORITY_STEP);
		if (step == 0) {
			findings.add(Finding.of(FindingCode.GCP_PRIORITY_BAND, GCP, null,
					"the policy needs " + parts.size() + " firewall rules from priority " + base
							+ ", but only priorities up to " + (GcpLimits.DEFAULTS_PRIORITY - 1)
							+ " are free before the defaults"));
			step = 1;
		}
		String network = gcp == null || gcp.network() == null ? "global/networks/default"
				: (gcp.project() == null ? "" : "projects/" + gcp.project() + "/") + "global/networks/" + gcp.network();
		Set<String> taken = new HashSet<>();
		List<Firewall> firewalls = new ArrayList<>();
		Map<String, Integer> partsOfRule = new TreeMap<>();
		int priority = base;
		for (FirewallParts.Part part : parts) {
			Cancellation.check();
			int n = partsOfRule.merge(part.rule().name(), 1, Integer::sum);
			String stem = policy.name() + "-" + part.rule().name() + (n == 1 ? "" : "-" + n);
			firewalls.add(firewall(policy, part, name(stem, taken, findings), network, priority));
			priority += step;
		}
		firewalls.addAll(defaults(policy, splitter, network, taken, findings));
		if (firewalls.size() > GcpLimits.FIREWALLS_PER_PROJECT_LOW) {
			findings.add(Finding.of(FindingCode.GCP_FIREWALL_QUOTA, GCP, null,
					"the policy needs " + firewalls.size()
							+ " firewall rules; the FIREWALLS quota per project has been seen as low as "
							+ GcpLimits.FIREWALLS_PER_PROJECT_LOW + ": check the project's quota"));
		}
		return new Translation<>(new GcpOutput(firewalls), new ArrayList<>(new LinkedHashSet<>(findings)));
	}

	private static String name(String stem, Set<String> taken, List<Finding> findings) {
		String name = Names.unique(stem, GcpLimits.NAME_MAX, taken, stem);
		if (!name.equals(stem)) {
			findings.add(Finding.of(FindingCode.NAME_SHORTENED, GCP, null,
					"firewall name "
							+ stem + " is " + (stem.length() > GcpLimits.NAME_MAX
									? "longer than " + GcpLimits.NAME_MAX + " characters" : "taken")
							+ "; it is named " + name));
		}
		taken.add(name);
		return name;
	}

	private static Firewall firewall(Policy policy, FirewallParts.Part part, String name, String network,
			int priority) {
		return new Firewall(name, description(policy, part.rule().name()), network, priority,
				direction(part.direction()), part.allow() ? part.protocols() : List.of(),
				part.allow() ? List.of() : part.protocols(), part.sourceRanges(), part.destinationRanges(),
				part.sourceTags(), part.sourceServiceAccounts(), part.targetTags(), part.targetServiceAccounts(),
				part.rule().log() ? new Firewall.LogConfig(true) : null);
	}

	/**
	 * The marker by which plans recognise the rules this service manages (firewall rules
	 * have no labels).
	 */
	static String description(Policy policy, String rule) {
		return "polyfence policy=" + policy.name() + " rule=" + rule;
	}

	private static String direction(Direction direction) {
		return direction == Direction.INGRESS ? "INGRESS" : "EGRESS";
	}

	/**
	 * Explicit catch-alls for the defaults the implied rules do not give (ingress allow,
	 * egress deny), one per address family and target chunk. They target the policy's
	 * groups, as {@code appliesTo: ["*"]} does, so VMs that no group holds keep the
	 * implied rules. Several catch-alls share {@link GcpLimits#DEFAULTS_PRIORITY}: those
	 * of one direction have one action, so the tie decides nothing.
	 */
	private static List<Firewall> defaults(Policy policy, FirewallParts splitter, String network, Set<String> taken,
			List<Finding> findings) {
		List<Firewall> defaults = new ArrayList<>();
		List<ProtocolPorts> all = List.of(new ProtocolPorts("all", List.of()));
		List<FirewallParts.Targets> targets = splitter.targets(policy.groups());
		for (Direction direction : List.of(Direction.INGRESS, Direction.EGRESS)) {
			if (policy.defaults().of(direction) == implied(direction)) {
				continue;
			}
			boolean ingress = direction == Direction.INGRESS;
			String rule = ingress ? "default-ingress" : "default-egress";
			for (String family : List.of("0.0.0.0/0", "::/0")) {
				for (int i = 0; i < targets.size(); i++) {
					FirewallParts.Targets t = targets.get(i);
					String stem = policy.name() + "-" + rule + "-" + (family.contains(":") ? "v6" : "v4")
							+ (i == 0 ? "" : "-" + (i + 1));
					defaults.add(new Firewall(name(stem, taken, findings), description(policy, rule), network,
							GcpLimits.DEFAULTS_PRIORITY, direction(direction), ingress ? all : List.of(),
							ingress ? List.of() : all, ingress ? List.of(family) : List.of(),
							ingress ? List.of() : List.of(family), List.of(), List.of(), t.tags(), t.accounts(), null));
				}
			}
		}
		return defaults;
	}

	/** What the implied rules at 65535 do: deny ingress, allow egress. */
	private static Action implied(Direction direction) {
		return direction == Direction.INGRESS ? Action.DENY : Action.ALLOW;
	}

}
