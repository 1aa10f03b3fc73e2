package dev.polyfence.translate.aws;

/** AWS limits the translator checks, with where they come from. */
final class AwsLimits {

	/**
	 * Inbound or outbound rules per security group, counted separately for IPv4 and IPv6;
	 * each CIDR and each group reference counts as one. A group reference is counted in
	 * both families, since it matches members of either. Source: Amazon VPC quotas,
	 * "Security groups"
	 * (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
	 */
	static final int SG_RULES_PER_DIRECTION = 60;

	/**
	 * Rules per network ACL per direction and family, the {@code *} rule included;
	 * adjustable up to 40. Same source.
	 */
	static final int NACL_ENTRIES_PER_DIRECTION = 20;

	static final int NACL_ENTRIES_MAX = 40;

	/**
	 * Usable NACL rule numbers; 32767 and up are AWS's own. Source: EC2 API,
	 * CreateNetworkAclEntry.
	 */
	static final int NACL_RULE_NUMBER_MIN = 1;

	static final int NACL_RULE_NUMBER_MAX = 32766;

	/**
	 * First rule number and step: gaps leave room to insert entries later without
	 * renumbering.
	 */
	static final int NACL_RULE_NUMBER_FIRST = 100;

	static final int NACL_RULE_NUMBER_STEP = 10;

	/**
	 * Security group names: up to 255 characters, not starting with "sg-". Source: EC2
	 * API, CreateSecurityGroup.
	 */
	static final int SG_NAME_MAX = 255;

	private AwsLimits() {
	}

}
