package dev.polyfence.store;

import dev.polyfence.app.TargetLocks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Target locks as lease rows in the shared database, so they hold across replicas and
 * work the same on H2 and PostgreSQL. A key is taken by inserting its row, or by taking
 * over a row whose lease has expired (its holder died); both are single statements that
 * the database serialises, so two replicas never both succeed. A held lease is renewed
 * every third of its duration. A holder that cannot renew (the database is unreachable)
 * counts its lease as lost a sixth of the lease before it expires, so it stops before
 * another replica may take the target over.
 */
public class JdbcTargetLocks implements TargetLocks, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(JdbcTargetLocks.class);

	private final JdbcClient jdbc;

	private final Clock clock;

	private final Duration lease;

	private final ScheduledExecutorService renewals;

	public JdbcTargetLocks(DataSource dataSource, Clock clock, Duration lease) {
		if (lease.isNegative() || lease.toMillis() < 300) {
			throw new IllegalArgumentException("polyfence.locks.lease must be at least 300 ms, not " + lease);
		}
		this.jdbc = JdbcClient.create(dataSource);
		this.clock = clock;
		this.lease = lease;
		this.renewals = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "polyfence-lock-renewal");
			t.setDaemon(true);
			return t;
		});
	}

	@Override
	public Optional<Lease> tryAcquire(SortedSet<String> keys, String holder) {
		Instant start = clock.instant();
		List<String> taken = new ArrayList<>();
		List<String> previous = new ArrayList<>();
		for (String key : keys) {
			if (!take(key, holder, previous)) {
				release(taken, holder);
				return Optional.empty();
			}
			taken.add(key);
		}
		return Optional
			.of(new RowLease(List.copyOf(keys), holder, previous.stream().distinct().toList(), start.plus(lease)));
	}

	/**
	 * Takes the key; adds the holder of a lapsed lease it took over to {@code previous}.
	 */
	private boolean take(String key, String holder, List<String> previous) {
		Instant now = clock.instant();
		try {
			jdbc.sql("""
					INSERT INTO target_locks (lock_key, holder, acquired_at, expires_at)
					VALUES (:key, :holder, :now, :expires)""")
				.param("key", key)
				.param("holder", holder)
				.param("now", Timestamps.of(now))
				.param("expires", Timestamps.of(now.plus(lease)))
				.update();
			return true;
		}
		catch (DuplicateKeyException held) {
			Optional<String> lapsed = jdbc
				.sql("SELECT holder FROM target_locks WHERE lock_key = :key AND expires_at < :now")
				.param("key", key)
				.param("now", Timestamps.of(now))
				.query(String.class)
				.optional();
			if (lapsed.isEmpty()) {
				return false;
			}
			// Only if nobody renewed or took it since: the old holder is part of the
			// condition.
			int took = jdbc.sql("""
					UPDATE target_locks SET holder = :holder, acquired_at = :now, expires_at = :expires
					WHERE lock_key = :key AND holder = :old AND expires_at < :now""")
				.param("holder", holder)
				.param("now", Timestamps.of(now))
				.param("expires", Timestamps.of(now.plus(lease)))
				.param("key", key)
				.param("old", lapsed.get())
				.update();
			if (took == 1) {
				log.warn("took over the lock on {}: the lease of {} had expired", key, lapsed.get());
				previous.add(lapsed.get());
			}
			return took == 1;
		}
	}

	private void release(List<String> keys, String holder) {
		for (String key : keys) {
			jdbc.sql("DELETE FROM target_locks WHERE lock_key = :key AND holder = :holder")
				.param("key", key)
				.param("holder", holder)
				.update();
		}
	}

	@Override
	public void close() {
		renewals.shutdownNow();
	}

	private final class RowLease implements Lease {

		private final List<String> keys;

		private final String holder;

		private final List<String> previousHolders;

		private final ScheduledFuture<?> renewal;

		private volatile boolean held = true;

		/**
		 * No other replica can have taken a key before this: the earliest expiry written.
		 */
		private volatile Instant validUntil;

		RowLease(List<String> keys, String holder, List<String> previousHolders, Instant validUntil) {
			this.keys = keys;
			this.holder = holder;
			this.previousHolders = previousHolders;
			this.validUntil = validUntil;
			long every = Math.max(100, lease.toMillis() / 3);
			this.renewal = renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
		}

		private void renew() {
			try {
				Instant expires = clock.instant().plus(lease);
				for (String key : keys) {
					int renewed = jdbc
						.sql("UPDATE target_locks SET expires_at = :expires WHERE lock_key = :key AND holder = :holder")
						.param("expires", Timestamps.of(expires))
						.param("key", key)
						.param("holder", holder)
						.update();
					if (renewed == 0) {
						log.error("lost the lock on {}: another apply took it after this lease expired", key);
						held = false;
						renewal.cancel(false);
						return;
					}
				}
				validUntil = expires;
			}
			catch (DataAccessException e) {
				// The lease is still good until it expires; the next renewal tries again.
				log.warn("could not renew the locks {}: {}", keys, e.getMessage());
			}
		}

		@Override
		public boolean held() {
			return held && clock.instant().isBefore(validUntil.minus(lease.dividedBy(6)));
		}

		@Override
		public List<String> previousHolders() {
			return previousHolders;
		}

		@Override
		public void close() {
			renewal.cancel(false);
			release(keys, holder);
		}

	}

}
