package dev.polyfence.verify;

import java.util.Objects;

/**
 * A new connection, or one packet of it: a source, a destination, an IP protocol 0-255,
 * the destination port for TCP and UDP (else -1), and the type and code for ICMP and
 * ICMPv6 (else -1). Both addresses are of one family; protocol 1 is IPv4 only and 58 IPv6
 * only.
 */
public record Flow(Endpoint source, Endpoint destination, int protocol, int port, int icmpType, int icmpCode) {

	/** The value of a field that the protocol does not carry. */
	public static final int NONE = -1;

	public static final int TCP = 6;

	public static final int UDP = 17;

	public static final int ICMP = 1;

	public static final int ICMPV6 = 58;

	public Flow {
		Objects.requireNonNull(source, "source");
		Objects.requireNonNull(destination, "destination");
		if (source.address().getIPVersion() != destination.address().getIPVersion()) {
			throw new IllegalArgumentException("flow mixes address families: " + source + " -> " + destination);
		}
		if (protocol < 0 || protocol > 255) {
			throw new IllegalArgumentException("protocol " + protocol + " is not within 0-255");
		}
		boolean ipv4 = source.address().isIPv4();
		if (protocol == ICMP && !ipv4) {
			throw new IllegalArgumentException("protocol 1 (icmp) on an IPv6 flow");
		}
		if (protocol == ICMPV6 && ipv4) {
			throw new IllegalArgumentException("protocol 58 (icmpv6) on an IPv4 flow");
		}
		if (protocol == TCP || protocol == UDP) {
			require(port >= 0 && port <= 65535, "port " + port + " is not within 0-65535");
		}
		else {
			require(port == NONE, "protocol " + protocol + " carries no port");
		}
		if (protocol == ICMP || protocol == ICMPV6) {
			require(icmpType >= 0 && icmpType <= 255 && icmpCode >= 0 && icmpCode <= 255,
					"icmp type " + icmpType + " code " + icmpCode + " are not within 0-255");
		}
		else {
			require(icmpType == NONE && icmpCode == NONE, "protocol " + protocol + " carries no icmp type or code");
		}
	}

	public static Flow tcp(Endpoint source, Endpoint destination, int port) {
		return new Flow(source, destination, TCP, port, NONE, NONE);
	}

	public static Flow udp(Endpoint source, Endpoint destination, int port) {
		return new Flow(source, destination, UDP, port, NONE, NONE);
	}

	/** An ICMP flow of the endpoints' family: protocol 1 on IPv4, 58 on IPv6. */
	public static Flow icmp(Endpoint source, Endpoint destination, int type, int code) {
		int protocol = source.address().isIPv4() ? ICMP : ICMPV6;
		return new Flow(source, destination, protocol, NONE, type, code);
	}

	/** A flow of a protocol that carries neither ports nor ICMP type and code. */
	public static Flow other(Endpoint source, Endpoint destination, int protocol) {
		return new Flow(source, destination, protocol, NONE, NONE, NONE);
	}

	/** The source when it is a workload, else null. */
	public Endpoint.Workload sourceWorkload() {
		return source instanceof Endpoint.Workload w ? w : null;
	}

	/** The destination when it is a workload, else null. */
	public Endpoint.Workload destinationWorkload() {
		return destination instanceof Endpoint.Workload w ? w : null;
	}

	/**
	 * No cloud object judges a flow between two outside addresses: evaluators refuse one.
	 */
	void requireWorkloadEnd() {
		if (sourceWorkload() == null && destinationWorkload() == null) {
			throw new IllegalArgumentException("no cloud object judges a flow between two outside addresses: " + this);
		}
	}

	public boolean isIpv4() {
		return source.address().isIPv4();
	}

	/** TCP and UDP carry a destination port. */
	public boolean hasPort() {
		return protocol == TCP || protocol == UDP;
	}

	public boolean isIcmp() {
		return protocol == ICMP || protocol == ICMPV6;
	}

	/**
	 * The same packet fields with source and destination swapped and a new port, type and
	 * code.
	 */
	Flow reply(int replyPort, int replyType, int replyCode) {
		return new Flow(destination, source, protocol, replyPort, replyType, replyCode);
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder().append(protocolName())
			.append(' ')
			.append(source)
			.append(" -> ")
			.append(destination);
		if (hasPort()) {
			text.append(" port ").append(port);
		}
		if (isIcmp()) {
			text.append(" type ").append(icmpType).append(" code ").append(icmpCode);
		}
		return text.toString();
	}

	private String protocolName() {
		return switch (protocol) {
			case TCP -> "tcp";
			case UDP -> "udp";
			case ICMP -> "icmp";
			case ICMPV6 -> "icmpv6";
			default -> "proto " + protocol;
		};
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalArgumentException(message);
		}
	}
}
