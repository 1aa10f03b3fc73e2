package dev.polyfence.cloud.aws;

import dev.polyfence.cloud.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * AWS access from the service's configuration: {@code polyfence.aws.endpoint} points the
 * SDK at an emulator (moto, LocalStack) when set; credentials always come from the SDK's
 * default chain. Every EC2 call is timed in {@value ProviderCalls#METRIC}.
 */
@Configuration(proxyBeanMethods = false)
class AwsConfiguration {

	@Bean(destroyMethod = "close")
	Ec2AwsEnvironment awsEnvironment(@Value("${polyfence.aws.endpoint:}") String endpoint,
			@Value("${polyfence.aws.max-attempts:6}") int maxAttempts, MeterRegistry registry) {
		URI override = endpoint.isBlank() ? null : URI.create(endpoint);
		return new Ec2AwsEnvironment(region -> {
			Ec2ClientSettings s = Ec2ClientSettings.forRegion(region);
			s = override == null ? s : s.withEndpointOverride(override);
			return new Ec2ClientSettings(s.region(), s.endpointOverride(), maxAttempts, s.baseDelay(),
					s.throttlingBaseDelay(), s.maxBackoff(), s.callTimeout());
		}, new ProviderCalls(registry, Ec2Clients.CLOUD));
	}

}
