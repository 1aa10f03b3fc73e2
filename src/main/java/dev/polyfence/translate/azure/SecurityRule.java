package dev.polyfence.translate.azure;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An ARM {@code securityRules} item: {@code {name, properties: {...}}}. */
public record SecurityRule(String name, Properties properties) {

	/**
	 * ARM rule properties. A side is given either by one prefix, by several prefixes, or
	 * by application security groups; the unused fields are absent.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	public record Properties(String description, int priority, String direction, String access, String protocol,
			String sourceAddressPrefix, List<String> sourceAddressPrefixes,
			List<ApplicationSecurityGroupRef> sourceApplicationSecurityGroups, String sourcePortRange,
			String destinationAddressPrefix, List<String> destinationAddressPrefixes,
			List<ApplicationSecurityGroupRef> destinationApplicationSecurityGroups, String destinationPortRange,
			List<String> destinationPortRanges) {
	}

	/** A reference to an application security group by its ARM id. */
	public record ApplicationSecurityGroupRef(String id) {
	}
}
