package dev.polyfence.verify;

import dev.polyfence.translate.Target;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Gcp translation of random policies agrees with the policy on random flows (see
 * {@link Equivalence}).
 */
class GcpEquivalenceTest {

	private static final Equivalence.Tally TALLY = new Equivalence.Tally(Target.GCP);

	private final GcpTranslator translator = new GcpTranslator();

	static LongStream seeds() {
		return Equivalence.seeds();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void translationAgreesWithThePolicy(long seed) {
		Equivalence.run(seed, Target.GCP, translator, GcpEvaluator::new, FlowGenerator::gcpCidrs, TALLY);
	}

	@AfterAll
	static void printTotals() {
		System.out.println(TALLY.summary());
	}

}
