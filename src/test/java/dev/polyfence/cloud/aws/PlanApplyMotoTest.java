package dev.polyfence.cloud.aws;

import dev.polyfence.testing.moto.MotoServer;
import dev.polyfence.testing.moto.WithMoto;
import java.net.URI;

/**
 * The plan and apply contract against moto's EC2 server on 127.0.0.1 (installed by the
 * build).
 */
@WithMoto
class PlanApplyMotoTest extends PlanApplyContract {

	@Override
	URI endpoint() {
		return MotoServer.shared().endpoint();
	}

	@Override
	Ec2ClientSettings settings(URI endpoint) {
		return Ec2AdapterMotoTest.motoSettings(MotoServer.shared()).withEndpointOverride(endpoint);
	}

	@Override
	String region() {
		return MotoServer.REGION;
	}

}
