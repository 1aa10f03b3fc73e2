package dev.polyfence.web;

import dev.polyfence.app.Checkpoints;
import dev.polyfence.translate.WorkCancelledException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One translation or plan on a worker thread, which the request thread waits for and may
 * cancel. Cancelling interrupts the worker (the core's loops check for it), but only
 * until the work starts storing its result: from {@link #storing()} on it runs to its
 * end, so a plan is stored whole and answered, or neither.
 *
 * <p>
 * The worker is interrupted only while it runs this job, under this object's lock, and
 * clears its flag when the job ends, so no interrupt meant for one job reaches the next.
 *
 * @param <T> what the work gives
 */
final class Job<T> implements Runnable, Checkpoints {

	private enum State {

		QUEUED, RUNNING, STORING, DONE, CANCELLED

	}

	private final Function<Checkpoints, T> work;

	private final Consumer<Job<?>> onEnd;

	private final CountDownLatch settled = new CountDownLatch(1);

	private State state = State.QUEUED;

	private Thread worker;

	private WorkStoppedException.Reason reason;

	private T result;

	private Throwable failure;

	private volatile String policy;

	/**
	 * @param onEnd runs when the job leaves its worker (or is cancelled before it had
	 * one)
	 */
	Job(Function<Checkpoints, T> work, Consumer<Job<?>> onEnd) {
		this.work = work;
		this.onEnd = onEnd;
	}

	@Override
	public void run() {
		synchronized (this) {
			if (state != State.QUEUED) {
				return;
			}
			state = State.RUNNING;
			worker = Thread.currentThread();
		}
		T value = null;
		Throwable thrown = null;
		try {
			value = work.apply(this);
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		synchronized (this) {
			worker = null;
			if (state != State.CANCELLED) {
				state = State.DONE;
				result = value;
				failure = thrown;
			}
		}
		// An interrupt for this job, taken or not, ends with it.
		Thread.interrupted();
		settled.countDown();
		onEnd.accept(this);
	}

	/**
	 * Stops the job unless it is storing or done.
	 * @return whether it was stopped (its caller answers with the reason); false when its
	 * result stands
	 */
	boolean cancel(WorkStoppedException.Reason why) {
		boolean queued;
		synchronized (this) {
			if (state != State.QUEUED && state != State.RUNNING) {
				return false;
			}
			queued = state == State.QUEUED;
			state = State.CANCELLED;
			reason = why;
			if (worker != null) {
				worker.interrupt();
			}
		}
		settled.countDown();
		if (queued) {
			onEnd.accept(this);
		}
		return true;
	}

	/**
	 * Interrupts the worker again if the job was cancelled and is still on it: code that
	 * swallows an interrupt (an SDK that clears the flag) does not keep the work going.
	 */
	synchronized void interruptAgain() {
		if (state == State.CANCELLED && worker != null) {
			worker.interrupt();
		}
	}

	/** Whether the job is done or cancelled, waiting up to the given time. */
	boolean awaitSettled(long nanos) throws InterruptedException {
		return settled.await(nanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * What the work gave, once settled.
	 * @throws WorkStoppedException when it was cancelled, or interrupted by someone else
	 */
	synchronized T outcome(java.time.Duration budget) {
		if (state == State.CANCELLED) {
			throw new WorkStoppedException(reason, budget);
		}
		if (failure instanceof WorkCancelledException) {
			// Interrupted by no cancel of ours: the pool is being shut down.
			throw new WorkStoppedException(WorkStoppedException.Reason.SHUTDOWN, budget);
		}
		if (failure instanceof RuntimeException ex) {
			throw ex;
		}
		if (failure instanceof Error error) {
			throw error;
		}
		return result;
	}

	/** The policy's name once the work has read it, else null. */
	String policy() {
		return policy;
	}

	@Override
	public void policy(String name) {
		policy = name;
	}

	@Override
	public void storing() {
		synchronized (this) {
			// Only a cancel interrupts a running job; a flag set otherwise stops it too.
			if (state == State.RUNNING && !Thread.currentThread().isInterrupted()) {
				state = State.STORING;
				return;
			}
		}
		throw new WorkCancelledException();
	}

}
