package dev.polyfence.translate.gcp;

/**
 * GCP limits the translator checks. Sources: Compute v1 {@code Firewall} (googleapis
 * compute.proto), magic-modules Firewall.yaml,
 * https://cloud.google.com/vpc/docs/firewalls and the VPC quotas page.
 */
final class GcpLimits {

	static final int PRIORITY_MIN = 0;

	/** The implied rules sit at 65535; the policy's explicit defaults one above them. */
	static final int DEFAULTS_PRIORITY = 65534;

	static final int PRIORITY_STEP = 10;

	static final int NAME_MAX = 63;

	/**
	 * Ranges per rule: the VPC quota page was quoted at 5,000 (2023) and at 256 (2026)
	 * and the sources disagree, so the smaller is used: splitting never hurts, a refused
	 * insert would.
	 */
	static final int RANGES_PER_RULE = 256;

	/**
	 * Source and target service accounts per rule (magic-modules Firewall.yaml, max_size
	 * 10).
	 */
	static final int SERVICE_ACCOUNTS_PER_RULE = 10;

	/**
	 * Source tags (30) and target tags (70) per rule: unverified figures, used as
	 * conservative caps.
	 */
	static final int SOURCE_TAGS_PER_RULE = 30;

	static final int TARGET_TAGS_PER_RULE = 70;

	/**
	 * The smallest FIREWALLS quota per project seen in errors (100); 500 is also seen.
	 */
	static final int FIREWALLS_PER_PROJECT_LOW = 100;

	private GcpLimits() {
	}

}
