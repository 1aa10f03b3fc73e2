package dev.polyfence.cloud;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.TreeMap;

/** Reads the {@value ProviderCalls#METRIC} timers back in tests. */
public final class ProviderCallMeters {

	private ProviderCallMeters() {
	}

	/**
	 * Sample counts of one cloud by "operation outcome", sorted, zero counts left out.
	 */
	public static Map<String, Long> counts(MeterRegistry registry, String cloud) {
		Map<String, Long> counts = new TreeMap<>();
		for (Timer timer : registry.find(ProviderCalls.METRIC).tag("cloud", cloud).timers()) {
			if (timer.count() > 0) {
				counts.merge(timer.getId().getTag("operation") + " " + timer.getId().getTag("outcome"), timer.count(),
						Long::sum);
			}
		}
		return counts;
	}

	/** Samples of one cloud, operation and outcome. */
	public static long count(MeterRegistry registry, String cloud, String operation, String outcome) {
		return counts(registry, cloud).getOrDefault(operation + " " + outcome, 0L);
	}

	/** Every sample of one cloud. */
	public static long total(MeterRegistry registry, String cloud) {
		return counts(registry, cloud).values().stream().mapToLong(Long::longValue).sum();
	}

}
