package dev.polyfence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.testing.moto.WithMoto;
import dev.polyfence.testing.service.ServiceInstance;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Plans survive a restart of the service on its default database (an H2 file in the data
 * directory): the restarted service shows them as before, applies one made before the
 * restart, and refuses one that has expired.
 */
@WithMoto
class RestartTest {

	@TempDir
	Path dataDir;

	@Test
	void plansSurviveARestartAndAnExpiredOneIsRefused() {
		MotoVpc vpc = MotoVpc.create();
		String[] settings = { "polyfence.data-dir=" + dataDir,
				"spring.datasource.url=jdbc:h2:file:" + dataDir + "/polyfence", MotoVpc.awsEndpoint() };
		String id;
		String expired;
		String shown;
		try (ServiceInstance before = ServiceInstance.start(settings)) {
			HttpResponse<String> created = before.post("/v1/plans", "application/yaml", vpc.request(null));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			id = idOf(created.body());
			expired = idOf(before.post("/v1/plans", "application/yaml", vpc.request(null)).body());
			shown = before.get("/v1/plans/" + id, "application/json").body();
		}
		assertThat(dataDir.resolve("polyfence.mv.db")).exists();

		try (ServiceInstance after = ServiceInstance.start(settings)) {
			assertThat(after.get("/v1/plans/" + id, "application/json").body()).isEqualTo(shown);
			assertThat(after.get("/v1/plans/" + id, "text/markdown").body())
				.contains("Polyfence plan for policy `shop`");
			JdbcClient.create(after.bean(DataSource.class))
				.sql("UPDATE plans SET expires_at = :past WHERE id = :id")
				.param("past", OffsetDateTime.parse("2020-01-01T00:00:00Z"))
				.param("id", expired)
				.update();

			HttpResponse<String> refused = after.post("/v1/plans/" + expired + "/apply", null, null);
			assertThat(refused.statusCode()).isEqualTo(410);
			assertThat(refused.body()).contains("https://polyfence.dev/problems/plan-expired");

			HttpResponse<String> applied = after.post("/v1/plans/" + id + "/apply", null, null);
			assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
			assertThat(applied.body()).contains("\"status\":\"succeeded\"");
			assertThat(after.get("/v1/plans/" + id, "application/json").body()).contains("\"status\":\"applied\"");
			assertThat(after.get("/v1/plans/" + id + "/applies", "application/json").body())
				.contains("\"status\":\"succeeded\"");
			HttpResponse<String> again = after.post("/v1/plans", "application/yaml", vpc.request(null));
			assertThat(again.body()).contains("\"changes\":[]");
		}
	}

	static String idOf(String plan) {
		return plan.replaceAll("(?s)^\\{\"id\":\"([^\"]+)\".*", "$1");
	}

}
