package dev.polyfence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The optional JSON logs of docs/operations.md: started with
 * {@code logging.structured.format.console=ecs}, the service writes one ECS JSON object
 * per line on standard output, a stack trace included, and nothing else there.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogsTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void everyLineOfTheConsoleIsOneEcsJsonObject(CapturedOutput output) {
		// Logback stays as the first context of this JVM set it up (the test contexts are
		// cached and
		// open) unless it is marked uninitialized, which is what closing a context does.
		logging().cleanUp();
		try (ConfigurableApplicationContext app = new SpringApplication(PolyfenceApplication.class)
			.run("--logging.structured.format.console=ecs", "--server.port=0")) {
			IllegalStateException failure = new IllegalStateException("boom");
			failure.setStackTrace(new StackTraceElement[] { new StackTraceElement("dev.polyfence.X", "y", "X.java", 1),
					new StackTraceElement("dev.polyfence.X", "z", "X.java", 2) });
			LoggerFactory.getLogger(JsonLogsTest.class).warn("a failure for the log", failure);
		}

		List<JsonNode> lines = new ArrayList<>();
		for (String line : output.getOut().split("\\R")) {
			if (!line.isBlank()) {
				lines.add(JSON.readTree(line));
			}
		}
		assertThat(lines).isNotEmpty().allSatisfy(line -> {
			assertThat(line.isObject()).isTrue();
			assertThat(line.path("@timestamp").isString()).isTrue();
			assertThat(line.path("log").path("level").asString()).isNotEmpty();
			assertThat(line.path("ecs").path("version").asString()).isNotEmpty();
		});
		assertThat(lines)
			.anySatisfy(line -> assertThat(line.path("message").asString()).startsWith("Tomcat started on port"));
		assertThat(lines).anySatisfy(line -> {
			assertThat(line.path("message").asString()).isEqualTo("a failure for the log");
			assertThat(line.path("error").path("type").asString()).isEqualTo(IllegalStateException.class.getName());
			assertThat(line.path("error").path("stack_trace").asString()).isEqualTo(
					"java.lang.IllegalStateException: boom\n\tat dev.polyfence.X.y(X.java:1)\n\tat dev.polyfence.X.z(X.java:2)\n");
		});
	}

	/**
	 * Logging is the JVM's: back to the plain format for the test classes that run after
	 * this one.
	 */
	@AfterAll
	static void plainLogsAgain() {
		LoggingSystem logging = logging();
		logging.cleanUp();
		// Boot hands the format to Logback as a system property, which outlives the
		// context.
		System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
		logging.beforeInitialize();
		logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	private static LoggingSystem logging() {
		return LoggingSystem.get(JsonLogsTest.class.getClassLoader());
	}

}
