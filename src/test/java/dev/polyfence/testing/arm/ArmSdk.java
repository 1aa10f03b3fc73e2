package dev.polyfence.testing.arm;

import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.RequestIdPolicy;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.core.management.AzureEnvironment;
import com.azure.core.management.profile.AzureProfile;
import com.azure.resourcemanager.network.NetworkManager;
import java.util.Map;

/**
 * The real Azure network SDK pointed at an {@link ArmNsgFake}: the JDK HTTP client, a
 * pipeline without a bearer-token policy (it refuses plain HTTP), the SDK's default retry
 * policy (which honours {@code Retry-After}), and an environment whose resource manager
 * endpoint is the fake.
 */
public final class ArmSdk {

	public static final String TENANT = "00000000-0000-0000-0000-00000000aaaa";

	public static final String SUBSCRIPTION = "00000000-0000-0000-0000-000000000000";

	private ArmSdk() {
	}

	public static HttpPipeline pipeline() {
		return new HttpPipelineBuilder().httpClient(new JdkHttpClientBuilder().build())
			.policies(new UserAgentPolicy(), new RequestIdPolicy(), new RetryPolicy())
			.build();
	}

	public static AzureProfile profile(ArmNsgFake fake) {
		return new AzureProfile(TENANT, SUBSCRIPTION,
				new AzureEnvironment(Map.of("resourceManagerEndpointUrl", fake.endpoint())));
	}

	public static NetworkManager networkManager(ArmNsgFake fake) {
		return NetworkManager.authenticate(pipeline(), profile(fake));
	}

}
