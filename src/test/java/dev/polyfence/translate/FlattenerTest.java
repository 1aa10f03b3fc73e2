package dev.polyfence.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.Action;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flattener against a direct first-match evaluation, point by point, on random rule
 * lists over a small address range, a few services and one label.
 */
class FlattenerTest {

	private static final String[] BLOCKS = { "10.0.0.0/29", "10.0.0.0/30", "10.0.0.4/31", "10.0.0.6/32", "10.0.0.8/29",
			"10.0.0.0/28" };

	static java.util.stream.LongStream seeds() {
		return java.util.stream.LongStream.range(0, 200);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void cellsHoldExactlyTheFirstMatchAllows(long seed) {
		Random random = new Random(seed);
		PeerSet universe = new PeerSet(AddressSet.ALL, new TreeSet<>(List.of("unbound")));
		List<Flattener.Matcher> matchers = new ArrayList<>();
		for (int i = 0, n = random.nextInt(7); i < n; i++) {
			PeerSet peers = random.nextInt(6) == 0 ? universe : random.nextInt(5) == 0 ? PeerSet.label("unbound")
					: PeerSet.of(AddressSet.of(ip(BLOCKS[random.nextInt(BLOCKS.length)])));
			int low = random.nextInt(40);
			IntervalSet services = random.nextInt(5) == 0 ? ServiceSpace.ALL
					: IntervalSet.of(low, low + random.nextInt(10));
			matchers.add(new Flattener.Matcher(peers, services, random.nextBoolean() ? Action.ALLOW : Action.DENY));
		}
		Action fallback = random.nextBoolean() ? Action.ALLOW : Action.DENY;
		List<Flattener.Cell> cells = Flattener.allowed(matchers, fallback, universe);

		for (int service = 0; service < 55; service++) {
			for (int host = 0; host < 18; host++) {
				IPAddress address = ip("10.0.0." + host);
				boolean expected = firstMatch(matchers, fallback, service, PeerSet.of(AddressSet.of(address)));
				assertThat(allowedBy(cells, service, PeerSet.of(AddressSet.of(address))))
					.as("seed %d, service %d, address %s", seed, service, address)
					.isEqualTo(expected);
			}
			boolean expected = firstMatch(matchers, fallback, service, PeerSet.label("unbound"));
			assertThat(allowedBy(cells, service, PeerSet.label("unbound")))
				.as("seed %d, service %d, label", seed, service)
				.isEqualTo(expected);
		}
	}

	private static boolean firstMatch(List<Flattener.Matcher> matchers, Action fallback, int service, PeerSet peer) {
		for (Flattener.Matcher m : matchers) {
			if (m.services().contains(service) && m.peers().containsAll(peer)) {
				return m.action() == Action.ALLOW;
			}
		}
		return fallback == Action.ALLOW;
	}

	private static boolean allowedBy(List<Flattener.Cell> cells, int service, PeerSet peer) {
		return cells.stream().anyMatch(c -> c.low() <= service && service <= c.high() && c.peers().containsAll(peer));
	}

	private static IPAddress ip(String text) {
		return new IPAddressString(text).getAddress();
	}

}
