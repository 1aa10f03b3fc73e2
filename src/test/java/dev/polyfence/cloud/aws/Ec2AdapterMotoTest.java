package dev.polyfence.cloud.aws;

import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.ec2.Ec2Client;

@WithMoto
class Ec2AdapterMotoTest extends Ec2AdapterContract {

	private static Ec2Client ec2;

	@BeforeAll
	static void connect() {
		ec2 = Ec2Clients.create(motoSettings(MotoServer.shared()));
	}

	@AfterAll
	static void close() {
		if (ec2 != null) {
			ec2.close();
		}
	}

	/** Quick retries: moto answers at once, and some of its errors are HTTP 500. */
	static Ec2ClientSettings motoSettings(MotoServer moto) {
		return Ec2ClientSettings.forRegion(MotoServer.REGION)
			.withEndpointOverride(moto.endpoint())
			.withRetries(3, Duration.ofMillis(5), Duration.ofMillis(5), Duration.ofMillis(20));
	}

	@Override
	Ec2Client ec2() {
		return ec2;
	}

	@Override
	boolean returnsIcmpTypeCodes() {
		return false;
	}

}
