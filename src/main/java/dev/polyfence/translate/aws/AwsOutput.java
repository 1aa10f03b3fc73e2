package dev.polyfence.translate.aws;

import java.util.List;

/**
 * What AWS gets: one security group per group, one network ACL per group that has
 * subnets.
 */
public record AwsOutput(List<SecurityGroup> securityGroups, List<NetworkAcl> networkAcls) {

	public AwsOutput {
		securityGroups = List.copyOf(securityGroups);
		networkAcls = List.copyOf(networkAcls);
	}
}
