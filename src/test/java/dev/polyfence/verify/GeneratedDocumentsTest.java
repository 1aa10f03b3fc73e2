package dev.polyfence.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import org.junit.jupiter.api.Test;

/**
 * The generator's policies are valid documents: the parser accepts them and reads them
 * back the same.
 */
class GeneratedDocumentsTest {

	@Test
	void generatedPoliciesAndBindingsPassTheParser() {
		DocumentParser parser = new DocumentParser();
		for (long seed = 0; seed < 300; seed++) {
			PolicyGenerator.Generated g = new PolicyGenerator(seed).generate();
			String document = PolicyDocument.request(g.policy(), g.bindings());
			PolicyRequest parsed = parser.parseRequest(document, false);
			assertThat(PolicyDump.of(parsed.policy(), parsed.bindings())).as("seed %d", seed)
				.isEqualTo(PolicyDump.of(g.policy(), g.bindings()));
			assertThat(parsed.policy()).as("seed %d", seed).isEqualTo(g.policy());
		}
	}

}
