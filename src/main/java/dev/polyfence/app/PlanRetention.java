package dev.polyfence.app;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database from growing without end: plans (with their applies) go once they
 * have been expired for longer than the retention. The audit trail stays.
 */
public class PlanRetention {

	private static final Logger log = LoggerFactory.getLogger(PlanRetention.class);

	private final PlanStore store;

	private final Clock clock;

	private final Duration retention;

	public PlanRetention(PlanStore store, Clock clock, Duration retention) {
		if (retention.isNegative()) {
			throw new IllegalArgumentException("polyfence.plans.retention must not be negative, not " + retention);
		}
		this.store = store;
		this.clock = clock;
		this.retention = retention;
	}

	/** Deletes what is past the retention; answers how many plans went. */
	public int purge() {
		Instant now = clock.instant();
		int purged = store.purgeExpiredBefore(now.minus(retention), now);
		if (purged > 0) {
			log.info("deleted {} plans expired more than {} ago, with their applies", purged, retention);
		}
		return purged;
	}

}
