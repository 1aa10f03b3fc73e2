package dev.polyfence.policy;

/** An inclusive range of TCP or UDP ports, 0-65535. */
public record PortRange(int from, int to) implements Comparable<PortRange> {

	public static final int MAX = 65535;

	public static final PortRange ALL = new PortRange(0, MAX);

	public PortRange {
		if (from < 0 || to > MAX || from > to) {
			throw new IllegalArgumentException("port range " + from + "-" + to + " is not within 0-65535 in order");
		}
	}

	public static PortRange of(int port) {
		return new PortRange(port, port);
	}

	public boolean contains(int port) {
		return port >= from && port <= to;
	}

	/** "443" or "8080-8081", the form the policy uses. */
	@Override
	public String toString() {
		return from == to ? Integer.toString(from) : from + "-" + to;
	}

	@Override
	public int compareTo(PortRange other) {
		return from != other.from ? Integer.compare(from, other.from) : Integer.compare(to, other.to);
	}
}
