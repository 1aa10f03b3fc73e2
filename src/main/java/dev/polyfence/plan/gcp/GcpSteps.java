package dev.polyfence.plan.gcp;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.translate.gcp.Firewall;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls of a GCP plan in order with their waves, and the rows a reviewer reads, one
 * per call. Calls of one wave may run in any order or at once.
 */
final class GcpSteps {

	private static final String GCP = "gcp";

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

	void insert(Firewall firewall) {
		add(new GcpChange.Insert(firewall), ChangeRow.CREATE, null, firewall);
	}

	void replace(Firewall old, Firewall firewall) {
		add(new GcpChange.Replace(old.name(), firewall), ChangeRow.UPDATE, old, firewall);
	}

	void delete(Firewall old) {
		add(new GcpChange.Delete(old.name(), old), ChangeRow.DELETE, old, null);
	}

}
