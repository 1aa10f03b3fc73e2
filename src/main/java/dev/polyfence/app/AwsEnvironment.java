package dev.polyfence.app;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;

/**
 * The port to AWS that planning and applying need, implemented over the EC2 SDK in
 * {@code cloud.aws}. Endpoints and credentials come from the service's configuration
 * only.
 */
public interface AwsEnvironment {

	/**
	 * Everything Polyfence looks at in one VPC. Throws {@link ScopeNotFoundException} for
	 * an unknown VPC.
	 */
	AwsLiveState read(String region, String vpcId);

	/**
	 * Something that carries out changes to one VPC, one at a time, resolving policy
	 * groups to the ids of the security groups and ACLs that {@code seen} holds or that
	 * earlier changes created.
	 */
	ChangeRunner runner(String region, String vpcId, String policyName, AwsLiveState seen);

	/**
	 * Runs one change; answers the id of what it created, if anything, for the record.
	 */
	interface ChangeRunner {

		String run(AwsChange change);

	}

}
