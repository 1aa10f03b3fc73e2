package dev.polyfence.verify;

import inet.ipaddr.IPAddress;
import java.util.Objects;

/** One end of a flow: a workload of a policy group, or an address outside every group. */
public sealed interface Endpoint {

	/** The endpoint's single address, without a prefix length. */
	IPAddress address();

	/**
	 * A workload of one group; its address lies inside the group's bound cidrs (package
	 * assumptions).
	 */
	record Workload(String group, IPAddress address) implements Endpoint {
		public Workload {
			Objects.requireNonNull(group, "group");
			address = Addresses.single(address);
		}

		@Override
		public String toString() {
			return group + "@" + address;
		}
	}

	/** An address that belongs to no group. */
	record Outside(IPAddress address) implements Endpoint {
		public Outside {
			address = Addresses.single(address);
		}

		@Override
		public String toString() {
			return "outside@" + address;
		}
	}

	static Workload workload(String group, String address) {
		return new Workload(group, Addresses.single(address));
	}

	static Outside outside(String address) {
		return new Outside(Addresses.single(address));
	}

}
