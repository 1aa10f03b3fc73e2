package dev.polyfence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.testing.db.TestDatabases;
import dev.polyfence.testing.moto.WithMoto;
import dev.polyfence.testing.service.ServiceInstance;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas of the service share one PostgreSQL and one VPC (moto) and race to apply:
 * a plan is applied exactly once, two plans for the same VPC never run at once, and what
 * either replica planned the other can show and apply.
 */
@WithMoto(resetBeforeEach = false)
class TwoReplicasTest {

	private static DataSource database;

	private static ServiceInstance one;

	private static ServiceInstance two;

	@BeforeAll
	static void start() {
		database = TestDatabases.postgres();
		String url = "spring.datasource.url=" + TestDatabases.jdbcUrl(database);
		one = ServiceInstance.start(url, "spring.datasource.username=postgres", MotoVpc.awsEndpoint());
		two = ServiceInstance.start(url, "spring.datasource.username=postgres", MotoVpc.awsEndpoint());
	}

	@AfterAll
	static void stop() {
		one.close();
		two.close();
	}

	@Test
	void aPlanRacedByBothReplicasIsAppliedExactlyOnce() throws Exception {
		MotoVpc vpc = MotoVpc.create();
		String id = RestartTest.idOf(one.post("/v1/plans", "application/yaml", vpc.request(null)).body());
		assertThat(two.get("/v1/plans/" + id, "application/json").statusCode()).isEqualTo(200);

		List<HttpResponse<String>> answers = race(() -> one.post("/v1/plans/" + id + "/apply", null, null),
				() -> two.post("/v1/plans/" + id + "/apply", null, null));

		assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
		HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
		assertThat(refused.body()).containsAnyOf("https://polyfence.dev/problems/target-locked",
				"https://polyfence.dev/problems/plan-already-applied");
		assertThat(JdbcClient.create(database)
			.sql("SELECT COUNT(*) FROM applies WHERE plan_id = :id")
			.param("id", id)
			.query(Integer.class)
			.single()).isEqualTo(1);
		assertThat(one.post("/v1/plans", "application/yaml", vpc.request(null)).body()).contains("\"changes\":[]");
	}

	@Test
	void twoPlansForOneVpcNeverApplyAtOnce() throws Exception {
		MotoVpc vpc = MotoVpc.create();
		String first = RestartTest.idOf(one.post("/v1/plans", "application/yaml", vpc.request(null)).body());
		String second = RestartTest.idOf(two.post("/v1/plans", "application/yaml", vpc.request(null)).body());

		List<HttpResponse<String>> answers = race(() -> one.post("/v1/plans/" + first + "/apply", null, null),
				() -> two.post("/v1/plans/" + second + "/apply", null, null));

		// Whichever comes second finds the VPC locked, or (if the first has finished)
		// changed: never both run.
		assertThat(answers).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
		HttpResponse<String> refused = answers.stream().filter(a -> a.statusCode() == 409).findFirst().orElseThrow();
		assertThat(refused.body()).containsAnyOf("https://polyfence.dev/problems/target-locked",
				"https://polyfence.dev/problems/stale-plan");
		assertThat(JdbcClient.create(database).sql("SELECT COUNT(*) FROM target_locks").query(Integer.class).single())
			.as("every lock released")
			.isZero();
		assertThat(two.post("/v1/plans", "application/yaml", vpc.request(null)).body()).contains("\"changes\":[]");
	}

	/** Runs both calls at the same moment on two threads. */
	@SafeVarargs
	private static List<HttpResponse<String>> race(Callable<HttpResponse<String>>... calls) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(calls.length);
		CountDownLatch go = new CountDownLatch(1);
		try {
			List<Future<HttpResponse<String>>> running = new ArrayList<>();
			for (Callable<HttpResponse<String>> call : calls) {
				running.add(pool.submit(() -> {
					go.await();
					return call.call();
				}));
			}
			go.countDown();
			List<HttpResponse<String>> answers = new ArrayList<>();
			for (Future<HttpResponse<String>> answer : running) {
				answers.add(answer.get());
			}
			return answers;
		}
		finally {
			pool.shutdownNow();
		}
	}

}
