package dev.polyfence.cloud.gcp;

import static dev.polyfence.cloud.ProviderCallMeters.counts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.compute.v1.FirewallsClient;
import dev.polyfence.app.CloudAccessException;
import dev.polyfence.cloud.ProviderCalls;
import dev.polyfence.plan.gcp.GcpChange;
import dev.polyfence.testing.gce.ComputeFirewallFake;
import dev.polyfence.testing.gce.GceClients;
import dev.polyfence.translate.gcp.Firewall;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code polyfence.provider.calls} for GCP: every FirewallsClient call of
 * {@link ComputeGcpEnvironment} against the Compute fake, a mutation until its operation
 * is DONE, each retry of a change its own sample, failures with the client's status code.
 */
class ComputeCallMetricsFakeTest {

	private static final String PROJECT = "shop-prod";

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private ComputeFirewallFake compute;

	private ComputeGcpEnvironment gcp;

	@BeforeEach
	void setUp() {
		compute = ComputeFirewallFake.start();
		FirewallsClient client = GceClients.client(compute);
		gcp = new ComputeGcpEnvironment(client, Duration.ofMillis(5), Duration.ofMillis(20),
				new ProviderCalls(registry, ComputeGcpEnvironment.CLOUD));
	}

	@AfterEach
	void tearDown() {
		gcp.close();
		compute.close();
	}

	@Test
	void theConfiguredEnvironmentCountsAReadAnInsertAndAPatch() throws IOException {
		try (ComputeGcpEnvironment configured = new GcpConfiguration().gcpEnvironment(compute.endpoint(), registry)) {
			configured.read(PROJECT, "default");
			configured.runner(PROJECT, "default").run(new GcpChange.Insert(firewall("443")));
			configured.runner(PROJECT, "default").run(new GcpChange.Replace("shop-web", firewall("8443")));
		}

		assertThat(counts(registry, "gcp")).isEqualTo(Map.of("firewalls.list ok", 1L, "firewalls.insert ok", 1L,
				"firewalls.get ok", 1L, "firewalls.patch ok", 1L));
	}

	@Test
	void eachAttemptOfAThrottledChangeIsASample() {
		compute.failNext(1, 429);

		gcp.runner(PROJECT, "default").run(new GcpChange.Insert(firewall("443")));

		assertThat(counts(registry, "gcp"))
			.isEqualTo(Map.of("firewalls.insert RESOURCE_EXHAUSTED", 1L, "firewalls.insert ok", 1L));
	}

	@Test
	void aRefusedReadIsCountedWithItsCode() {
		compute.failNext(1, 403);

		assertThatThrownBy(() -> gcp.read(PROJECT, "default")).isInstanceOf(CloudAccessException.class);

		assertThat(counts(registry, "gcp")).isEqualTo(Map.of("firewalls.list PERMISSION_DENIED", 1L));
	}

	@Test
	void anOperationThatEndsInAnErrorIsCountedWithItsCode() {
		compute.failNextOperation(400, "invalid", "injected failure");

		assertThatThrownBy(() -> gcp.runner(PROJECT, "default").run(new GcpChange.Insert(firewall("443"))))
			.isInstanceOf(IllegalStateException.class);

		assertThat(counts(registry, "gcp")).isEqualTo(Map.of("firewalls.insert INVALID_ARGUMENT", 1L));
	}

	private static Firewall firewall(String port) {
		return FirewallProtos.fromProto(GceClients.allowTcp("shop-web", "0.0.0.0/0", port)
			.setNetwork("global/networks/default")
			.setDirection("INGRESS")
			.setPriority(1000)
			.build());
	}

}
