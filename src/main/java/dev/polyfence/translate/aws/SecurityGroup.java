package dev.polyfence.translate.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The whole desired state of one group's security group: every rule listed, the allow-all
 * egress rule included when it is kept. {@code group} is the policy group it serves.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityGroup(@JsonProperty("group") String group, @JsonProperty("GroupName") String groupName,
		@JsonProperty("Description") String description, @JsonProperty("VpcId") String vpcId,
		@JsonProperty("IpPermissions") List<IpPermission> ipPermissions,
		@JsonProperty("IpPermissionsEgress") List<IpPermission> ipPermissionsEgress) {

	public SecurityGroup {
		ipPermissions = List.copyOf(ipPermissions);
		ipPermissionsEgress = List.copyOf(ipPermissionsEgress);
	}
}
