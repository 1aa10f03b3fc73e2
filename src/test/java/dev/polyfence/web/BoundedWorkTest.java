package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.polyfence.app.AuditTrail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Translations and plans are bounded: past the time budget the caller gets 503
 * {@code time-budget-exceeded} and the work stops; a client that hangs up stops its work
 * too. The work is {@link EndlessTranslation}, which runs until it is stopped, so these
 * tests hold whatever the speed of the real translators.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "polyfence.work.time-budget=2s")
@AutoConfigureMockMvc
@Import(EndlessTranslation.class)
@ExtendWith(OutputCaptureExtension.class)
class BoundedWorkTest {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private EndlessTranslation.Counts endless;

	@Autowired
	private AuditTrail audit;

	@LocalServerPort
	private int port;

	@Test
	void aTranslationOverItsBudgetIsStoppedAndAnswered503WithRetryAfter(CapturedOutput output) throws Exception {
		double before = cancelled("translation", "over-budget");
		int stopped = endless.stopped.get();
		long started = System.nanoTime();

		mvc.perform(post("/v1/translations").with(TestCallers.apiToken())
			.contentType(MediaType.APPLICATION_JSON)
			.content(EndlessTranslation.REQUEST))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(header().string("Retry-After", "2"))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/time-budget-exceeded"))
			.andExpect(jsonPath("$.title").value("Time budget exceeded"))
			.andExpect(jsonPath("$.instance").value("/v1/translations"));

		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at the budget")
			.isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
		waitFor(() -> endless.stopped.get() == stopped + 1, "the worker to stop");
		assertThat(cancelled("translation", "over-budget")).isEqualTo(before + 1);
		assertThat(output)
			.contains("translation of policy endless by token:test stopped: over its time budget of 2000 ms");
		assertThat(output.toString().lines().filter(l -> l.contains("stopped: over its time budget")))
			.as("one line, without the document")
			.allSatisfy(line -> assertThat(line).doesNotContain("appliesTo"));
		waitFor(() -> running() == 0, "no work left on a worker");
	}

	@Test
	void aPlanOverItsBudgetIsNeitherStoredNorAudited() throws Exception {
		double before = cancelled("plan", "over-budget");

		mvc.perform(post("/v1/plans").with(TestCallers.apiToken())
			.contentType(MediaType.APPLICATION_JSON)
			.content(EndlessTranslation.REQUEST))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().string("Retry-After", "2"))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/time-budget-exceeded"));

		assertThat(cancelled("plan", "over-budget")).isEqualTo(before + 1);
		waitFor(() -> running() == 0, "no work left on a worker");
		assertThat(audit.latest(1000)).noneMatch(e -> "endless".equals(e.policy()));
	}

	/**
	 * The client sends its body slowly, waits until the work runs, then closes its
	 * socket: the work stops well before its budget.
	 */
	@Test
	void aClientThatHangsUpStopsItsWork(CapturedOutput output) throws Exception {
		double before = cancelled("translation", "client-gone");
		int started = endless.started.get();
		int stopped = endless.stopped.get();
		long closed;
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			byte[] body = EndlessTranslation.REQUEST.getBytes(StandardCharsets.UTF_8);
			writeHead(out, body.length);
			int third = body.length / 3;
			for (int from = 0; from < body.length; from += third) {
				out.write(body, from, Math.min(third, body.length - from));
				out.flush();
				Thread.sleep(150);
			}
			waitFor(() -> endless.started.get() == started + 1, "the work to start");
			closed = System.nanoTime();
		}
		waitFor(() -> endless.stopped.get() == stopped + 1, "the worker to stop");
		Duration toStop = Duration.ofNanos(System.nanoTime() - closed);

		assertThat(toStop).as("stopped soon after the client left, well before the budget")
			.isLessThan(Duration.ofMillis(1000));
		waitFor(() -> cancelled("translation", "client-gone") == before + 1, "the stop to be counted");
		waitFor(() -> registry.find("http.server.requests").tag("status", "499").timer() != null,
				"Spring's request metrics to show status 499");
		waitFor(() -> running() == 0, "no work left on a worker");
		assertThat(output).contains("translation of policy endless by token:test stopped after")
			.contains("the client closed its connection");
		System.out.println("client gone: work stopped " + toStop.toMillis() + " ms after the socket closed");
	}

	/**
	 * A client that hangs up in the middle of its body: no work starts, nothing fails.
	 */
	@Test
	void aClientThatHangsUpWhileSendingItsBodyStartsNoWork(CapturedOutput output) throws Exception {
		int started = endless.started.get();
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			byte[] body = EndlessTranslation.REQUEST.getBytes(StandardCharsets.UTF_8);
			writeHead(out, body.length);
			out.write(body, 0, body.length / 2);
			out.flush();
			Thread.sleep(300);
		}
		Thread.sleep(500);

		assertThat(endless.started.get()).isEqualTo(started);
		assertThat(output).doesNotContain("ERROR");
	}

	/**
	 * The request line and headers of a translation whose body has {@code length} bytes.
	 */
	private static void writeHead(OutputStream out, int length) throws IOException {
		out.write(("POST /v1/translations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestCallers.API_TOKEN
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
	}

	private double cancelled(String useCase, String reason) {
		Counter counter = registry.find(BoundedWork.CANCELLED).tag("use_case", useCase).tag("reason", reason).counter();
		return counter == null ? 0 : counter.count();
	}

	private double running() {
		return registry.get(BoundedWork.RUNNING).gauge().value();
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("timed out waiting for " + what);
			}
			Thread.sleep(10);
		}
	}

}
