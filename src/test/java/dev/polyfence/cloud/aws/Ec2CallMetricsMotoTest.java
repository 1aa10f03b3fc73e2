package dev.polyfence.cloud.aws;

import static dev.polyfence.cloud.ProviderCallMeters.count;
import static dev.polyfence.cloud.ProviderCallMeters.counts;
import static dev.polyfence.cloud.ProviderCallMeters.total;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.ScopeNotFoundException;
import dev.polyfence.cloud.ProviderCalls;
import dev.polyfence.testing.moto.MotoProxy;
import dev.polyfence.testing.moto.MotoProxy.Fault;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * {@code polyfence.provider.calls} for AWS: the interceptor on the real EC2 client counts
 * every call against moto, with EC2's error code when one fails, once per call however
 * often the SDK retried it.
 */
@WithMoto
class Ec2CallMetricsMotoTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private MotoServer moto;

	private MotoProxy proxy;

	private Ec2Client direct;

	private TestVpc vpc;

	@BeforeEach
	void start(MotoServer moto) {
		this.moto = moto;
		proxy = MotoProxy.to(moto.endpoint());
		direct = Ec2Clients.create(Ec2AdapterMotoTest.motoSettings(moto));
		vpc = TestVpc.create(direct);
	}

	@AfterEach
	void stop() {
		proxy.close();
		direct.close();
	}

	@Test
	void theConfiguredEnvironmentCountsEachCallOfARead() {
		try (Ec2AwsEnvironment aws = new AwsConfiguration().awsEnvironment(moto.endpoint().toString(), 3, registry)) {
			aws.read(MotoServer.REGION, vpc.vpcId());
		}

		Map<String, Long> counts = counts(registry, "aws");
		assertThat(counts).containsEntry("DescribeVpcs ok", 1L)
			.containsEntry("DescribeSecurityGroups ok", 1L)
			.containsEntry("DescribeNetworkAcls ok", 1L);
		assertThat(counts.keySet()).allMatch(key -> key.endsWith(" ok"));
		assertThat(registry.find(ProviderCalls.METRIC)
			.tag("operation", "DescribeVpcs")
			.timer()
			.totalTime(TimeUnit.NANOSECONDS)).isPositive();
	}

	/**
	 * moto ignores MaxResults; the proxy cuts its answers into pages, as in
	 * Ec2ReaderPaginationMotoTest.
	 */
	@Test
	void everyPageIsOneSampleAsTheReaderCountsThem() {
		for (int g = 0; g < 6; g++) {
			String name = "g" + g;
			direct.createSecurityGroup(r -> r.vpcId(vpc.vpcId()).groupName(name).description(name));
		}
		proxy.paginate();
		Ec2ClientSettings settings = Ec2AdapterMotoTest.motoSettings(moto).withEndpointOverride(proxy.endpoint());
		try (Ec2Client ec2 = Ec2Clients.create(settings, new ProviderCalls(registry, Ec2Clients.CLOUD))) {
			Ec2LiveStateReader reader = new Ec2LiveStateReader(ec2, Ec2LiveStateReader.MIN_PAGE_SIZE);

			reader.read(vpc.vpcId());

			assertThat(total(registry, "aws")).isEqualTo(reader.apiCalls());
			assertThat(count(registry, "aws", "DescribeSecurityGroups", "ok")).isEqualTo(2);
		}
	}

	@Test
	void aMissingVpcIsCountedWithEc2sErrorCode() {
		try (Ec2AwsEnvironment aws = new AwsConfiguration().awsEnvironment(moto.endpoint().toString(), 3, registry)) {
			assertThatThrownBy(() -> aws.read(MotoServer.REGION, "vpc-0123456789abcdef0"))
				.isInstanceOf(ScopeNotFoundException.class);
		}

		assertThat(counts(registry, "aws"))
			.isEqualTo(Map.of("DescribeVpcs " + Ec2ErrorCodes.INVALID_VPC_ID_NOT_FOUND, 1L));
	}

	@Test
	void throttlingBeyondTheAttemptsIsOneSampleWithItsCode() {
		proxy.failNext(100, Fault.THROTTLE);
		try (Ec2AwsEnvironment aws = new AwsConfiguration().awsEnvironment(proxy.endpoint().toString(), 1, registry)) {
			assertThatThrownBy(() -> aws.read(MotoServer.REGION, vpc.vpcId())).isInstanceOf(CloudAccessException.class);
		}

		assertThat(counts(registry, "aws")).isEqualTo(Map.of("DescribeVpcs RequestLimitExceeded", 1L));
	}

	@Test
	void aCallTheSdkRetriedToSuccessIsOneOkSample() {
		proxy.failNext(2, Fault.SERVER_ERROR);
		Ec2ClientSettings settings = Ec2ClientSettings.forRegion(MotoServer.REGION)
			.withEndpointOverride(proxy.endpoint())
			.withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
		try (Ec2Client ec2 = Ec2Clients.create(settings, new ProviderCalls(registry, Ec2Clients.CLOUD))) {
			ec2.describeVpcs(r -> r.vpcIds(vpc.vpcId()));
		}

		assertThat(proxy.faultsSent()).isEqualTo(2);
		assertThat(counts(registry, "aws")).isEqualTo(Map.of("DescribeVpcs ok", 1L));
	}

	@Test
	void noAnswerIsAClientError() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Ec2ClientSettings settings = Ec2ClientSettings.forRegion(MotoServer.REGION)
			.withEndpointOverride(URI.create("http://127.0.0.1:" + closedPort))
			.withRetries(1, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
		try (Ec2Client ec2 = Ec2Clients.create(settings, new ProviderCalls(registry, Ec2Clients.CLOUD))) {
			assertThatThrownBy(() -> ec2.describeVpcs()).isInstanceOf(SdkException.class);
		}

		assertThat(counts(registry, "aws")).isEqualTo(Map.of("DescribeVpcs " + ProviderCalls.CLIENT_ERROR, 1L));
	}

}
