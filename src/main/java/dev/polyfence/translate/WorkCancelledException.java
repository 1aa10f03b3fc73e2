package dev.polyfence.translate;

/**
 * The work was stopped at a {@link Cancellation#check()} because its thread was
 * interrupted. Nothing of the work is usable; it is not a failure of the input.
 */
public final class WorkCancelledException extends RuntimeException {

	public WorkCancelledException() {
		super("the work was cancelled: its thread was interrupted");
	}

}
