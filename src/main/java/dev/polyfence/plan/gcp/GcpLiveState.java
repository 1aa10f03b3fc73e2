package dev.polyfence.plan.gcp;

import dev.polyfence.translate.gcp.Firewall;
import java.util.List;

/**
 * The firewall rules of one VPC network, read through the Compute API and free of SDK
 * types, in the translator's shape (the adapter drops what the API adds and writes the
 * network as the translator does).
 */
public record GcpLiveState(String project, String network, List<Firewall> firewalls) {

	public GcpLiveState {
		firewalls = List.copyOf(firewalls);
	}
}
