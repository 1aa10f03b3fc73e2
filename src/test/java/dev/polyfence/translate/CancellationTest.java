package dev.polyfence.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Defaults;
import dev.polyfence.policy.Direction;
import dev.polyfence.policy.Peer;
import dev.polyfence.policy.Policy;
import dev.polyfence.policy.Rule;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Cancellation#check()}: what it does with the interrupt flag, and that every
 * translator's loops reach it, so a translation on an interrupted thread stops instead of
 * running to its end.
 */
class CancellationTest {

	@AfterEach
	void clearInterrupt() {
		Thread.interrupted();
	}

	@Test
	void returnsWhileTheThreadIsNotInterrupted() {
		assertThatCode(Cancellation::check).doesNotThrowAnyException();
	}

	@Test
	void throwsOnAnInterruptedThreadAndLeavesTheFlagSet() {
		Thread.currentThread().interrupt();

		assertThatThrownBy(Cancellation::check).isInstanceOf(WorkCancelledException.class);
		assertThat(Thread.currentThread().isInterrupted()).as("the flag is still set").isTrue();
		assertThatThrownBy(Cancellation::check).as("and a second check throws too")
			.isInstanceOf(WorkCancelledException.class);
	}

	@Test
	void theFlattenerStopsOnAnInterruptedThread() {
		PeerSet universe = new PeerSet(AddressSet.ALL, new TreeSet<>());
		List<Flattener.Matcher> matchers = List.of(new Flattener.Matcher(
				PeerSet.of(AddressSet.of(Examples.ip("10.0.0.0/8"))), ServiceSpace.ALL, Action.DENY));
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> Flattener.allowed(matchers, Action.ALLOW, universe))
			.isInstanceOf(WorkCancelledException.class);
	}

	/**
	 * The adversarial input of issue 9 (200 IPv6 /128 denies, then allow any) on the real
	 * translators: interrupted after 100 ms, each has ended (done, or stopped at a check)
	 * soon after, however fast it is.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("translators")
	void anAdversarialTranslationEndsSoonAfterItsThreadIsInterrupted(Translator<?> translator) throws Exception {
		List<Rule> rules = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			rules.add(new Rule("deny-" + i, Action.DENY, Direction.INGRESS, List.of("web"),
					List.of(new Peer.Cidr(Examples.ip("2001:db8::" + Integer.toHexString(2 * i + 1) + "/128"))),
					List.of(), false));
		}
		rules.add(new Rule("allow-any", Action.ALLOW, Direction.INGRESS, List.of("web"), List.of(Peer.ANY), List.of(),
				false));
		Policy policy = new Policy("adversarial", null, Defaults.STANDARD, Map.of(), List.of("web"), rules);
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		Thread worker = new Thread(() -> {
			try {
				translator.translate(policy, Bindings.NONE);
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
		});
		long start = System.nanoTime();
		worker.start();
		worker.join(100);
		long interrupted = System.nanoTime();
		worker.interrupt();
		worker.join(5000);
		long stopped = System.nanoTime();

		assertThat(worker.isAlive()).isFalse();
		assertThat(thrown.get()).as("done, or stopped at a check")
			.satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(WorkCancelledException.class));
		// Generous for a loaded build machine: parts of the AWS translation after the
		// flattener have no check yet (about 100 ms on an idle machine, 700 ms seen on a
		// busy one).
		assertThat(Duration.ofNanos(stopped - interrupted)).as("from the interrupt to the end")
			.isLessThan(Duration.ofSeconds(3));
		System.out.printf("%s: ended %d ms after the interrupt (%s after %d ms)%n", translator.target(),
				TimeUnit.NANOSECONDS.toMillis(stopped - interrupted),
				thrown.get() instanceof WorkCancelledException ? "stopped" : "finished",
				TimeUnit.NANOSECONDS.toMillis(stopped - start));
	}

	static Stream<Translator<?>> translators() {
		return Stream.of(new AwsTranslator(), new AzureTranslator(), new GcpTranslator());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("translators")
	void everyTranslatorStopsOnAnInterruptedThread(Translator<?> translator) {
		Policy policy = Examples.threeTier();
		Bindings bindings = Examples.threeTierBindings();
		assertThatCode(() -> translator.translate(policy, bindings)).as("translates when not interrupted")
			.doesNotThrowAnyException();
		Thread.currentThread().interrupt();

		assertThatThrownBy(() -> translator.translate(policy, bindings)).isInstanceOf(WorkCancelledException.class);
	}

}
