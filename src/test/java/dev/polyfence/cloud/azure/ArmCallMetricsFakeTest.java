package dev.polyfence.cloud.azure;

import static dev.polyfence.cloud.ProviderCallMeters.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.util.Context;
import dev.polyfence.app.AzureEnvironment.ChangeRunner;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.cloud.ProviderCalls;
import dev.polyfence.plan.azure.AzureChange;
import dev.polyfence.testing.arm.ArmNsgFake;
import dev.polyfence.translate.azure.SecurityRule;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code polyfence.provider.calls} for Azure: the pipeline that
 * {@link AzureConfiguration} builds, through the real azure-resourcemanager-network
 * client, against the ARM fake: every request counted, with ARM's error code taken from
 * the body, which the SDK still reads after the policy.
 */
class ArmCallMetricsFakeTest {

	private static final String SUBSCRIPTION = "5a4b3c2d-1e0f-4a5b-8c7d-6e5f4a3b2c1d";

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private ArmNsgFake arm;

	private ArmAzureEnvironment azure;

	@BeforeEach
	void setUp() {
		arm = ArmNsgFake.start();
		azure = new AzureConfiguration().azureEnvironment("", arm.endpoint(), registry);
	}

	@AfterEach
	void tearDown() {
		arm.close();
	}

	@Test
	void aReadAndAPutAreCountedByMethodAndResourceKind() {
		azure.read(SUBSCRIPTION, "shop-rg");
		azure.runner(SUBSCRIPTION, "shop-rg").run(put(rule("a", 100), rule("b", 200)));

		assertThat(counts(registry, "azure"))
			.isEqualTo(Map.of("GET networkSecurityGroups ok", 1L, "PUT networkSecurityGroups ok", 1L));
	}

	@Test
	void thePollsOfALongRunningPutAreCallsToo() {
		arm.inProgressPolls(1);

		azure.runner(SUBSCRIPTION, "shop-rg").run(put(rule("a", 100)));

		Map<String, Long> counts = counts(registry, "azure");
		assertThat(counts).containsEntry("PUT networkSecurityGroups ok", 1L).containsKey("GET operations ok");
		assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(arm.requestCount());
	}

	@Test
	void aRefusedPutIsCountedWithArmsErrorCodeAndTheSdkStillReadsIt() {
		ChangeRunner runner = azure.runner(SUBSCRIPTION, "shop-rg");

		assertThatThrownBy(() -> runner.run(put(rule("a", 100), rule("b", 100))))
			.hasMessageContaining("SecurityRuleConflict: ");

		assertThat(counts(registry, "azure")).isEqualTo(Map.of("PUT networkSecurityGroups SecurityRuleConflict", 1L));
	}

	@Test
	void faultsPastTheRetriesAreOneSampleWithTheirCode() {
		arm.failNext(4, 503); // the SDK's retry policy makes 4 attempts

		assertThatThrownBy(() -> azure.read(SUBSCRIPTION, "shop-rg")).isInstanceOf(CloudAccessException.class);

		assertThat(arm.requestCount()).isEqualTo(4);
		assertThat(counts(registry, "azure")).isEqualTo(Map.of("GET networkSecurityGroups ServiceUnavailable", 1L));
	}

	/**
	 * The SDK's clients send asynchronously or synchronously; the policy counts both the
	 * same way.
	 */
	@Test
	void anErrorIsCountedAndStillReadableOnBothPipelinePaths() throws Exception {
		HttpPipeline pipeline = new HttpPipelineBuilder().httpClient(new JdkHttpClientBuilder().build())
			.policies(new ArmCallMetrics(new ProviderCalls(registry, ArmAzureEnvironment.CLOUD)))
			.build();
		String missing = arm.endpoint() + "subscriptions/" + SUBSCRIPTION + "/resourceGroups/shop-rg/providers"
				+ "/Microsoft.Network/networkSecurityGroups/nowhere?api-version=2024-05-01";

		try (HttpResponse async = pipeline.send(new HttpRequest(HttpMethod.GET, missing)).block();
				HttpResponse sync = pipeline.sendSync(new HttpRequest(HttpMethod.GET, missing), Context.NONE)) {
			assertThat(async.getBodyAsString().block()).contains("ResourceNotFound");
			assertThat(sync.getBodyAsBinaryData().toString()).contains("ResourceNotFound");
		}

		assertThat(counts(registry, "azure")).isEqualTo(Map.of("GET networkSecurityGroups ResourceNotFound", 2L));
	}

	@Test
	void theResourceKindIsTheLastTypeInThePathNeverAName() {
		assertThat(ArmCallMetrics
			.resourceKind("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network" + "/networkSecurityGroups"))
			.isEqualTo("networkSecurityGroups");
		assertThat(ArmCallMetrics.resourceKind("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network"
				+ "/networkSecurityGroups/web/securityRules/ssh"))
			.isEqualTo("securityRules");
		assertThat(ArmCallMetrics
			.resourceKind("/subscriptions/s/providers/Microsoft.Network/locations/westeurope" + "/operations/1234"))
			.isEqualTo("operations");
		assertThat(ArmCallMetrics.resourceKind("/subscriptions/s/providers/Microsoft.Network"))
			.isEqualTo("subscriptions");
		assertThat(ArmCallMetrics.resourceKind("")).isEqualTo("unknown");
	}

	@Test
	void anErrorWithoutArmsShapeIsItsStatus() {
		assertThat(ArmCallMetrics.errorOutcome(502, "<html>Bad gateway</html>".getBytes())).isEqualTo("502");
		assertThat(ArmCallMetrics.errorOutcome(404, new byte[0])).isEqualTo("404");
		assertThat(ArmCallMetrics.errorOutcome(404,
				"{\"error\":{\"code\":\"ResourceGroupNotFound\",\"message\":\"x\"}}".getBytes()))
			.isEqualTo("ResourceGroupNotFound");
	}

	private static AzureChange.PutNetworkSecurityGroup put(SecurityRule... rules) {
		return new AzureChange.PutNetworkSecurityGroup("web", "shop-web", "westeurope",
				Map.of("polyfence:policy", "shop"), List.of(rules));
	}

	private static SecurityRule rule(String name, int priority) {
		return new SecurityRule(name, new SecurityRule.Properties(null, priority, "Inbound", "Allow", "Tcp", "*", null,
				null, "*", "*", null, null, "443", null));
	}

}
