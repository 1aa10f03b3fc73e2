package dev.polyfence.translate.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The network ACL of one group's subnets: its entries in both directions, without the
 * fixed {@code *} entries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkAcl(@JsonProperty("group") String group, @JsonProperty("VpcId") String vpcId,
		@JsonProperty("SubnetIds") List<String> subnetIds, @JsonProperty("Entries") List<NetworkAclEntry> entries) {

	public NetworkAcl {
		subnetIds = List.copyOf(subnetIds);
		entries = List.copyOf(entries);
	}
}
