package dev.polyfence.verify;

import dev.polyfence.translate.Target;
import dev.polyfence.translate.aws.AwsTranslator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS translation of deny-heavy policies (half the rules deny, wide allows after
 * them) agrees with the policy on random flows, with network ACL budgets from 3 to 20
 * entries, groups on one or two subnets, and ACL management sometimes off: whatever the
 * ACL carries and the security groups keep, the two together decide as the policy does
 * (see {@link Equivalence}).
 */
class AwsDenyHeavyEquivalenceTest {

	private static final Equivalence.Tally TALLY = new Equivalence.Tally(Target.AWS);

	private final AwsTranslator translator = new AwsTranslator();

	static LongStream seeds() {
		return Equivalence.seeds().map(seed -> seed + 1_000_000L);
	}

	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void translationAgreesWithThePolicy(long seed) {
		Equivalence.run(PolicyGenerator.denyHeavy(seed).generate(), Target.AWS, translator, AwsEvaluator::new,
				FlowGenerator::awsCidrs, TALLY);
	}

	@AfterAll
	static void printTotals() {
		System.out.println("deny-heavy " + TALLY.summary());
	}

}
