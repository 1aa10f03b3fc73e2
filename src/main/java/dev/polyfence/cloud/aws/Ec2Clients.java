package dev.polyfence.cloud.aws;

import dev.polyfence.cloud.ProviderCalls;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ClientBuilder;

/**
 * Builds EC2 clients from {@link Ec2ClientSettings} alone: the synchronous Apache 5 HTTP
 * client, the SDK's standard retry strategy with more attempts and exponential backoff
 * with full jitter (throttling such as {@code RequestLimitExceeded} with its own, longer
 * base delay; 5xx and I/O errors with the shorter one), and credentials from the SDK's
 * default chain.
 *
 * <p>
 * With an endpoint override (moto, LocalStack) the chain is the default one without the
 * EC2 instance and container metadata providers, which only mean something on AWS itself
 * and would cost a timeout each, followed by fixed dummy credentials: a local emulator
 * accepts any. Nothing here logs or prints credentials.
 */
public final class Ec2Clients {

	/** Placeholder credentials for emulators; not secret, never valid on AWS. */
	static final String LOCAL_ACCESS_KEY_ID = "polyfence-local";

	static final String LOCAL_SECRET_ACCESS_KEY = "polyfence-local";

	/** The {@code cloud} tag of this client's calls. */
	public static final String CLOUD = "aws";

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

	private Ec2Clients() {
	}

	/** A new client whose calls are not measured; the caller closes it. */
	public static Ec2Client create(Ec2ClientSettings settings) {
		return create(settings, ProviderCalls.none(CLOUD));
	}

	/** A new client that records each call in {@code calls}; the caller closes it. */
	public static Ec2Client create(Ec2ClientSettings settings, ProviderCalls calls) {
		Ec2ClientBuilder builder = Ec2Client.builder()
			.region(Region.of(settings.region()))
			.credentialsProvider(credentials(settings))
			.httpClientBuilder(
					Apache5HttpClient.builder().connectionTimeout(CONNECTION_TIMEOUT).socketTimeout(SOCKET_TIMEOUT))
			.overrideConfiguration(o -> o.retryStrategy(retryStrategy(settings))
				.apiCallTimeout(settings.callTimeout())
				.addExecutionInterceptor(new Ec2CallMetrics(calls)));
		if (settings.endpointOverride() != null) {
			builder.endpointOverride(settings.endpointOverride());
		}
		return builder.build();
	}

	static RetryStrategy retryStrategy(Ec2ClientSettings settings) {
		return AwsRetryStrategy.standardRetryStrategy()
			.toBuilder()
			.maxAttempts(settings.maxAttempts())
			.backoffStrategy(BackoffStrategy.exponentialDelay(settings.baseDelay(), settings.maxBackoff()))
			.throttlingBackoffStrategy(
					BackoffStrategy.exponentialDelay(settings.throttlingBaseDelay(), settings.maxBackoff()))
			.build();
	}

	static AwsCredentialsProvider credentials(Ec2ClientSettings settings) {
		if (settings.endpointOverride() == null) {
			return DefaultCredentialsProvider.builder().build();
		}
		return AwsCredentialsProviderChain.builder()
			.reuseLastProviderEnabled(true)
			.credentialsProviders(SystemPropertyCredentialsProvider.create(),
					EnvironmentVariableCredentialsProvider.create(), ProfileCredentialsProvider.create(),
					StaticCredentialsProvider
						.create(AwsBasicCredentials.create(LOCAL_ACCESS_KEY_ID, LOCAL_SECRET_ACCESS_KEY)))
			.build();
	}

}
