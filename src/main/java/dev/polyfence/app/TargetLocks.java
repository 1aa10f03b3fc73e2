package dev.polyfence.app;

import java.util.Optional;
import java.util.SortedSet;

/**
 * One apply per target at a time, across every replica that shares the store. A lease is
 * renewed while it is held and lapses when its holder dies, so a crashed replica does not
 * block a target for ever.
 */
public interface TargetLocks {

	/**
	 * Takes every key or none, for {@code holder} (the apply's id); empty when another
	 * holder has a lease on any of them.
	 */
	Optional<Lease> tryAcquire(SortedSet<String> keys, String holder);

	/** Held keys; closing releases them. */
	interface Lease extends AutoCloseable {

		/**
		 * False once a renewal found that another holder took a key (this lease had
		 * lapsed).
		 */
		boolean held();

		/**
		 * The holders whose lapsed leases this one took over: applies whose replica died
		 * or stalled without releasing its locks.
		 */
		java.util.List<String> previousHolders();

		@Override
		void close();

	}

}
