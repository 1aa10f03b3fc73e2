package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One parser shared by many threads gives each the same answers as when used alone. */
class ConcurrencyTest {

	@Test
	void aSharedParserIsSafeAcrossThreads() throws Exception {
		DocumentParser shared = new DocumentParser();
		List<Policy> expected = new ArrayList<>();
		for (String name : Fixtures.POLICIES) {
			expected.add(new DocumentParser().parsePolicy(read(name + ".yaml")));
		}
		List<Problem> expectedProblems = Fixtures.invalidPolicy(read("invalid/many-mistakes.yaml")).problems();

		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int task = 0; task < 64; task++) {
				int index = task % Fixtures.POLICIES.size();
				results.add(pool.submit(() -> {
					boolean same = shared.parsePolicy(read(Fixtures.POLICIES.get(index) + ".yaml"))
						.equals(expected.get(index));
					try {
						shared.parsePolicy(read("invalid/many-mistakes.yaml"));
						return false;
					}
					catch (InvalidDocumentException e) {
						return same && e.problems().equals(expectedProblems);
					}
				}));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get()).isTrue();
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
