package dev.polyfence.cloud.aws;

import java.net.URI;
import java.time.Duration;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The plan and apply contract against LocalStack where Docker is available; skipped (not
 * failed) without it.
 */
@Testcontainers(disabledWithoutDocker = true)
class PlanApplyLocalStackTest extends PlanApplyContract {

	@Container
	static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
			DockerImageName.parse("localstack/localstack:4.4.0"))
		.withServices("ec2");

	@Override
	URI endpoint() {
		return LOCALSTACK.getEndpoint();
	}

	@Override
	Ec2ClientSettings settings(URI endpoint) {
		return Ec2ClientSettings.forRegion(LOCALSTACK.getRegion())
			.withEndpointOverride(endpoint)
			.withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
	}

	@Override
	String region() {
		return LOCALSTACK.getRegion();
	}

}
