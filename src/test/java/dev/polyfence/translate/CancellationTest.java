package dev.polyfence.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.policy.Action;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.azure.AzureTranslator;
import dev.polyfence.translate.gcp.GcpTranslator;
import java.util.List;
import java.util.TreeSet;
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
