package dev.polyfence.translate.azure;

import java.util.List;

/** One group's NSG in ARM shape; {@code group} is the policy group it serves. */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record NetworkSecurityGroup(String group, String name, String location, Properties properties) {

	public record Properties(List<SecurityRule> securityRules) {
		public Properties {
			securityRules = List.copyOf(securityRules);
		}
	}
}
