package dev.polyfence.web;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on the work of translations and plans ({@code polyfence.work.*}), so that no
 * input can hold a processor or delay a shutdown for long.
 *
 * @param timeBudget how long a translation or plan may take, from the moment its body is
 * read (time waiting for a worker included); past it the work is stopped and the caller
 * gets 503 {@code time-budget-exceeded}
 * @param threads the worker threads that run translations and plans; 0 means one per
 * processor
 * @param shutdownGrace at shutdown, how long running work may still finish before it is
 * stopped
 */
@ConfigurationProperties("polyfence.work")
record WorkSettings(@DefaultValue("20s") Duration timeBudget, @DefaultValue("0") int threads,
		@DefaultValue("3s") Duration shutdownGrace) {

	WorkSettings {
		if (timeBudget.isNegative() || timeBudget.isZero()) {
			throw new IllegalArgumentException("polyfence.work.time-budget must be positive");
		}
		if (threads < 0) {
			throw new IllegalArgumentException("polyfence.work.threads must be 0 (one per processor) or more");
		}
		if (shutdownGrace.isNegative()) {
			throw new IllegalArgumentException("polyfence.work.shutdown-grace must not be negative");
		}
	}

	/** The number of worker threads. */
	int workers() {
		return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
	}

}
