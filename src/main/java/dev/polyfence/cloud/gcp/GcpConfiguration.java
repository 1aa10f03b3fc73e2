package dev.polyfence.cloud.gcp;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.FirewallsSettings;
import dev.polyfence.cloud.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * GCP access, only when {@code polyfence.gcp.enabled=true}: Application Default
 * Credentials and the public Compute endpoint; {@code polyfence.gcp.endpoint} points the
 * client at a local fake instead, without credentials, for tests only. Every Compute call
 * is timed in {@value ProviderCalls#METRIC}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "polyfence.gcp.enabled", havingValue = "true")
class GcpConfiguration {

	@Bean(destroyMethod = "close")
	ComputeGcpEnvironment gcpEnvironment(@Value("${polyfence.gcp.endpoint:}") String endpoint, MeterRegistry registry)
			throws IOException {
		FirewallsSettings.Builder settings = FirewallsSettings.newBuilder();
		if (!endpoint.isBlank()) {
			settings.setEndpoint(endpoint).setCredentialsProvider(NoCredentialsProvider.create());
		}
		return new ComputeGcpEnvironment(FirewallsClient.create(settings.build()),
				new ProviderCalls(registry, ComputeGcpEnvironment.CLOUD));
	}

}
