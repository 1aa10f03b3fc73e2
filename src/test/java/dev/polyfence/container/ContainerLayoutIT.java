package dev.polyfence.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.container.Dockerfile.Instruction;
import dev.polyfence.container.Dockerfile.Stage;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Dockerfile's stages do, done here with the jar that {@code mvn package} built,
 * since no Docker engine is at hand: the build stage's layer extraction, the runtime
 * stage's copies in its order into one directory, its ENTRYPOINT started there with its
 * ENV (and a 1 GiB memory ceiling standing in for the container's limit), its HEALTHCHECK
 * command run by {@code /bin/sh} as Docker runs it, and SIGTERM as {@code docker stop}
 * sends it. Runs in the integration-test phase.
 */
class ContainerLayoutIT {

	/**
	 * The build stage's extraction; DockerfileTest checks that the Dockerfile runs
	 * exactly this.
	 */
	static final String EXTRACT = "java -Djarmode=tools -jar /build/app.jar extract --layers --launcher"
			+ " --destination /build/extracted";

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final long START_SECONDS = 120;

	private final Stage runtime = Dockerfile.read(DockerfileTest.DOCKERFILE).last();

	@Test
	void theLayersStartTheServiceTheHealthCheckFindsItReadyAndSigtermStopsIt(@TempDir Path tmp) throws Exception {
		Path extracted = tmp.resolve("extracted");
		run(EXTRACT.replace("/build/app.jar", builtJar().toString()).replace("/build/extracted", extracted.toString()));
		Path app = Files.createDirectory(tmp.resolve("app"));
		for (Instruction copy : runtime.all("COPY")) {
			String source = copy.arguments().split("\\s+")[1];
			mergeInto(extracted.resolve(source.substring("/build/extracted/".length())), app);
		}
		Path data = Files.createDirectory(tmp.resolve("data"),
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		Path log = tmp.resolve("service.log");

		ProcessBuilder start = new ProcessBuilder(entrypoint()).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		start.environment().putAll(runtime.env());
		start.environment().put("JAVA_TOOL_OPTIONS", runtime.env().get("JAVA_TOOL_OPTIONS") + " -XX:MaxRAM=1g");
		start.environment().put("SERVER_PORT", "0");
		start.environment().put("POLYFENCE_DATA_DIR", data.toString());
		Process service = start.start();
		try {
			int port = awaitPort(service, log);
			assertThat(awaitHealthy(port)).as("health check exit code; log:%n%s", Files.readString(log)).isZero();
			assertThat(healthCheck(closedPort())).isEqualTo(1);

			service.destroy(); // SIGTERM, as docker stop sends it (STOPSIGNAL)

			assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
			assertThat(Files.readString(log)).contains("Commencing graceful shutdown", "Graceful shutdown complete");
			assertThat(service.exitValue()).isEqualTo(128 + 15);
		}
		finally {
			service.destroyForcibly();
		}
	}

	private List<String> entrypoint() {
		List<Instruction> entrypoints = runtime.all("ENTRYPOINT");
		return JsonMapper.builder()
			.build()
			.readValue(entrypoints.get(entrypoints.size() - 1).arguments(), new TypeReference<List<String>>() {
			});
	}

	/**
	 * The Dockerfile's HEALTHCHECK command, by {@code /bin/sh -c} as Docker runs it; its
	 * exit code.
	 */
	private int healthCheck(int port) throws IOException, InterruptedException {
		String arguments = runtime.all("HEALTHCHECK").get(0).arguments();
		String command = arguments.substring(arguments.indexOf(" CMD ") + " CMD ".length());
		ProcessBuilder check = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD);
		check.environment().put("SERVER_PORT", Integer.toString(port));
		Process process = check.start();
		if (!process.waitFor(5, TimeUnit.SECONDS)) { // the Dockerfile's --timeout: no
														// answer is unhealthy
			process.destroyForcibly();
			return 1;
		}
		return process.exitValue();
	}

	/**
	 * Readiness follows the port by a moment (ApplicationReadyEvent); Docker retries the
	 * same way.
	 */
	private int awaitHealthy(int port) throws IOException, InterruptedException {
		int exit = 1;
		for (int attempt = 0; attempt < 60 && exit != 0; attempt++) {
			exit = healthCheck(port);
			if (exit != 0) {
				Thread.sleep(500);
			}
		}
		return exit;
	}

	private static int awaitPort(Process service, Path log) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
		while (System.nanoTime() < deadline) {
			String text = Files.exists(log) ? Files.readString(log) : "";
			Matcher m = PORT.matcher(text);
			if (m.find()) {
				return Integer.parseInt(m.group(1));
			}
			if (!service.isAlive()) {
				throw new AssertionError("the service stopped with " + service.exitValue() + ":\n" + text);
			}
			Thread.sleep(200);
		}
		throw new AssertionError("the service did not start within " + START_SECONDS + " s:\n" + Files.readString(log));
	}

	private static Path builtJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			List<Path> jars = files.filter(p -> p.getFileName().toString().matches("polyfence-.*\\.jar")).toList();
			assertThat(jars).as("the jar of mvn package in target/").hasSize(1);
			return jars.get(0);
		}
	}

	private static void run(String command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command.split(" ")).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		assertThat(process.waitFor()).as("%s:%n%s", command, output).isZero();
	}

	/** Copies a layer into the image's directory; layers never hold the same file. */
	private static void mergeInto(Path layer, Path target) throws IOException {
		assertThat(layer).isDirectory();
		List<Path> files = new ArrayList<>();
		try (Stream<Path> walk = Files.walk(layer)) {
			walk.forEach(files::add);
		}
		for (Path source : files) {
			Path destination = target.resolve(layer.relativize(source).toString());
			if (Files.isDirectory(source)) {
				Files.createDirectories(destination);
			}
			else {
				assertThat(destination).as("a file in two layers").doesNotExist();
				Files.copy(source, destination, StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
