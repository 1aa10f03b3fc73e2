package dev.polyfence.app;

import dev.polyfence.policy.Cloud;
import java.util.Objects;

/**
 * One cloud target of a stored plan: where it is ({@code account} is the AWS region, the
 * Azure subscription or the GCP project; {@code scope} the VPC, resource group or
 * network), the fingerprint of the live state the plan saw, and the digest of the
 * operations that were reviewed. An apply runs only operations that it reproduces with
 * the same digest from a live state with the same fingerprint.
 */
public record PlannedTarget(Cloud cloud, String account, String scope, String fingerprint, String operationsDigest) {

	public PlannedTarget {
		Objects.requireNonNull(cloud, "cloud");
		Objects.requireNonNull(account, "account");
		Objects.requireNonNull(scope, "scope");
		Objects.requireNonNull(fingerprint, "fingerprint");
		Objects.requireNonNull(operationsDigest, "operationsDigest");
	}

	/** The key that one apply at a time holds, across replicas. */
	public String lockKey() {
		return cloud.wire() + ":" + account + ":" + scope;
	}
}
