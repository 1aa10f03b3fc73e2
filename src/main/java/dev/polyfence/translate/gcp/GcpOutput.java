package dev.polyfence.translate.gcp;

import java.util.List;

/** What GCP gets: VPC firewall rules, in priority order. */
public record GcpOutput(List<Firewall> firewalls) {

	public GcpOutput {
		firewalls = List.copyOf(firewalls);
	}
}
