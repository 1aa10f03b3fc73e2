package dev.polyfence.app;

import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.plan.gcp.GcpLiveState;

/**
 * The port to GCP that planning and applying need, implemented over google-cloud-compute
 * in {@code cloud.gcp}. Endpoints and credentials come from the service's configuration
 * only.
 */
public interface GcpEnvironment {

	/**
	 * The firewall rules of one network. Throws {@link ScopeNotFoundException} for an
	 * unknown project.
	 */
	GcpLiveState read(String project, String network);

	/**
	 * Carries out changes to one network's firewall rules, one at a time, each waited
	 * for.
	 */
	ChangeRunner runner(String project, String network);

	/** Runs one change; answers the name of the rule it touched, for the record. */
	interface ChangeRunner {

		String run(GcpChange change);

	}

}
