package dev.polyfence.verify;

import dev.polyfence.translate.Target;
import dev.polyfence.translate.azure.AzureTranslator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Azure translation of random policies agrees with the policy on random flows (see
 * {@link Equivalence}).
 */
class AzureEquivalenceTest {

	private static final Equivalence.Tally TALLY = new Equivalence.Tally(Target.AZURE);

	private final AzureTranslator translator = new AzureTranslator();

	static LongStream seeds() {
		return Equivalence.seeds();
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void translationAgreesWithThePolicy(long seed) {
		Equivalence.run(seed, Target.AZURE, translator, AzureEvaluator::new, FlowGenerator::azureCidrs, TALLY);
	}

	@AfterAll
	static void printTotals() {
		System.out.println(TALLY.summary());
	}

}
