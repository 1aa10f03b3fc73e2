package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.ec2.Ec2Client;

@ResourceLock(Resources.SYSTEM_PROPERTIES)
class Ec2ClientsTest {

	private static final String[] PROPERTIES = { "aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken",
			"aws.sharedCredentialsFile", "aws.configFile" };

	private final Map<String, String> saved = new HashMap<>();

	@TempDir
	Path empty;

	@BeforeEach
	void isolateFromThisMachinesCredentials() {
		for (String p : PROPERTIES) {
			saved.put(p, System.getProperty(p));
			System.clearProperty(p);
		}
		System.setProperty("aws.sharedCredentialsFile", empty.resolve("credentials").toString());
		System.setProperty("aws.configFile", empty.resolve("config").toString());
	}

	@AfterEach
	void restore() {
		saved.forEach((k, v) -> {
			if (v == null) {
				System.clearProperty(k);
			}
			else {
				System.setProperty(k, v);
			}
		});
	}

	private static Ec2ClientSettings local() {
		return Ec2ClientSettings.forRegion("eu-west-1").withEndpointOverride(URI.create("http://127.0.0.1:5000"));
	}

	@Test
	void anEmulatorGetsDummyCredentialsWhenNoneAreFound() {
		Assumptions.assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null, "AWS credentials in the environment");

		AwsCredentials credentials = Ec2Clients.credentials(local()).resolveCredentials();

		assertThat(credentials.accessKeyId()).isEqualTo(Ec2Clients.LOCAL_ACCESS_KEY_ID);
	}

	@Test
	void anEmulatorStillTakesCredentialsFromTheDefaultSources() {
		System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
		System.setProperty("aws.secretAccessKey", "not-a-secret");

		assertThat(Ec2Clients.credentials(local()).resolveCredentials().accessKeyId()).isEqualTo("AKIDEXAMPLE");
	}

	@Test
	void retriesAsConfigured() {
		assertThat(Ec2Clients.retryStrategy(Ec2ClientSettings.forRegion("eu-west-1")).maxAttempts())
			.isEqualTo(Ec2ClientSettings.DEFAULT_MAX_ATTEMPTS);
		assertThat(Ec2Clients
			.retryStrategy(local().withRetries(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1)))
			.maxAttempts()).isEqualTo(2);
	}

	@Test
	void buildsAClientWithoutCallingAnything() {
		try (Ec2Client ec2 = Ec2Clients.create(local())) {
			assertThat(ec2.serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
			assertThat(ec2.serviceClientConfiguration().endpointOverride())
				.contains(URI.create("http://127.0.0.1:5000"));
		}
	}

	@Test
	void settingsTakeDefaultsAndRefuseNonsense() {
		Ec2ClientSettings bound = new Ec2ClientSettings("eu-west-1", null, null, null, null, null, null);

		assertThat(bound.maxAttempts()).isEqualTo(Ec2ClientSettings.DEFAULT_MAX_ATTEMPTS);
		assertThat(bound.throttlingBaseDelay()).isEqualTo(Ec2ClientSettings.DEFAULT_THROTTLING_BASE_DELAY);
		assertThat(bound.callTimeout()).isEqualTo(Ec2ClientSettings.DEFAULT_CALL_TIMEOUT);
		assertThatIllegalArgumentException().isThrownBy(() -> Ec2ClientSettings.forRegion(" "));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Ec2ClientSettings("eu-west-1", null, 0, null, null, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Ec2ClientSettings("eu-west-1", null, null, Duration.ZERO, null, null, null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Ec2ClientSettings.forRegion("eu-west-1").withEndpointOverride(URI.create("localhost")));
	}

}
