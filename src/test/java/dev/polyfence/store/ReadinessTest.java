package dev.polyfence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.testing.service.ServiceInstance;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Readiness includes the database: no plan can be made or applied without it. Liveness
 * does not.
 */
class ReadinessTest {

	@Test
	void readinessAsksTheDatabaseAndLivenessDoesNot() {
		try (ServiceInstance service = ServiceInstance.start("management.endpoint.health.show-components=always")) {
			HttpResponse<String> readiness = service.get("/actuator/health/readiness", "application/json");
			assertThat(readiness.statusCode()).isEqualTo(200);
			assertThat(readiness.body()).contains("\"db\"", "\"readinessState\"");
			assertThat(service.get("/actuator/health/liveness", "application/json").body()).doesNotContain("\"db\"");
		}
	}

}
