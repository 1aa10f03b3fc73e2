package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.cloud.aws.Ec2OperationException.Kind;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.testing.moto.MotoProxy;
import dev.polyfence.testing.moto.MotoProxy.Fault;
import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The client's retry strategy (not our code) gets through throttling and server errors: a
 * proxy in front of moto answers the first requests with EC2's throttling error or HTTP
 * 500.
 */
@WithMoto
class Ec2RetriesMotoTest {

	private MotoProxy proxy;

	private Ec2Client direct;

	private TestVpc vpc;

	@BeforeEach
	void start(MotoServer moto) {
		proxy = MotoProxy.to(moto.endpoint());
		direct = Ec2Clients.create(Ec2AdapterMotoTest.motoSettings(moto));
		vpc = TestVpc.create(direct);
	}

	@AfterEach
	void stop() {
		proxy.close();
		direct.close();
	}

	private Ec2Client throughProxy(int attempts) {
		return Ec2Clients.create(Ec2ClientSettings.forRegion(MotoServer.REGION)
			.withEndpointOverride(proxy.endpoint())
			.withRetries(attempts, Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(50)));
	}

	@Test
	void aReadGetsThroughThrottlingWithinTheAttempts() {
		proxy.failNext(5, Fault.THROTTLE);
		try (Ec2Client ec2 = throughProxy(6)) {
			Ec2LiveStateReader reader = new Ec2LiveStateReader(ec2);

			AwsLiveState live = reader.read(vpc.vpcId());

			assertThat(live).isEqualTo(new Ec2LiveStateReader(direct).read(vpc.vpcId()));
			assertThat(proxy.faultsSent()).isEqualTo(5);
			assertThat(reader.apiCalls()).isEqualTo(4);
		}
	}

	@Test
	void aChangeGetsThroughServerErrors() {
		proxy.failNext(3, Fault.SERVER_ERROR);
		try (Ec2Client ec2 = throughProxy(6)) {
			Ec2ChangeExecutor executor = new Ec2ChangeExecutor(ec2, vpc.vpcId(), Map.of(), Map.of(), Map.of());

			String id = executor.execute(new AwsChange.CreateSecurityGroup("web", "shop-web", "web", Map.of()))
				.createdId();

			assertThat(proxy.faultsSent()).isEqualTo(3);
			assertThat(executor.apiCalls()).isEqualTo(1);
			assertThat(new Ec2LiveStateReader(direct).read(vpc.vpcId())
				.securityGroupNamed("shop-web")
				.orElseThrow()
				.groupId()).isEqualTo(id);
		}
	}

	@Test
	void throttlingBeyondTheAttemptsIsTypedThrottled() {
		proxy.failNext(100, Fault.THROTTLE);
		try (Ec2Client ec2 = throughProxy(3)) {
			Ec2ChangeExecutor executor = new Ec2ChangeExecutor(ec2, vpc.vpcId(), Map.of(), Map.of(), Map.of());

			assertThatThrownBy(() -> executor.execute(new AwsChange.CreateNetworkAcl("web", Map.of())))
				.isInstanceOfSatisfying(Ec2OperationException.class, e -> {
					assertThat(e.kind()).isEqualTo(Kind.THROTTLED);
					assertThat(e.errorCode()).contains(Ec2ErrorCodes.REQUEST_LIMIT_EXCEEDED);
					assertThat(e.resource()).isEqualTo(vpc.vpcId());
					assertThat(e.getMessage()).startsWith("Creating a network ACL for group web in VPC " + vpc.vpcId())
						.contains("RequestLimitExceeded", "HTTP 503", "after 3 attempts");
				});
			assertThat(proxy.faultsSent()).isEqualTo(3);
			assertThat(proxy.forwarded()).isZero();
		}
	}

}
