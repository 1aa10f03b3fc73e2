package dev.polyfence.policy;

import java.util.List;
import java.util.Objects;

/**
 * What a rule matches beyond its peers: a protocol, and for TCP/UDP its destination ports
 * (empty means all ports), for ICMP/ICMPv6 a type and code (null means all).
 */
public record Service(Protocol protocol, List<PortRange> ports, Integer icmpType, Integer icmpCode) {

	public static final Service ALL_TRAFFIC = new Service(Protocol.ANY, List.of(), null, null);

	public Service {
		Objects.requireNonNull(protocol, "protocol");
		ports = List.copyOf(ports);
		if (!ports.isEmpty() && !protocol.hasPorts()) {
			throw new IllegalArgumentException("ports are only for tcp and udp, not " + protocol);
		}
		if ((icmpType != null || icmpCode != null) && !protocol.isIcmp()) {
			throw new IllegalArgumentException("icmpType and icmpCode are only for icmp and icmpv6, not " + protocol);
		}
		if (icmpCode != null && icmpType == null) {
			throw new IllegalArgumentException("icmpCode needs icmpType");
		}
		checkByte(icmpType, "icmpType");
		checkByte(icmpCode, "icmpCode");
	}

	public static Service of(Protocol protocol, PortRange... ports) {
		return new Service(protocol, List.of(ports), null, null);
	}

	public static Service icmp(Protocol protocol, Integer type, Integer code) {
		return new Service(protocol, List.of(), type, code);
	}

	/**
	 * True when this service narrows ICMP to a type, which some clouds cannot express.
	 */
	public boolean hasIcmpType() {
		return icmpType != null;
	}

	private static void checkByte(Integer value, String what) {
		if (value != null && (value < 0 || value > 255)) {
			throw new IllegalArgumentException(what + " " + value + " is not within 0-255");
		}
	}
}
