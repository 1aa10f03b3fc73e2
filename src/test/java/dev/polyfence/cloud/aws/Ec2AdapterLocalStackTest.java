package dev.polyfence.cloud.aws;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The same contract against LocalStack, where Docker is available; skipped (not failed)
 * without it. The image is pinned: LocalStack's newer images may ask for an account
 * token.
 */
@Testcontainers(disabledWithoutDocker = true)
class Ec2AdapterLocalStackTest extends Ec2AdapterContract {

	@Container
	static final LocalStackContainer LOCALSTACK = new LocalStackContainer(
			DockerImageName.parse("localstack/localstack:4.4.0"))
		.withServices("ec2");

	private static Ec2Client ec2;

	@BeforeAll
	static void connect() {
		ec2 = Ec2Clients
			.create(Ec2ClientSettings.forRegion(LOCALSTACK.getRegion()).withEndpointOverride(LOCALSTACK.getEndpoint()));
	}

	@AfterAll
	static void close() {
		if (ec2 != null) {
			ec2.close();
		}
	}

	@Override
	Ec2Client ec2() {
		return ec2;
	}

	@Override
	boolean returnsIcmpTypeCodes() {
		// LocalStack's EC2 is built on moto's.
		return false;
	}

}
