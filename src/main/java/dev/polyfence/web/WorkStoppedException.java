package dev.polyfence.web;

import java.time.Duration;

/**
 * A translation or plan was stopped before its end, and why; nothing of it was stored.
 */
class WorkStoppedException extends RuntimeException {

	/**
	 * Why work is stopped; {@link #tag()} is the value of the metrics' {@code reason}.
	 */
	enum Reason {

		/** It ran past {@code polyfence.work.time-budget}. */
		OVER_BUDGET("over-budget"),

		/** The client closed its connection: nobody would read the answer. */
		CLIENT_GONE("client-gone"),

		/** The service is shutting down and the shutdown grace is over. */
		SHUTDOWN("shutdown");

		private final String tag;

		Reason(String tag) {
			this.tag = tag;
		}

		String tag() {
			return tag;
		}

	}

	private final Reason reason;

	private final Duration budget;

	WorkStoppedException(Reason reason, Duration budget) {
		super("work stopped: " + reason.tag(), null, false, false);
		this.reason = reason;
		this.budget = budget;
	}

	Reason reason() {
		return reason;
	}

	/** The time budget the work had. */
	Duration budget() {
		return budget;
	}

}
