package dev.polyfence.policy;

import inet.ipaddr.IPAddress;
import java.util.Objects;

/** The other end of a flow, as a rule names it. */
public sealed interface Peer {

	/** A literal CIDR block, always in canonical form (the parser refuses host bits). */
	record Cidr(IPAddress block) implements Peer {
		public Cidr {
			Objects.requireNonNull(block, "block");
		}

		@Override
		public String toString() {
			return block.toCanonicalString();
		}
	}

	/** The workloads of one group of this policy. */
	record Group(String name) implements Peer {
		public Group {
			Objects.requireNonNull(name, "name");
		}
	}

	/** A named list of CIDR blocks from {@code spec.addressSets}. */
	record AddressSet(String name) implements Peer {
		public AddressSet {
			Objects.requireNonNull(name, "name");
		}
	}

	/** Every IPv4 and IPv6 address, and so every workload. */
	record Any() implements Peer {
	}

	Any ANY = new Any();

}
