package dev.polyfence.policy;

import java.util.List;
import java.util.Objects;

/**
 * One ordered rule. {@code appliesTo} holds group names, or is empty when the rule
 * applies to every group ({@code ["*"]} in the document). {@code services} empty means
 * all traffic.
 */
public record Rule(String name, Action action, Direction direction, List<String> appliesTo, List<Peer> peers,
		List<Service> services, boolean log) {

	public Rule {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(action, "action");
		Objects.requireNonNull(direction, "direction");
		appliesTo = List.copyOf(appliesTo);
		peers = List.copyOf(peers);
		services = List.copyOf(services);
		if (peers.isEmpty()) {
			throw new IllegalArgumentException("rule " + name + " has no peers; say {any: true} for every address");
		}
	}

	public boolean appliesToAll() {
		return appliesTo.isEmpty();
	}

	public boolean appliesTo(String group) {
		return appliesTo.isEmpty() || appliesTo.contains(group);
	}

	/** The services the rule matches: all traffic when the document omits them. */
	public List<Service> effectiveServices() {
		return services.isEmpty() ? List.of(Service.ALL_TRAFFIC) : services;
	}
}
