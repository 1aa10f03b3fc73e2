package dev.polyfence.cloud.aws;

/**
 * EC2 error codes this adapter tells apart. Source: Amazon EC2 API Reference, "Error
 * codes for the Amazon EC2 API"
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html);
 * {@link #NETWORK_ACL_ENTRY_ALREADY_EXISTS} is the code moto uses as well.
 */
public final class Ec2ErrorCodes {

	public static final String INVALID_PERMISSION_DUPLICATE = "InvalidPermission.Duplicate";

	public static final String INVALID_PERMISSION_NOT_FOUND = "InvalidPermission.NotFound";

	public static final String INVALID_PERMISSION_MALFORMED = "InvalidPermission.Malformed";

	public static final String RULES_PER_SECURITY_GROUP_LIMIT_EXCEEDED = "RulesPerSecurityGroupLimitExceeded";

	public static final String SECURITY_GROUP_LIMIT_EXCEEDED = "SecurityGroupLimitExceeded";

	public static final String INVALID_GROUP_NOT_FOUND = "InvalidGroup.NotFound";

	public static final String INVALID_GROUP_ID_NOT_FOUND = "InvalidGroupId.NotFound";

	public static final String INVALID_GROUP_DUPLICATE = "InvalidGroup.Duplicate";

	public static final String INVALID_GROUP_ID_MALFORMED = "InvalidGroupId.Malformed";

	public static final String INVALID_SECURITY_GROUP_RULE_ID_NOT_FOUND = "InvalidSecurityGroupRuleId.NotFound";

	public static final String NETWORK_ACL_ENTRY_ALREADY_EXISTS = "NetworkAclEntryAlreadyExists";

	public static final String NETWORK_ACL_ENTRY_LIMIT_EXCEEDED = "NetworkAclEntryLimitExceeded";

	public static final String NETWORK_ACL_LIMIT_EXCEEDED = "NetworkAclLimitExceeded";

	public static final String INVALID_NETWORK_ACL_ENTRY_NOT_FOUND = "InvalidNetworkAclEntry.NotFound";

	public static final String INVALID_NETWORK_ACL_ID_NOT_FOUND = "InvalidNetworkAclID.NotFound";

	public static final String INVALID_ASSOCIATION_ID_NOT_FOUND = "InvalidAssociationID.NotFound";

	public static final String INVALID_VPC_ID_NOT_FOUND = "InvalidVpcID.NotFound";

	public static final String INVALID_VPC_ID_MALFORMED = "InvalidVpcID.Malformed";

	public static final String INVALID_SUBNET_ID_NOT_FOUND = "InvalidSubnetID.NotFound";

	public static final String INVALID_PARAMETER_VALUE = "InvalidParameterValue";

	public static final String INVALID_PARAMETER_COMBINATION = "InvalidParameterCombination";

	public static final String MISSING_PARAMETER = "MissingParameter";

	public static final String DEPENDENCY_VIOLATION = "DependencyViolation";

	public static final String REQUEST_LIMIT_EXCEEDED = "RequestLimitExceeded";

	public static final String UNAUTHORIZED_OPERATION = "UnauthorizedOperation";

	public static final String AUTH_FAILURE = "AuthFailure";

	private Ec2ErrorCodes() {
	}

}
