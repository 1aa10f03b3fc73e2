package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.testing.service.ServiceInstance;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A service with a long translation running stops within seconds: the running work has
 * the shutdown grace, then it is stopped and its caller answered before the web server's
 * graceful shutdown waits for running requests.
 */
class ShutdownTest {

	@Test
	void aLongTranslationDoesNotHoldTheShutdown() throws Exception {
		ServiceInstance service = ServiceInstance.start(List.of(EndlessTranslation.class),
				"polyfence.work.time-budget=10m");
		EndlessTranslation.Counts endless = service.bean(EndlessTranslation.Counts.class);
		CompletableFuture<HttpResponse<String>> answer = CompletableFuture
			.supplyAsync(() -> service.post("/v1/translations", "application/json", EndlessTranslation.REQUEST));
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (endless.started.get() == 0 && System.nanoTime() - deadline < 0) {
			Thread.sleep(10);
		}
		assertThat(endless.started.get()).as("the translation runs").isEqualTo(1);

		long closing = System.nanoTime();
		service.close();
		Duration shutdown = Duration.ofNanos(System.nanoTime() - closing);

		System.out.println("shutdown with a translation running took " + shutdown.toMillis() + " ms");
		assertThat(shutdown).isLessThan(Duration.ofSeconds(10));
		assertThat(endless.stopped.get()).as("the work was stopped").isEqualTo(1);
		HttpResponse<String> response = answer.get(5, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.body()).contains("https://polyfence.dev/problems/shutting-down");
	}

}
