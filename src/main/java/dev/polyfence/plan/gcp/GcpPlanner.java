package dev.polyfence.plan.gcp;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.Fingerprint;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.Names;
import dev.polyfence.translate.Numbering;
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
 * them match without a moment where a flow that the old and the new rules both allow is
 * blocked.
 *
 * <p>
 * GCP decides by the lowest priority number among matching rules (deny winning ties),
 * across all rules at once, and a name exists once. The policy's rules (its explicit
 * defaults at 65534 aside) are therefore moved as a whole, as the ACL entries on AWS are:
 * <ol>
 * <li>every old rule that will change or go under its own name first gets a temporary
 * copy, same content and priority, so the old rules keep their meaning while their names
 * are reused;</li>
 * <li>the desired rules are written into a priority band beside the old one, by inserting
 * new names and patching (or deleting and re-inserting, when the direction changes) the
 * old names: above the old band in any order (the old band, whole thanks to the copies,
 * decides first), or, when there is no room above, below it in ascending priority (what
 * is in is a prefix of the new rules);</li>
 * <li>the copies and the old rules that go are deleted, from the highest priority number
 * down when the new band is above (what is left of the old band is a prefix of it).</li>
 * </ol>
 * New explicit defaults are inserted first and obsolete ones deleted last. Rules are
 * compared in priority order by content, not by priority value, so a plan right after an
 * apply is empty wherever the band sits. Managed rules have the policy's name prefix and
 * carry {@code polyfence policy=<name>} in their description.
 */
public final class GcpPlanner {

	private static final String GCP = "gcp";

	static final int DEFAULTS_PRIORITY = 65534;

	private static final int STEP = 10;

	public GcpPlan plan(Policy policy, GcpOutput desired, GcpLiveState live) {
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

		Steps steps = new Steps();
		Map<String, Firewall> oldDefaultByName = byName(oldDefaults);
		for (Firewall d : newDefaults) {
			Firewall old = oldDefaultByName.get(d.name());
			if (old == null) {
				steps.add(new GcpChange.Insert(d), ChangeRow.CREATE, null, d);
			}
			else if (!old.equals(d)) {
				steps.add(new GcpChange.Replace(d.name(), d), ChangeRow.UPDATE, old, d);
			}
		}
		if (!sameSequence(oldRules, newRules)) {
			steps.nextWave();
			move(oldRules, newRules, live, steps);
		}
		steps.nextWave();
		Set<String> newDefaultNames = byName(newDefaults).keySet();
		for (Firewall old : oldDefaults) {
			if (!newDefaultNames.contains(old.name())) {
				steps.add(new GcpChange.Delete(old.name(), old), ChangeRow.DELETE, old, null);
			}
		}
		return new GcpPlan(steps.operations, steps.waves, steps.rows, List.of(), foreign, fingerprint(policy, live));
	}

	private static void move(List<Firewall> oldRules, List<Firewall> newRules, GcpLiveState live, Steps steps) {
		Map<String, Firewall> oldByName = byName(oldRules);
		Set<String> taken = new HashSet<>();
		live.firewalls().forEach(f -> taken.add(f.name()));
		newRules.forEach(f -> taken.add(f.name()));
		int low = oldRules.isEmpty() ? 0 : oldRules.get(0).priority();
		int high = oldRules.isEmpty() ? -1 : oldRules.get(oldRules.size() - 1).priority();
		boolean above;
		int step;
		int first;
		if (oldRules.isEmpty()) {
			above = true;
			step = 0;
			first = 0;
		}
		else if ((step = Numbering.step(newRules.size(), high + 1, DEFAULTS_PRIORITY - 1, STEP)) > 0) {
			above = true;
			first = Math.min(high + step, DEFAULTS_PRIORITY - 1);
		}
		else {
			step = Numbering.step(newRules.size(), 0, low - 1, STEP);
			if (step == 0) {
				throw new IllegalStateException("no free priorities beside " + low + "-" + high + " for "
						+ newRules.size() + " firewall rules");
			}
			above = false;
			first = Math.max(0, low - 1 - (newRules.size() - 1) * step);
		}
		// 1. copies of the old rules whose names the new rules reuse
		List<Firewall> leaving = new ArrayList<>();
		Set<String> newNames = byName(newRules).keySet();
		for (Firewall old : oldRules) {
			if (newNames.contains(old.name())) {
				String copy = Names.unique(old.name() + "-old", 63, taken, old.name());
				taken.add(copy);
				Firewall c = renamed(old, copy);
				steps.add(new GcpChange.Insert(c), ChangeRow.CREATE, null, c);
				leaving.add(c);
			}
			else {
				leaving.add(old);
			}
		}
		steps.nextWave();
		// 2. the new rules into their band: above it, all at once (the old band, whole
		// thanks to the
		// copies, decides first), after freeing the names whose direction changes; below
		// it, one by one
		// in ascending priority (what is in is a prefix of the new rules)
		List<Firewall> placed = new ArrayList<>();
		int priority = first;
		for (Firewall d : newRules) {
			placed.add(oldRules.isEmpty() ? d : withPriority(d, priority));
			priority += step;
		}
		if (above) {
			for (Firewall p : placed) {
				Firewall old = oldByName.get(p.name());
				if (old != null && !old.direction().equals(p.direction())) {
					steps.add(new GcpChange.Delete(old.name(), old), ChangeRow.DELETE, old, null);
				}
			}
			steps.nextWave();
		}
		for (Firewall p : placed) {
			Cancellation.check();
			Firewall old = oldByName.get(p.name());
			if (!above && old != null && !old.direction().equals(p.direction())) {
				steps.addAlone(new GcpChange.Delete(old.name(), old), ChangeRow.DELETE, old, null);
			}
			GcpChange change = old == null || !old.direction().equals(p.direction()) ? new GcpChange.Insert(p)
					: new GcpChange.Replace(old.name(), p);
			String action = change instanceof GcpChange.Insert ? ChangeRow.CREATE : ChangeRow.UPDATE;
			if (above) {
				steps.add(change, action, old == null || change instanceof GcpChange.Insert ? null : old, p);
			}
			else {
				steps.addAlone(change, action, change instanceof GcpChange.Insert ? null : old, p);
			}
		}
		steps.nextWave();
		// 3. the copies and the rules that go
		List<Firewall> order = new ArrayList<>(leaving);
		order.sort(Comparator.comparingInt(Firewall::priority));
		if (above) {
			java.util.Collections.reverse(order);
		}
		for (Firewall f : order) {
			if (above) {
				steps.addAlone(new GcpChange.Delete(f.name(), f), ChangeRow.DELETE, f, null);
			}
			else {
				steps.add(new GcpChange.Delete(f.name(), f), ChangeRow.DELETE, f, null);
			}
		}
	}

	/**
	 * The calls in order with their waves, and the rows a reviewer reads, one per call.
	 */
	private static final class Steps {

		final List<GcpChange> operations = new ArrayList<>();

		final List<Integer> waves = new ArrayList<>();

		final List<ChangeRow> rows = new ArrayList<>();

		private int wave;

		/** Calls added from here on wait for every call added before. */
		void nextWave() {
			if (!waves.isEmpty() && waves.get(waves.size() - 1) == wave) {
				wave++;
			}
		}

		void add(GcpChange change, String action, Firewall before, Firewall after) {
			rows.add(new ChangeRow(operations.size(), GCP, action, "firewall", change.name(), null, before, after));
			operations.add(change);
			waves.add(wave);
		}

		/**
		 * A call alone in its wave: it runs after what came before and before what comes
		 * after.
		 */
		void addAlone(GcpChange change, String action, Firewall before, Firewall after) {
			nextWave();
			add(change, action, before, after);
			nextWave();
		}

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

	private static Map<String, Firewall> byName(List<Firewall> firewalls) {
		Map<String, Firewall> map = new LinkedHashMap<>();
		firewalls.forEach(f -> map.put(f.name(), f));
		return map;
	}

	static Firewall withPriority(Firewall f, int priority) {
		return new Firewall(f.name(), f.description(), f.network(), priority, f.direction(), f.allowed(), f.denied(),
				f.sourceRanges(), f.destinationRanges(), f.sourceTags(), f.sourceServiceAccounts(), f.targetTags(),
				f.targetServiceAccounts(), f.logConfig());
	}

	private static Firewall renamed(Firewall f, String name) {
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
