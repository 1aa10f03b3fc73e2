package dev.polyfence.app;

import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.plan.azure.AzureLiveState;

/**
 * The port to Azure that planning and applying need, to be implemented over
 * azure-resourcemanager-network in {@code cloud.azure}. Endpoints and credentials come
 * from the service's configuration only.
 */
public interface AzureEnvironment {

	/**
	 * The NSGs of one resource group. Throws {@link ScopeNotFoundException} for an
	 * unknown resource group.
	 */
	AzureLiveState read(String subscriptionId, String resourceGroup);

	/** Carries out changes to one resource group's NSGs, one at a time. */
	ChangeRunner runner(String subscriptionId, String resourceGroup);

	/**
	 * Runs one change; answers the id of what it created or replaced, if anything, for
	 * the record.
	 */
	interface ChangeRunner {

		String run(AzureChange change);

	}

}
