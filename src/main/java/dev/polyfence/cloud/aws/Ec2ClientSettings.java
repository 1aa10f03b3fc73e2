package dev.polyfence.cloud.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What an {@link software.amazon.awssdk.services.ec2.Ec2Client} is built from. Null
 * fields take the defaults below, so the record binds from configuration with only
 * {@code region} set. No credentials here: they come from the SDK's default chain (see
 * {@link Ec2Clients}).
 *
 * @param region AWS region, such as {@code eu-west-1}
 * @param endpointOverride another endpoint (moto, LocalStack); null for AWS itself
 * @param maxAttempts attempts per call, the first included
 * @param baseDelay base of the exponential backoff with full jitter after a 5xx or I/O
 * error
 * @param throttlingBaseDelay base of the backoff after {@code RequestLimitExceeded} and
 * other throttling
 * @param maxBackoff the longest wait between two attempts
 * @param callTimeout the longest one call may take, all attempts and waits included
 */
public record Ec2ClientSettings(String region, URI endpointOverride, Integer maxAttempts, Duration baseDelay,
		Duration throttlingBaseDelay, Duration maxBackoff, Duration callTimeout) {

	/**
	 * EC2 throttles per API with token buckets; SDKs default to 3 attempts, too few for a
	 * long apply.
	 */
	public static final int DEFAULT_MAX_ATTEMPTS = 6;

	public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(100);

	/**
	 * Throttling needs longer waits than transient errors to let the token bucket refill.
	 */
	public static final Duration DEFAULT_THROTTLING_BASE_DELAY = Duration.ofMillis(500);

	/** The cap botocore's standard mode uses (20 s); see cloud-facts A9. */
	public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);

	public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofMinutes(3);

	private static final int MAX_ATTEMPTS_LIMIT = 20;

	public Ec2ClientSettings {
		Objects.requireNonNull(region, "region");
		if (region.isBlank()) {
			throw new IllegalArgumentException("region must not be blank");
		}
		maxAttempts = maxAttempts == null ? DEFAULT_MAX_ATTEMPTS : maxAttempts;
		if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
			throw new IllegalArgumentException(
					"maxAttempts must be 1 to " + MAX_ATTEMPTS_LIMIT + ", not " + maxAttempts);
		}
		baseDelay = positive("baseDelay", baseDelay, DEFAULT_BASE_DELAY);
		throttlingBaseDelay = positive("throttlingBaseDelay", throttlingBaseDelay, DEFAULT_THROTTLING_BASE_DELAY);
		maxBackoff = positive("maxBackoff", maxBackoff, DEFAULT_MAX_BACKOFF);
		callTimeout = positive("callTimeout", callTimeout, DEFAULT_CALL_TIMEOUT);
		if (endpointOverride != null && (endpointOverride.getScheme() == null || endpointOverride.getHost() == null)) {
			throw new IllegalArgumentException("endpointOverride needs a scheme and a host: " + endpointOverride);
		}
	}

	/** AWS itself in this region, with the default retries. */
	public static Ec2ClientSettings forRegion(String region) {
		return new Ec2ClientSettings(region, null, null, null, null, null, null);
	}

	public Ec2ClientSettings withEndpointOverride(URI endpoint) {
		return new Ec2ClientSettings(region, endpoint, maxAttempts, baseDelay, throttlingBaseDelay, maxBackoff,
				callTimeout);
	}

	public Ec2ClientSettings withRetries(int attempts, Duration base, Duration throttlingBase, Duration max) {
		return new Ec2ClientSettings(region, endpointOverride, attempts, base, throttlingBase, max, callTimeout);
	}

	private static Duration positive(String name, Duration value, Duration fallback) {
		if (value == null) {
			return fallback;
		}
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " must be positive, not " + value);
		}
		return value;
	}
}
