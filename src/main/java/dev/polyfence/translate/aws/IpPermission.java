package dev.polyfence.translate.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * An EC2 {@code IpPermission}: one protocol and port range (ICMP: FromPort is the type,
 * ToPort the code, -1 for all) and the peers it allows. Ports are absent for protocol -1
 * and other numbers.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IpPermission(@JsonProperty("IpProtocol") String ipProtocol, @JsonProperty("FromPort") Integer fromPort,
		@JsonProperty("ToPort") Integer toPort, @JsonProperty("IpRanges") List<IpRange> ipRanges,
		@JsonProperty("Ipv6Ranges") List<Ipv6Range> ipv6Ranges,
		@JsonProperty("UserIdGroupPairs") List<UserIdGroupPair> userIdGroupPairs) {

	public IpPermission {
		ipRanges = List.copyOf(ipRanges);
		ipv6Ranges = List.copyOf(ipv6Ranges);
		userIdGroupPairs = List.copyOf(userIdGroupPairs);
	}

	public record IpRange(@JsonProperty("CidrIp") String cidrIp) {
	}

	public record Ipv6Range(@JsonProperty("CidrIpv6") String cidrIpv6) {
	}

	/**
	 * A security-group reference: by name in a translation, by id once a plan has
	 * resolved it.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record UserIdGroupPair(@JsonProperty("GroupId") String groupId,
			@JsonProperty("GroupName") String groupName) {
	}
}
