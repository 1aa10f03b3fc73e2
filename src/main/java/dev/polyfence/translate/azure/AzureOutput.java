package dev.polyfence.translate.azure;

import java.util.List;

/** What Azure gets: one NSG per group. */
public record AzureOutput(List<NetworkSecurityGroup> networkSecurityGroups) {

	public AzureOutput {
		networkSecurityGroups = List.copyOf(networkSecurityGroups);
	}
}
