package dev.polyfence.verify;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Objects;

/**
 * One end of a flow: a workload of a policy group, or an address outside every group,
 * which may be a VM of the cloud network that no group of the policy holds.
 */
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

	/**
	 * A VM of the cloud network that none of the policy's groups holds, with its own
	 * network tags and service account (either may be absent). To the policy it is an
	 * outside address; AWS and Azure evaluators see it as one. GCP judges its side of a
	 * flow as it judges every instance: by the firewalls that target it (or target every
	 * instance) and the implied rules.
	 */
	record OtherVm(IPAddress address, List<String> tags, String serviceAccount) implements Endpoint {
		public OtherVm {
			address = Addresses.single(address);
			tags = List.copyOf(tags);
		}

		@Override
		public String toString() {
			return "vm" + tags + (serviceAccount == null ? "" : "[" + serviceAccount + "]") + "@" + address;
		}
	}

	static Workload workload(String group, String address) {
		return new Workload(group, Addresses.single(address));
	}

	static Outside outside(String address) {
		return new Outside(Addresses.single(address));
	}

}
