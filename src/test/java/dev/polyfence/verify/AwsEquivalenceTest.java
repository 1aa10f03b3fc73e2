package dev.polyfence.verify;

import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsTranslator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Aws translation of random policies agrees with the policy on random flows (see
 * {@link Equivalence}).
 */
class AwsEquivalenceTest {

	private static final Equivalence.Tally TALLY = new Equivalence.Tally(Target.AWS);

	private final AwsTranslator translator = new AwsTranslator();

	static LongStream seeds() {
		return Equivalence.seeds();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void translationAgreesWithThePolicy(long seed) {
		Equivalence.run(seed, Target.AWS, translator, AwsEvaluator::new, FlowGenerator::awsCidrs, TALLY);
	}

	@AfterAll
	static void printTotals() {
		System.out.println(TALLY.summary());
	}

}
