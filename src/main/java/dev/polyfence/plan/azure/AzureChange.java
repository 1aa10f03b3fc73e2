package dev.polyfence.plan.azure;

import dev.polyfence.translate.azure.SecurityRule;
import java.util.List;
import java.util.Map;

/** One ARM call to an NSG, free of SDK types. */
public sealed interface AzureChange {

	String group();

	/**
	 * PUT of a whole NSG with its full rule list, which ARM applies at once: the old and
	 * the new rules never stand side by side, so no priorities collide and no flow sees a
	 * half-applied list.
	 */
	record PutNetworkSecurityGroup(String group, String name, String location, Map<String, String> tags,
			List<SecurityRule> rules) implements AzureChange {
		public PutNetworkSecurityGroup {
			tags = Map.copyOf(tags);
			rules = List.copyOf(rules);
		}
	}

}
