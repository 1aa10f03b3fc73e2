package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.translate.Cancellation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The worker pool without Spring MVC: the budget, a stop that refuses new work, and a
 * start after a stop (Spring's test framework pauses cached contexts that way).
 */
class BoundedWorkLifecycleTest {

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final BoundedWork work = new BoundedWork(
			new WorkSettings(Duration.ofMillis(200), 1, Duration.ofMillis(100)),
			new StaticListableBeanFactory(java.util.Map.of("registry", registry)).getBeanProvider(MeterRegistry.class));

	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/translations");

	@AfterEach
	void destroy() {
		work.destroy();
	}

	@Test
	void runsWorkAndGivesItsResult() {
		work.start();

		assertThat(work.<String>run(BoundedWork.TRANSLATION, "alice", request, checkpoints -> "done"))
			.isEqualTo("done");
	}

	@Test
	void stopsWorkPastItsBudget() {
		work.start();
		AtomicBoolean stopped = new AtomicBoolean();
		long started = System.nanoTime();

		assertThatThrownBy(() -> work.run(BoundedWork.TRANSLATION, "alice", request, checkpoints -> {
			try {
				while (true) {
					Cancellation.check();
				}
			}
			finally {
				stopped.set(true);
			}
		})).isInstanceOfSatisfying(WorkStoppedException.class,
				e -> assertThat(e.reason()).isEqualTo(WorkStoppedException.Reason.OVER_BUDGET));

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
		assertThat(registry.get(BoundedWork.CANCELLED).tag("reason", "over-budget").counter().count()).isEqualTo(1);
	}

	@Test
	void refusesWorkWhenStoppedAndTakesItAgainWhenStartedAgain() {
		work.start();
		work.stop();

		assertThat(work.isRunning()).isFalse();
		assertThatThrownBy(() -> work.run(BoundedWork.PLAN, "alice", request, checkpoints -> "done"))
			.isInstanceOfSatisfying(WorkStoppedException.class,
					e -> assertThat(e.reason()).isEqualTo(WorkStoppedException.Reason.SHUTDOWN));

		work.start();

		assertThat(work.<String>run(BoundedWork.PLAN, "alice", request, checkpoints -> "done")).isEqualTo("done");
	}

}
