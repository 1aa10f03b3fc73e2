package dev.polyfence.plan.gcp;

import dev.polyfence.translate.gcp.Firewall;

/** One Compute API call on a firewall rule, free of SDK types. */
public sealed interface GcpChange {

	String name();

	/** Firewalls.Insert. */
	record Insert(Firewall firewall) implements GcpChange {
		@Override
		public String name() {
			return firewall.name();
		}
	}

	/**
	 * Make rule {@code name} equal to {@code firewall}: a JSON merge patch where that can
	 * say it, Firewalls.Update where it cannot (switching between allowed and denied,
	 * clearing a list).
	 */
	record Replace(String name, Firewall firewall) implements GcpChange {
	}

	/** Firewalls.Delete. */
	record Delete(String name, Firewall firewall) implements GcpChange {
	}

}
