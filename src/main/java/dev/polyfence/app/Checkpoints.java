package dev.polyfence.app;

import dev.polyfence.translate.Cancellation;

/**
 * What a use case tells whoever runs it under a time budget (the web layer's worker
 * pool): the policy it works on, for the logs, and the moment it starts storing its
 * result. Until then it may be cancelled at any {@link Cancellation#check()}; from then
 * on it is not interrupted, so a result is either stored whole or not at all.
 */
public interface Checkpoints {

	/** Nobody is watching: only the thread's own interrupt flag stops the work. */
	Checkpoints NONE = new Checkpoints() {
	};

	/** The work is about this policy (its name), now that the document is read. */
	default void policy(String name) {
	}

	/**
	 * Called once, just before anything is stored.
	 * @throws dev.polyfence.translate.WorkCancelledException when the work was cancelled;
	 * nothing is stored then
	 */
	default void storing() {
		Cancellation.check();
	}

}
