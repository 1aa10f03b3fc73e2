package dev.polyfence.plan.gcp;

/** One-line descriptions of GCP changes, for apply records and logs. */
public final class GcpChanges {

	private GcpChanges() {
	}

	public static String describe(GcpChange change) {
		if (change instanceof GcpChange.Insert insert) {
			return "insert firewall rule " + insert.name() + " at priority " + insert.firewall().priority();
		}
		if (change instanceof GcpChange.Replace replace) {
			return "change firewall rule " + replace.name() + " (priority " + replace.firewall().priority() + ")";
		}
		return "delete firewall rule " + change.name();
	}

}
