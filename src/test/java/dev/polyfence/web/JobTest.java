package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.translate.Cancellation;
import dev.polyfence.translate.WorkCancelledException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The job's states: who may stop it when, and that an interrupt never outlives it. */
class JobTest {

	private static final Duration BUDGET = Duration.ofSeconds(1);

	private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

	private final ExecutorService worker = Executors.newSingleThreadExecutor();

	private final List<Job<?>> ended = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		worker.shutdownNow();
	}

	@Test
	void aJobThatEndsGivesItsResultAndCannotBeCancelledAfterwards() throws Exception {
		Job<String> job = new Job<>(checkpoints -> "done", ended::add);
		worker.execute(job);

		assertThat(job.awaitSettled(SECOND)).isTrue();
		assertThat(job.cancel(WorkStoppedException.Reason.OVER_BUDGET)).isFalse();
		assertThat(job.outcome(BUDGET)).isEqualTo("done");
		worker.shutdown();
		assertThat(worker.awaitTermination(1, TimeUnit.SECONDS)).isTrue();
		assertThat(ended).containsExactly(job);
	}

	@Test
	void aFailureIsThrownToTheCaller() throws Exception {
		Job<String> job = new Job<>(checkpoints -> {
			throw new IllegalStateException("broken");
		}, ended::add);
		worker.execute(job);
		job.awaitSettled(SECOND);

		assertThatThrownBy(() -> job.outcome(BUDGET)).isInstanceOf(IllegalStateException.class).hasMessage("broken");
	}

	@Test
	void cancellingARunningJobInterruptsItsWorkerAndSettlesAtOnce() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch stoppedLooping = new CountDownLatch(1);
		Job<String> job = new Job<>(checkpoints -> {
			running.countDown();
			try {
				while (true) {
					Cancellation.check();
				}
			}
			finally {
				stoppedLooping.countDown();
			}
		}, ended::add);
		worker.execute(job);
		running.await();

		assertThat(job.cancel(WorkStoppedException.Reason.CLIENT_GONE)).isTrue();

		assertThat(job.awaitSettled(0)).isTrue();
		assertThatThrownBy(() -> job.outcome(BUDGET)).isInstanceOfSatisfying(WorkStoppedException.class,
				e -> assertThat(e.reason()).isEqualTo(WorkStoppedException.Reason.CLIENT_GONE));
		assertThat(stoppedLooping.await(1, TimeUnit.SECONDS)).as("the loop stopped at its check").isTrue();
	}

	@Test
	void aJobCancelledBeforeItRanNeverRuns() throws Exception {
		AtomicBoolean ran = new AtomicBoolean();
		Job<String> job = new Job<>(checkpoints -> {
			ran.set(true);
			return "ran";
		}, ended::add);

		assertThat(job.cancel(WorkStoppedException.Reason.SHUTDOWN)).isTrue();
		assertThat(ended).as("it ends when cancelled").containsExactly(job);
		worker.execute(job);
		worker.shutdown();
		worker.awaitTermination(1, TimeUnit.SECONDS);

		assertThat(ran).isFalse();
	}

	@Test
	void aJobThatStartedStoringIsNotCancelledAndKeepsItsResult() throws Exception {
		CountDownLatch storing = new CountDownLatch(1);
		CountDownLatch mayFinish = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Job<String> job = new Job<>(checkpoints -> {
			checkpoints.storing();
			storing.countDown();
			await(mayFinish);
			interrupted.set(Thread.currentThread().isInterrupted());
			return "stored";
		}, ended::add);
		worker.execute(job);
		storing.await();

		assertThat(job.cancel(WorkStoppedException.Reason.OVER_BUDGET)).isFalse();
		mayFinish.countDown();

		assertThat(job.awaitSettled(SECOND)).isTrue();
		assertThat(job.outcome(BUDGET)).isEqualTo("stored");
		assertThat(interrupted).as("never interrupted while storing").isFalse();
	}

	@Test
	void aCancelledJobIsRefusedAtTheStoringCheckpointEvenIfItsInterruptWasSwallowed() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch cancelled = new CountDownLatch(1);
		AtomicReference<Throwable> atStoring = new AtomicReference<>();
		Job<String> job = new Job<>(checkpoints -> {
			running.countDown();
			await(cancelled);
			Thread.interrupted();
			try {
				checkpoints.storing();
			}
			catch (RuntimeException ex) {
				atStoring.set(ex);
				throw ex;
			}
			return "stored";
		}, ended::add);
		worker.execute(job);
		running.await();
		job.cancel(WorkStoppedException.Reason.OVER_BUDGET);
		cancelled.countDown();
		worker.shutdown();
		worker.awaitTermination(1, TimeUnit.SECONDS);

		assertThat(atStoring.get()).isInstanceOf(WorkCancelledException.class);
	}

	@Test
	void theInterruptOfACancelledJobDoesNotReachTheNextJobOnTheSameWorker() throws Exception {
		CountDownLatch running = new CountDownLatch(1);
		Job<String> first = new Job<>(checkpoints -> {
			running.countDown();
			while (true) {
				Cancellation.check();
			}
		}, ended::add);
		Job<Boolean> second = new Job<>(checkpoints -> Thread.currentThread().isInterrupted(), ended::add);
		worker.execute(first);
		running.await();
		first.cancel(WorkStoppedException.Reason.OVER_BUDGET);
		first.interruptAgain();
		worker.execute(second);

		assertThat(second.awaitSettled(SECOND)).isTrue();
		assertThat(second.outcome(BUDGET)).isFalse();
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
