package dev.polyfence.policy;

/**
 * An IP protocol: an IANA number 0-255, or {@link #ANY} for all of them. The names the
 * policy accepts (tcp, udp, icmp, icmpv6) are the numbers 6, 17, 1 and 58.
 */
public record Protocol(int number) {

	public static final int ANY_NUMBER = -1;

	public static final Protocol ANY = new Protocol(ANY_NUMBER);

	public static final Protocol TCP = new Protocol(6);

	public static final Protocol UDP = new Protocol(17);

	public static final Protocol ICMP = new Protocol(1);

	public static final Protocol ICMPV6 = new Protocol(58);

	public Protocol {
		if (number < ANY_NUMBER || number > 255) {
			throw new IllegalArgumentException("protocol number " + number + " is not within 0-255");
		}
	}

	public boolean isAny() {
		return number == ANY_NUMBER;
	}

	/** TCP and UDP carry ports. */
	public boolean hasPorts() {
		return number == 6 || number == 17;
	}

	/** ICMP and ICMPv6 carry a type and a code. */
	public boolean isIcmp() {
		return number == 1 || number == 58;
	}

	/** The policy's own spelling: tcp, udp, icmp, icmpv6, any, or the number. */
	public String wire() {
		return switch (number) {
			case ANY_NUMBER -> "any";
			case 6 -> "tcp";
			case 17 -> "udp";
			case 1 -> "icmp";
			case 58 -> "icmpv6";
			default -> Integer.toString(number);
		};
	}

	@Override
	public String toString() {
		return wire();
	}
}
