package dev.polyfence.app;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** One apply per target at a time, within this instance. */
public class TargetLocks {

	private final Set<String> held = ConcurrentHashMap.newKeySet();

	/** Takes the lock when it is free; false when another apply holds it. */
	public boolean tryLock(String key) {
		return held.add(key);
	}

	public void unlock(String key) {
		held.remove(key);
	}
}
