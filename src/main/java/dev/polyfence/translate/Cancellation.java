package dev.polyfence.translate;

/**
 * Cooperative cancellation of long computations. The core keeps no clock and knows no
 * deadline: whoever runs the work (the web layer's worker pool) interrupts its thread
 * when the work is no longer wanted (over its time budget, the client gone, the service
 * shutting down), and the loops that can run long call {@link #check()} once per round,
 * so the work stops within one round.
 *
 * <p>
 * The interrupt flag is left set: every later check throws too, and so does a blocking
 * call further up. The thread's owner clears it when the work has ended.
 */
public final class Cancellation {

	private Cancellation() {
	}

	/**
	 * Returns when the work may go on.
	 * @throws WorkCancelledException when the current thread has been interrupted (its
	 * interrupt flag stays set)
	 */
	public static void check() {
		if (Thread.currentThread().isInterrupted()) {
			throw new WorkCancelledException();
		}
	}

}
