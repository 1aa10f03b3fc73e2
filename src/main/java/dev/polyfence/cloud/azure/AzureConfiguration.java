package dev.polyfence.cloud.azure;

import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.resourcemanager.network.NetworkManager;
import dev.polyfence.cloud.ProviderCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Azure access, only when {@code polyfence.azure.enabled=true}: credentials from
 * {@code DefaultAzureCredential} (environment, workload identity, managed identity, Azure
 * CLI), the public cloud's Resource Manager. {@code polyfence.azure.endpoint} points the
 * client at a local fake instead, over plain HTTP and without credentials, for tests
 * only. Either way every request is timed in {@value ProviderCalls#METRIC} by
 * {@link ArmCallMetrics}, before the retry policy.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "polyfence.azure.enabled", havingValue = "true")
class AzureConfiguration {

	@Bean
	ArmAzureEnvironment azureEnvironment(@Value("${polyfence.azure.tenant-id:}") String tenant,
			@Value("${polyfence.azure.endpoint:}") String endpoint, MeterRegistry registry) {
		ArmCallMetrics metrics = new ArmCallMetrics(new ProviderCalls(registry, ArmAzureEnvironment.CLOUD));
		String tenantId = tenant.isBlank() ? null : tenant;
		if (!endpoint.isBlank()) {
			AzureEnvironment local = new AzureEnvironment(Map.of("resourceManagerEndpointUrl", endpoint));
			return new ArmAzureEnvironment(subscription -> NetworkManager
				.authenticate(new HttpPipelineBuilder().httpClient(new JdkHttpClientBuilder().build())
					.policies(metrics, new RetryPolicy())
					.build(), new AzureProfile(tenantId, subscription, local)));
		}
		var credential = new DefaultAzureCredentialBuilder().build();
		return new ArmAzureEnvironment(subscription -> NetworkManager.configure()
			.withPolicy(metrics)
			.authenticate(credential, new AzureProfile(tenantId, subscription, AzureEnvironment.AZURE)));
	}

}
