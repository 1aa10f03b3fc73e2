package dev.polyfence.plan.gcp;

import dev.polyfence.plan.DirectionOrder;
import dev.polyfence.plan.Fingerprint;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.plan.PlanFindingCode;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Target;
import dev.polyfence.translate.gcp.Firewall;
import dev.polyfence.translate.gcp.GcpOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a translation with a network's firewall rules and lists the calls that make
 * them match, safe both ways (spec section 6): at no moment is a flow that the old and
 * the new rules both allow blocked, or one that both deny let through.
 *
 * <p>
 * GCP decides by the lowest priority number among matching rules (deny winning ties),
 * across all rules at once, and a name exists once. INGRESS and EGRESS rules never meet,
 * so each direction's rules move on their own, one direction after the other, as the ACL
 * entries on AWS do:
 * <ol>
 * <li>every old rule that will change or go under its own name first gets a temporary
 * copy, same content and priority, so the old rules keep their meaning while their names
 * are reused;</li>
 * <li>the direction's desired rules are written into a priority band beside the old one
 * (above it, or below it when there is no room above), by inserting new names and
 * patching (or deleting and re-inserting, when the direction changes) the old names, in
 * ascending priority: a wave holds a run of rules of one action, so what is in is always
 * a prefix of the new rules (give or take rules that decide as the next one in would),
 * which decides as the new rules do or leaves the flow to the old rules or defaults;</li>
 * <li>the direction's explicit defaults (at 65534) change: new ones first, then the
 * changed ones, then the obsolete ones go;</li>
 * <li>the copies and the old rules that go are deleted from the highest priority number
 * down, a run of one action per wave, so what is left of the old band is a prefix of it,
 * which decides as the old rules did or leaves the flow to the new ones.</li>
 * </ol>
 * So every instance's decision on every flow is at each moment the old one or the new
 * one, in each direction ({@link GcpBand}). A flow between two instances needs both
 * directions, though: if its sender's egress goes from deny to allow while its receiver's
 * ingress goes from allow to deny (a deny moving to the other end), it would pass while
 * the first direction has moved and the second not yet. {@link DirectionOrder} picks the
 * direction to move first so that no such flow exists between two groups. When denies
 * move both ways, neither order is safe for every flow: the flows that pass midway with
 * the order chosen, denied before and after, are held by temporary denies at priority 0
 * ({@link GcpGuards}), inserted before anything moves and deleted last. Where GCP cannot
 * say such a deny in one firewall, the plan warns ({@code APPLY_MAY_OPEN}).
 *
 * <p>
 * Rules are compared in priority order by content, not by priority value, so a plan right
 * after an apply is empty wherever the band sits. Managed rules have the policy's name
 * prefix and carry {@code polyfence policy=<name>} in their description.
 */
public final class GcpPlanner {

	private static final String GCP = "gcp";

	static final int DEFAULTS_PRIORITY = 65534;

	private static final List<String> DIRECTIONS = List.of("INGRESS", "EGRESS");

	/** A plan for unbound groups, selected as the translator selects them then. */
	public GcpPlan plan(Policy policy, GcpOutput desired, GcpLiveState live) {
		return plan(policy, null, desired, live);
	}

	/**
	 * @param gcp the bindings the translation was made with (null: none), which say where
	 * the groups live, to choose the order of the directions
	 */
	public GcpPlan plan(Policy policy, Bindings.Gcp gcp, GcpOutput desired, GcpLiveState live) {
		List<Firewall> managed = new ArrayList<>();
		List<ForeignResource> foreign = new ArrayList<>();
		for (Firewall f : live.firewalls()) {
			Cancellation.check();
			if (managed(policy, f)) {
				managed.add(f);
			}
			else {
				foreign.add(new ForeignResource(GCP, "firewall", f.name(), f.name(),
						"not managed by Polyfence for policy " + policy.name()));
			}
		}
		List<Firewall> oldRules = sorted(managed.stream().filter(f -> f.priority() != DEFAULTS_PRIORITY).toList());
		List<Firewall> newRules = sorted(
				desired.firewalls().stream().filter(f -> f.priority() != DEFAULTS_PRIORITY).toList());
		List<Firewall> oldDefaults = managed.stream().filter(f -> f.priority() == DEFAULTS_PRIORITY).toList();
		List<Firewall> newDefaults = desired.firewalls()
			.stream()
			.filter(f -> f.priority() == DEFAULTS_PRIORITY)
			.toList();

		Set<String> moving = new HashSet<>();
		for (String direction : DIRECTIONS) {
			Cancellation.check();
			if (!sameSequence(of(oldRules, direction), of(newRules, direction))) {
				moving.add(direction);
			}
		}
		List<Firewall> placed = GcpBand.place(oldRules,
				newRules.stream().filter(f -> moving.contains(f.direction())).toList());
		List<Firewall> after = new ArrayList<>(desired.firewalls());
		live.firewalls().stream().filter(f -> !managed(policy, f)).forEach(after::add);
		GcpSides sides = new GcpSides(policy, gcp, live.firewalls(), after);
		DirectionOrder.Choice order = sides.choose();
		Set<String> taken = new HashSet<>();
		live.firewalls().forEach(f -> taken.add(f.name()));
		desired.firewalls().forEach(f -> taken.add(f.name()));
		GcpGuards.Guards guards = GcpGuards.of(policy.name(), network(desired, live), sides, order.risks(), taken);
		GcpSteps steps = new GcpSteps();
		steps.nextWave();
		guards.firewalls().forEach(steps::insert);
		Map<String, Firewall> leaving = GcpBand.copies(oldRules, placed, taken, steps);
		for (String direction : order.egressFirst() ? List.of("EGRESS", "INGRESS") : List.of("INGRESS", "EGRESS")) {
			if (moving.contains(direction)) {
				GcpBand.writeBand(of(placed, direction), byName(oldRules), steps);
			}
			GcpBand.defaults(of(oldDefaults, direction), of(newDefaults, direction), steps);
			if (moving.contains(direction)) {
				GcpBand.deleteBand(of(oldRules, direction), leaving, steps);
			}
		}
		steps.nextWave();
		guards.firewalls().forEach(steps::delete);
		List<Finding> findings = new ArrayList<>();
		if (!guards.unheld().isEmpty()) {
			findings.add(new Finding(PlanFindingCode.APPLY_MAY_OPEN.severity(), PlanFindingCode.APPLY_MAY_OPEN.name(),
					Target.GCP, null,
					"the apply may let flows through for a moment: " + order.why() + "; " + guards.unheld().size()
							+ " such runs of flows cannot be held by a temporary firewall, for example "
							+ guards.unheld().get(0)));
		}
		return new GcpPlan(steps.operations, steps.waves, steps.rows, findings, foreign, fingerprint(policy, live));
	}

	/** The network the rules live in, as the translation and the live state write it. */
	private static String network(GcpOutput desired, GcpLiveState live) {
		return desired.firewalls().isEmpty() ? "global/networks/" + live.network()
				: desired.firewalls().get(0).network();
	}

	private static List<Firewall> of(List<Firewall> firewalls, String direction) {
		return firewalls.stream().filter(f -> direction.equals(f.direction())).toList();
	}

	static boolean sameSequence(List<Firewall> a, List<Firewall> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!withPriority(a.get(i), 0).equals(withPriority(b.get(i), 0))) {
				return false;
			}
		}
		return true;
	}

	private static List<Firewall> sorted(List<Firewall> firewalls) {
		List<Firewall> list = new ArrayList<>(firewalls);
		list.sort(Comparator.comparingInt(Firewall::priority).thenComparing(Firewall::name));
		return list;
	}

	static Map<String, Firewall> byName(List<Firewall> firewalls) {
		Map<String, Firewall> map = new LinkedHashMap<>();
		firewalls.forEach(f -> map.put(f.name(), f));
		return map;
	}

	static Firewall withPriority(Firewall f, int priority) {
		return new Firewall(f.name(), f.description(), f.network(), priority, f.direction(), f.allowed(), f.denied(),
				f.sourceRanges(), f.destinationRanges(), f.sourceTags(), f.sourceServiceAccounts(), f.targetTags(),
				f.targetServiceAccounts(), f.logConfig());
	}

	static Firewall renamed(Firewall f, String name) {
		return new Firewall(name, f.description(), f.network(), f.priority(), f.direction(), f.allowed(), f.denied(),
				f.sourceRanges(), f.destinationRanges(), f.sourceTags(), f.sourceServiceAccounts(), f.targetTags(),
				f.targetServiceAccounts(), f.logConfig());
	}

	/**
	 * Firewall rules have no labels, so a rule is this policy's when its name has the
	 * policy's prefix and its description carries the marker
	 * {@code polyfence policy=<name> }.
	 */
	static boolean managed(Policy policy, Firewall f) {
		return f.name().startsWith(policy.name() + "-") && f.description() != null
				&& f.description().startsWith("polyfence policy=" + policy.name() + " ");
	}

	/** The managed rules, whole. */
	public static String fingerprint(Policy policy, GcpLiveState live) {
		List<String> lines = new ArrayList<>();
		lines.add("network " + live.project() + " " + live.network());
		live.firewalls().stream().filter(f -> managed(policy, f)).forEach(f -> lines.add(Objects.toString(f)));
		return Fingerprint.of(lines);
	}

}
