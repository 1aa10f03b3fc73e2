package dev.polyfence.plan.azure;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.Fingerprint;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.plan.PlanFindingCode;
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
 * the desired ones gets one PUT with its whole rule list: ARM replaces the list at once,
 * so there is no moment with colliding priorities or half the rules, and nothing to
 * order. Rules are compared by name and properties; a plan right after an apply is empty.
 * Only NSGs tagged as managed by this policy are changed; a name the policy needs that an
 * unmanaged NSG holds is an error.
 */
public final class AzurePlanner {

	private static final String AZURE = "azure";

	public AzurePlan plan(Policy policy, AzureOutput desired, AzureLiveState live) {
		List<AzureChange> operations = new ArrayList<>();
		List<ChangeRow> rows = new ArrayList<>();
		List<Finding> findings = new ArrayList<>();
		Set<String> needed = new TreeSet<>();
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
			List<SecurityRule> want = nsg.properties().securityRules();
			List<ChangeRow> diff = diff(nsg, existing == null ? List.of() : existing.rules(), operations.size());
			if (existing == null || !diff.isEmpty()) {
				int step = operations.size();
				operations.add(new AzureChange.PutNetworkSecurityGroup(nsg.group(), nsg.name(), nsg.location(),
						ManagedTags.of(policy.name(), nsg.group()), want));
				if (existing == null) {
					rows.add(new ChangeRow(step, AZURE, ChangeRow.CREATE, "network-security-group", nsg.name(),
							nsg.group(), null, Map.of("name", nsg.name(), "location", String.valueOf(nsg.location()))));
				}
				rows.addAll(diff);
			}
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
