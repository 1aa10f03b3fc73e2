package dev.polyfence.plan.gcp;

import dev.polyfence.translate.Names;
import dev.polyfence.translate.Numbering;
import dev.polyfence.translate.gcp.Firewall;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The steps that move one direction's rules of a policy to a new priority band, and its
 * explicit defaults, so that every instance decides at each moment as the old or as the
 * new rules do (see {@link GcpPlanner}).
 */
final class GcpBand {

	private static final int STEP = 10;

	private static final int DEFAULTS_PRIORITY = GcpPlanner.DEFAULTS_PRIORITY;

	private GcpBand() {
	}

	/**
	 * The desired rules with the priorities they are written at: their own when there are
	 * no old rules, else in a band beside the old one, above it when it fits there.
	 */
	static List<Firewall> place(List<Firewall> oldRules, List<Firewall> newRules) {
		if (oldRules.isEmpty() || newRules.isEmpty()) {
			return newRules;
		}
		int low = oldRules.get(0).priority();
		int high = oldRules.get(oldRules.size() - 1).priority();
		int step = Numbering.step(newRules.size(), high + 1, DEFAULTS_PRIORITY - 1, STEP);
		int first;
		if (step > 0) {
			boolean gap = high + (long) step * newRules.size() <= DEFAULTS_PRIORITY - 1;
			first = gap ? high + step : high + 1;
		}
		else {
			step = Numbering.step(newRules.size(), 0, low - 1, STEP);
			if (step == 0) {
				throw new IllegalStateException("no free priorities beside " + low + "-" + high + " for "
						+ newRules.size() + " firewall rules");
			}
			first = Math.max(0, low - 1 - (newRules.size() - 1) * step);
		}
		List<Firewall> placed = new ArrayList<>();
		int priority = first;
		for (Firewall d : newRules) {
			placed.add(GcpPlanner.withPriority(d, priority));
			priority += step;
		}
		return placed;
	}

	/**
	 * A temporary copy of every old rule whose name a written rule takes, in one wave;
	 * the rules that will leave each old place, by old name: the copy, or the old rule
	 * itself.
	 */
	static Map<String, Firewall> copies(List<Firewall> oldRules, List<Firewall> placed, Set<String> taken,
			GcpSteps steps) {
		Set<String> newNames = GcpPlanner.byName(placed).keySet();
		Map<String, Firewall> leaving = new LinkedHashMap<>();
		steps.nextWave();
		for (Firewall old : oldRules) {
			if (newNames.contains(old.name())) {
				String copy = Names.unique(old.name() + "-old", 63, taken, old.name());
				taken.add(copy);
				Firewall c = GcpPlanner.renamed(old, copy);
				steps.insert(c);
				leaving.put(old.name(), c);
			}
			else {
				leaving.put(old.name(), old);
			}
		}
		steps.nextWave();
		return leaving;
	}

	/**
	 * One direction's desired rules into their band, in ascending priority, a run of one
	 * action per wave; a name whose direction changes is freed first (its copy stands in
	 * for it).
	 */
	static void writeBand(List<Firewall> placed, Map<String, Firewall> oldByName, GcpSteps steps) {
		steps.nextWave();
		for (Firewall p : placed) {
			Firewall old = oldByName.get(p.name());
			if (old != null && !old.direction().equals(p.direction())) {
				steps.delete(old);
			}
		}
		Boolean action = null;
		for (Firewall p : placed) {
			if (action == null || action != p.isAllow()) {
				steps.nextWave();
				action = p.isAllow();
			}
			Firewall old = oldByName.get(p.name());
			if (old == null || !old.direction().equals(p.direction())) {
				steps.insert(p);
			}
			else {
				steps.replace(old, p);
			}
		}
		steps.nextWave();
	}

	/**
	 * One direction's explicit defaults: new ones, then changed ones, then the obsolete
	 * ones go (all of one direction have one action, and each instance and family has
	 * one, so an instance is never left without the default it has before and after).
	 */
	static void defaults(List<Firewall> oldDefaults, List<Firewall> newDefaults, GcpSteps steps) {
		Map<String, Firewall> oldByName = GcpPlanner.byName(oldDefaults);
		Set<String> newNames = GcpPlanner.byName(newDefaults).keySet();
		steps.nextWave();
		newDefaults.stream().filter(d -> !oldByName.containsKey(d.name())).forEach(steps::insert);
		steps.nextWave();
		for (Firewall d : newDefaults) {
			Firewall old = oldByName.get(d.name());
			if (old != null && !old.equals(d)) {
				steps.replace(old, d);
			}
		}
		steps.nextWave();
		oldDefaults.stream().filter(old -> !newNames.contains(old.name())).forEach(steps::delete);
		steps.nextWave();
	}

	/**
	 * One direction's old band goes, from the highest priority number down, a run of one
	 * action per wave.
	 */
	static void deleteBand(List<Firewall> oldRules, Map<String, Firewall> leaving, GcpSteps steps) {
		List<Firewall> order = new ArrayList<>(oldRules);
		order.sort(Comparator.comparingInt(Firewall::priority).reversed());
		Boolean action = null;
		for (Firewall old : order) {
			if (action == null || action != old.isAllow()) {
				steps.nextWave();
				action = old.isAllow();
			}
			steps.delete(leaving.get(old.name()));
		}
		steps.nextWave();
	}

}
