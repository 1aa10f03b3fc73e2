package dev.polyfence.cloud;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The {@value #METRIC} timer of one cloud: one sample per SDK call (the SDK's own retries
 * included, so the latency is what the caller waited), tagged with the cloud, the
 * provider's operation and its outcome: {@value #OK}, the provider's error code, or
 * {@value #CLIENT_ERROR} when no answer came (I/O, credentials, a timeout on this side).
 * Error codes are the providers' finite vocabularies, so the tag's cardinality stays
 * bounded.
 */
public final class ProviderCalls {

	/**
	 * The meter name; Prometheus shows it as {@code polyfence_provider_calls_seconds}.
	 */
	public static final String METRIC = "polyfence.provider.calls";

	public static final String OK = "ok";

	/** The call failed on this side of the wire: no answer from the provider to name. */
	public static final String CLIENT_ERROR = "client-error";

	private final MeterRegistry registry;

	private final String cloud;

	/**
	 * @param registry where the timers go
	 * @param cloud {@code aws}, {@code azure} or {@code gcp}
	 */
	public ProviderCalls(MeterRegistry registry, String cloud) {
		this.registry = Objects.requireNonNull(registry, "registry");
		this.cloud = Objects.requireNonNull(cloud, "cloud");
	}

	/**
	 * Records nothing: a composite registry without members makes no-op meters. For
	 * adapters built without a registry (tests, benchmarks).
	 */
	public static ProviderCalls none(String cloud) {
		return new ProviderCalls(new CompositeMeterRegistry(), cloud);
	}

	/**
	 * @param operation the provider's name for the call, such as
	 * {@code DescribeSecurityGroups}
	 * @param outcome {@link #OK}, the provider's error code or {@link #CLIENT_ERROR}
	 * @param nanos how long the call took
	 */
	public void record(String operation, String outcome, long nanos) {
		Timer.builder(METRIC)
			.description("Calls to a cloud provider's API, by cloud, operation and outcome")
			.tag("cloud", cloud)
			.tag("operation", operation == null || operation.isBlank() ? "unknown" : operation)
			.tag("outcome", outcome == null || outcome.isBlank() ? CLIENT_ERROR : outcome)
			.register(registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
