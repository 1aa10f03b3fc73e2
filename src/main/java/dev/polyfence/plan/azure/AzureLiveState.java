package dev.polyfence.plan.azure;

import dev.polyfence.translate.azure.SecurityRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a plan sees of one resource group's NSGs, read through ARM and free of SDK types.
 * Rules are in the translator's shape; the adapter drops what ARM adds (ids, etags,
 * provisioning state) and reads empty lists as absent.
 */
public record AzureLiveState(String subscriptionId, String resourceGroup, List<LiveNsg> networkSecurityGroups) {

	public AzureLiveState {
		networkSecurityGroups = List.copyOf(networkSecurityGroups);
	}

	public record LiveNsg(String id, String name, String location, Map<String, String> tags, List<SecurityRule> rules) {
		public LiveNsg {
			tags = Map.copyOf(tags);
			rules = List.copyOf(rules);
		}
	}

	public Optional<LiveNsg> named(String name) {
		return networkSecurityGroups.stream().filter(n -> n.name().equals(name)).findFirst();
	}
}
