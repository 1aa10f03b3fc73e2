package dev.polyfence.translate.aws;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * An EC2 {@code NetworkAclEntry}. {@code Protocol} is a number string or "-1"; exactly
 * one of {@code CidrBlock} and {@code Ipv6CidrBlock} is set; {@code PortRange} for 6 and
 * 17, {@code IcmpTypeCode} for 1 and 58.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkAclEntry(@JsonProperty("RuleNumber") int ruleNumber, @JsonProperty("Protocol") String protocol,
		@JsonProperty("RuleAction") String ruleAction, @JsonProperty("Egress") boolean egress,
		@JsonProperty("CidrBlock") String cidrBlock, @JsonProperty("Ipv6CidrBlock") String ipv6CidrBlock,
		@JsonProperty("PortRange") Ports portRange, @JsonProperty("IcmpTypeCode") IcmpTypeCode icmpTypeCode) {

	public record Ports(@JsonProperty("From") int from, @JsonProperty("To") int to) {
	}

	public record IcmpTypeCode(@JsonProperty("Type") int type, @JsonProperty("Code") int code) {
	}

	@com.fasterxml.jackson.annotation.JsonIgnore
	public boolean isIpv6() {
		return ipv6CidrBlock != null;
	}
}
