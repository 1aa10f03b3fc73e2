package dev.polyfence.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IntervalSet against java.util.BitSet on a small universe, over many seeded random sets.
 */
class IntervalSetTest {

	private static final int UNIVERSE = 64;

	static java.util.stream.LongStream seeds() {
		return java.util.stream.LongStream.range(0, 300);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void algebraMatchesBitSets(long seed) {
		Random random = new Random(seed);
		BitSet a = randomBits(random);
		BitSet b = randomBits(random);
		IntervalSet x = of(a);
		IntervalSet y = of(b);
		BitSet union = (BitSet) a.clone();
		union.or(b);
		BitSet intersection = (BitSet) a.clone();
		intersection.and(b);
		BitSet difference = (BitSet) a.clone();
		difference.andNot(b);
		assertThat(x.union(y)).as("union, seed %d", seed).isEqualTo(of(union));
		assertThat(x.intersect(y)).as("intersection, seed %d", seed).isEqualTo(of(intersection));
		assertThat(x.subtract(y)).as("difference, seed %d", seed).isEqualTo(of(difference));
		assertThat(x.containsAll(y)).as("containsAll, seed %d", seed).isEqualTo(difference(b, a).isEmpty());
		assertThat(x.intersects(y)).as("intersects, seed %d", seed).isEqualTo(a.intersects(b));
		for (int i = 0; i < UNIVERSE; i++) {
			assertThat(x.contains(i)).as("contains %d, seed %d", i, seed).isEqualTo(a.get(i));
		}
	}

	private static BitSet difference(BitSet a, BitSet b) {
		BitSet d = (BitSet) a.clone();
		d.andNot(b);
		return d;
	}

	private static BitSet randomBits(Random random) {
		BitSet bits = new BitSet();
		int runs = random.nextInt(5);
		for (int r = 0; r < runs; r++) {
			int from = random.nextInt(UNIVERSE);
			bits.set(from, Math.min(UNIVERSE, from + 1 + random.nextInt(12)));
		}
		return bits;
	}

	/** Built one point at a time, so the normalisation of union is tested too. */
	private static IntervalSet of(BitSet bits) {
		IntervalSet set = IntervalSet.EMPTY;
		for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
			set = set.union(IntervalSet.of(i, i));
		}
		return set;
	}

}
