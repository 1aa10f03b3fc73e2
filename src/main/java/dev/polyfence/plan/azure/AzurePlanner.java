package dev.polyfence.plan.azure;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.plan.Fingerprint;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.plan.PlanFindingCode;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.azure.AzureOutput;
import dev.polyfence.translate.azure.NetworkSecurityGroup;
import dev.polyfence.translate.azure.SecurityRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares a translation with a resource group's NSGs. Each NSG whose rules differ from
 * the desired ones gets a PUT with its whole rule list: ARM replaces the list at once, so
 * there is no moment with colliding priorities or half the rules. Rules are compared by
 * name and properties; a plan right after an apply is empty. Only NSGs tagged as managed
 * by this policy are changed; a name the policy needs that an unmanaged NSG holds is an
 * error.
 *
 * <p>
 * Safe both ways (spec section 6): a flow between two workloads passes the sender's NSG
 * outbound and the receiver's NSG inbound, two NSGs that change at different moments. So
 * one direction changes everywhere before the other: first every NSG gets the new rules
 * of one direction beside the old rules of the other, then its whole new list (an NSG
 * whose change is all in one direction gets one PUT, in that direction's turn).
 * {@link DirectionOrder} picks the direction to change first so that no flow that the old
 * and the new rules both deny passes midway (a deny moving from the sender's outbound to
 * the receiver's inbound, say). When denies move both ways no order is safe: the flows
 * that pass midway with the order chosen, denied before and after, are held by temporary
 * deny rules ahead of the end that changes second ({@link AzureGuards}), put in by a
 * first PUT and dropped by the one that gives that NSG its new rules; what they cannot
 * say, the plan warns about ({@code APPLY_MAY_OPEN}). A flow that both allow is never cut
 * off: at every moment each NSG's direction is old or new, and both allow it.
 */
public final class AzurePlanner {

	private static final String AZURE = "azure";

	private static final String INBOUND = "Inbound";

	private static final String OUTBOUND = "Outbound";

	/** A plan for unbound groups, as the translator names them then. */
	public AzurePlan plan(Policy policy, AzureOutput desired, AzureLiveState live) {
		return plan(policy, null, desired, live);
	}

	/**
	 * @param azure the bindings the translation was made with (null: none), which say
	 * where the groups live, to choose the order of the directions
	 */
	public AzurePlan plan(Policy policy, Bindings.Azure azure, AzureOutput desired, AzureLiveState live) {
		List<Finding> findings = new ArrayList<>();
		Set<String> needed = new TreeSet<>();
		List<NetworkSecurityGroup> changing = new ArrayList<>();
		Map<String, List<SecurityRule>> before = new LinkedHashMap<>();
		Map<String, List<SecurityRule>> after = new LinkedHashMap<>();
		for (NetworkSecurityGroup nsg : desired.networkSecurityGroups()) {
			Cancellation.check();
			needed.add(nsg.name());
			AzureLiveState.LiveNsg existing = live.named(nsg.name()).orElse(null);
			if (existing != null && !nsg.group().equals(ManagedTags.groupOf(existing.tags(), policy.name()))) {
				findings.add(new Finding(PlanFindingCode.NAME_TAKEN.severity(), PlanFindingCode.NAME_TAKEN.name(),
						Target.AZURE, null,
						"network security group " + nsg.name() + " already exists in " + live.resourceGroup()
								+ " and is not managed by Polyfence for policy " + policy.name() + " and group "
								+ nsg.group() + "; it is left alone"));
				continue;
			}
			after.put(nsg.group(), nsg.properties().securityRules());
			if (existing != null) {
				before.put(nsg.group(), existing.rules());
			}
			if (existing == null || !diff(nsg, existing.rules(), 0).isEmpty()) {
				changing.add(nsg);
			}
		}
		AzureSides sides = new AzureSides(policy, azure, before, after);
		DirectionOrder.Choice order = changing.isEmpty() ? DirectionOrder.Choice.SAFE : sides.choose();
		AzureGuards.Guards guards = AzureGuards.of(order, azure, sides);
		String first = order.egressFirst() ? OUTBOUND : INBOUND;
		String second = order.egressFirst() ? INBOUND : OUTBOUND;
		Map<String, List<SecurityRule>> guarded = new LinkedHashMap<>();
		List<DirectionOrder.Risk> unheld = new ArrayList<>(guards.unheld());
		guards.byGroup().forEach((group, rules) -> {
			if (before.containsKey(group) && AzureGuards.ahead(before.get(group), rules, second) != null) {
				guarded.put(group, rules);
			}
			else {
				unheld.addAll(order.risks()
					.stream()
					.filter(r -> group.equals(order.egressFirst() ? r.receiver() : r.sender()))
					.toList());
			}
		});
		List<AzureChange> operations = new ArrayList<>();
		List<ChangeRow> rows = new ArrayList<>();
		for (NetworkSecurityGroup nsg : changing) {
			List<SecurityRule> guardRules = guarded.get(nsg.group());
			if (guardRules != null) {
				int step = operations.size();
				operations.add(put(policy, nsg, AzureGuards.ahead(before.get(nsg.group()), guardRules, second)));
				guardRules
					.forEach(g -> rows.add(new ChangeRow(step, AZURE, ChangeRow.CREATE, "network-security-group-rule",
							nsg.name() + ": " + g.name(), nsg.group(), null, g.properties())));
			}
		}
		List<NetworkSecurityGroup> later = new ArrayList<>();
		for (NetworkSecurityGroup nsg : changing) {
			List<SecurityRule> have = before.get(nsg.group());
			List<SecurityRule> want = nsg.properties().securityRules();
			int step = operations.size();
			if (have == null) {
				rows.add(new ChangeRow(step, AZURE, ChangeRow.CREATE, "network-security-group", nsg.name(), nsg.group(),
						null, Map.of("name", nsg.name(), "location", String.valueOf(nsg.location()))));
			}
			List<ChangeRow> diff = diff(nsg, have == null ? List.of() : have, step);
			boolean firstChanges = diff.stream().anyMatch(r -> touches(r, first, true));
			boolean secondChanges = diff.stream().anyMatch(r -> touches(r, first, false));
			if (have != null && !firstChanges) {
				later.add(nsg);
				continue;
			}
			List<SecurityRule> rules = have != null && secondChanges ? halfway(want, have, first) : want;
			if (have != null && secondChanges && guarded.containsKey(nsg.group())) {
				rules = AzureGuards.ahead(rules, guarded.get(nsg.group()), second);
			}
			operations.add(put(policy, nsg, rules));
			diff.stream().filter(r -> have == null || !secondChanges || direction(r).equals(first)).forEach(rows::add);
			if (have != null && secondChanges) {
				later.add(nsg);
			}
		}
		for (NetworkSecurityGroup nsg : later) {
			int step = operations.size();
			operations.add(put(policy, nsg, nsg.properties().securityRules()));
			diff(nsg, before.get(nsg.group()), step).stream()
				.filter(r -> !direction(r).equals(first))
				.forEach(rows::add);
			guarded.getOrDefault(nsg.group(), List.of())
				.forEach(g -> rows.add(new ChangeRow(step, AZURE, ChangeRow.DELETE, "network-security-group-rule",
						nsg.name() + ": " + g.name(), nsg.group(), g.properties(), null)));
		}
		if (!unheld.isEmpty()) {
			findings.add(new Finding(PlanFindingCode.APPLY_MAY_OPEN.severity(), PlanFindingCode.APPLY_MAY_OPEN.name(),
					Target.AZURE, null,
					"the apply may let flows through for a moment: " + order.why() + "; " + unheld.size()
							+ " such runs of flows cannot be held by a temporary rule, for example " + unheld.get(0)));
		}
		List<ForeignResource> foreign = new ArrayList<>();
		for (AzureLiveState.LiveNsg nsg : live.networkSecurityGroups()) {
			String group = ManagedTags.groupOf(nsg.tags(), policy.name());
			if (group == null) {
				foreign.add(new ForeignResource(AZURE, "network-security-group", nsg.id(), nsg.name(),
						"not managed by Polyfence for policy " + policy.name()));
			}
			else if (!needed.contains(nsg.name())) {
				findings.add(new Finding(PlanFindingCode.ORPHANED.severity(), PlanFindingCode.ORPHANED.name(),
						Target.AZURE, null, "network security group " + nsg.name() + " serves group " + group
								+ ", which the policy no longer has; it is left in place"));
			}
		}
		return new AzurePlan(operations, rows, findings, foreign, fingerprint(policy, desired, live));
	}

	private static AzureChange put(Policy policy, NetworkSecurityGroup nsg, List<SecurityRule> rules) {
		return new AzureChange.PutNetworkSecurityGroup(nsg.group(), nsg.name(), nsg.location(),
				ManagedTags.of(policy.name(), nsg.group()), rules);
	}

	/**
	 * The new rules of one direction beside the old rules of the other; an old rule whose
	 * name a new one takes is renamed {@code <name>_old} meanwhile (policy rule names
	 * hold no "_", so no translated name has that form).
	 */
	private static List<SecurityRule> halfway(List<SecurityRule> want, List<SecurityRule> have, String direction) {
		List<SecurityRule> rules = new ArrayList<>();
		Set<String> names = new TreeSet<>();
		for (SecurityRule rule : want) {
			if (rule.properties().direction().equals(direction)) {
				rules.add(rule);
				names.add(rule.name());
			}
		}
		for (SecurityRule rule : have) {
			if (!rule.properties().direction().equals(direction)) {
				String name = rule.name();
				while (names.contains(name)) {
					name = name + "_old";
				}
				names.add(name);
				rules.add(new SecurityRule(name, rule.properties()));
			}
		}
		return rules;
	}

	/**
	 * Whether a row changes rules of this direction ({@code same}) or of the other one: a
	 * rule that changes direction changes both.
	 */
	private static boolean touches(ChangeRow row, String direction, boolean same) {
		for (Object props : new Object[] { row.before(), row.after() }) {
			if (props instanceof SecurityRule.Properties p && p.direction().equals(direction) == same) {
				return true;
			}
		}
		return false;
	}

	/** The direction of the rule a row is about: after the change, else before. */
	private static String direction(ChangeRow row) {
		Object props = row.after() != null ? row.after() : row.before();
		return props instanceof SecurityRule.Properties p ? p.direction() : "";
	}

	/** Rule by rule, by name: created, changed (before and after) or deleted. */
	private static List<ChangeRow> diff(NetworkSecurityGroup nsg, List<SecurityRule> have, int step) {
		Map<String, SecurityRule> before = new LinkedHashMap<>();
		have.forEach(r -> before.put(r.name(), r));
		List<ChangeRow> rows = new ArrayList<>();
		Set<String> seen = new TreeSet<>();
		for (SecurityRule rule : nsg.properties().securityRules()) {
			Cancellation.check();
			seen.add(rule.name());
			SecurityRule old = before.get(rule.name());
			String resource = nsg.name() + ": " + rule.name();
			if (old == null) {
				rows.add(new ChangeRow(step, AZURE, ChangeRow.CREATE, "network-security-group-rule", resource,
						nsg.group(), null, rule.properties()));
			}
			else if (!Objects.equals(old.properties(), rule.properties())) {
				rows.add(new ChangeRow(step, AZURE, ChangeRow.UPDATE, "network-security-group-rule", resource,
						nsg.group(), old.properties(), rule.properties()));
			}
		}
		before.forEach((name, old) -> {
			if (!seen.contains(name)) {
				rows.add(new ChangeRow(step, AZURE, ChangeRow.DELETE, "network-security-group-rule",
						nsg.name() + ": " + name, nsg.group(), old.properties(), null));
			}
		});
		return rows;
	}

	/** The NSGs the plan needs or manages, with their tags and rules. */
	public static String fingerprint(Policy policy, AzureOutput desired, AzureLiveState live) {
		Set<String> names = new TreeSet<>();
		desired.networkSecurityGroups().forEach(n -> names.add(n.name()));
		List<String> lines = new ArrayList<>();
		lines.add("rg " + live.subscriptionId() + " " + live.resourceGroup());
		for (AzureLiveState.LiveNsg nsg : live.networkSecurityGroups()) {
			if (names.contains(nsg.name()) || ManagedTags.groupOf(nsg.tags(), policy.name()) != null) {
				lines.add("nsg " + nsg.id() + " " + nsg.name() + " " + new java.util.TreeMap<>(nsg.tags()));
				nsg.rules().forEach(r -> lines.add("rule " + nsg.name() + " " + r));
			}
		}
		return Fingerprint.of(lines);
	}

}
