package dev.polyfence.testing.moto;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * One moto server ({@code moto_server}) per JVM, on 127.0.0.1 and a free port, for tests
 * that talk to AWS APIs through an endpoint override. Started on first use by
 * {@link #shared()}, stopped at the end of the test run by {@link MotoExtension} and,
 * failing that, by a shutdown hook.
 *
 * <p>
 * The executable is, in this order: the system property {@value #COMMAND_PROPERTY};
 * {@code .venv-moto/bin/moto_server} under the project directory (made by
 * {@code scripts/install-moto.sh}, which the Maven build runs); {@code moto_server} on
 * the PATH. When none works the tests fail, saying to run the script, unless the system
 * property {@value #OPTIONAL_PROPERTY} is {@code true}: then they are skipped. CI never
 * sets it.
 *
 * <p>
 * Tests share its state: call {@link #reset()} between tests (the extension does) and do
 * not run moto tests in parallel (the {@link WithMoto} annotation holds a resource lock).
 */
public final class MotoServer {

	public static final String COMMAND_PROPERTY = "polyfence.moto.server";

	public static final String OPTIONAL_PROPERTY = "polyfence.moto.optional";

	/**
	 * The region tests should use; moto accepts any, one fixed region keeps ids in one
	 * place.
	 */
	public static final String REGION = "us-east-1";

	static final String INSTALL_HINT = "run scripts/install-moto.sh (it installs moto[server] into .venv-moto/), "
			+ "or set -D" + COMMAND_PROPERTY + "=/path/to/moto_server";

	private static final String HOST = "127.0.0.1";

	/**
	 * Generous: a cold Python start with moto's imports takes a few seconds on a busy
	 * machine.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final int START_TRIES = 3;

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.connectTimeout(Duration.ofSeconds(2))
		.version(HttpClient.Version.HTTP_1_1)
		.build();

	private static MotoServer shared;

	private static boolean hookInstalled;

	private static String failure;

	private final Process process;

	private final URI endpoint;

	private final Path log;

	private MotoServer(Process process, URI endpoint, Path log) {
		this.process = process;
		this.endpoint = endpoint;
		this.log = log;
	}

	/**
	 * The JVM's moto server, started if needed.
	 * @throws IllegalStateException when moto cannot be found or started (the message
	 * says how to install it)
	 * @throws org.opentest4j.TestAbortedException instead, when
	 * {@value #OPTIONAL_PROPERTY} is true
	 */
	public static synchronized MotoServer shared() {
		String reason = unavailableReason().orElse(null);
		if (reason != null) {
			if (optional()) {
				Assumptions.abort("moto is not available and " + OPTIONAL_PROPERTY + "=true: " + reason);
			}
			throw new IllegalStateException(reason);
		}
		return shared;
	}

	/**
	 * Why moto cannot be used, after trying to start it once for this JVM; empty when it
	 * runs. A failure is remembered, so that later test classes do not each wait for
	 * another failed start.
	 */
	public static synchronized Optional<String> unavailableReason() {
		if (shared != null && shared.process.isAlive()) {
			return Optional.empty();
		}
		if (failure != null) {
			return Optional.of(failure);
		}
		try {
			shared = start();
		}
		catch (IllegalStateException e) {
			failure = e.getMessage();
			return Optional.of(failure);
		}
		if (!hookInstalled) {
			Runtime.getRuntime().addShutdownHook(new Thread(MotoServer::stopShared, "moto-server-stop"));
			hookInstalled = true;
		}
		return Optional.empty();
	}

	/**
	 * Whether tests may be skipped, rather than fail, without moto
	 * ({@value #OPTIONAL_PROPERTY}).
	 */
	public static boolean optional() {
		return Boolean.getBoolean(OPTIONAL_PROPERTY);
	}

	/**
	 * Stops the JVM's moto server if it runs; a later {@link #shared()} starts a new one.
	 */
	public static synchronized void stopShared() {
		if (shared != null) {
			shared.stop();
			shared = null;
		}
	}

	/** Where AWS clients should send requests: {@code http://127.0.0.1:PORT}. */
	public URI endpoint() {
		return endpoint;
	}

	/** The server's output, for when a test needs to know what moto said. */
	public Path log() {
		return log;
	}

	/**
	 * Forgets every resource in every region and service ({@code POST /moto-api/reset}).
	 */
	public void reset() {
		HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("moto reset at " + endpoint + " answered HTTP " + response.statusCode()
						+ ": " + response.body());
			}
		}
		catch (IOException e) {
			throw new IllegalStateException("could not reset moto at " + endpoint + ": " + e, e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while resetting moto", e);
		}
	}

	void stop() {
		List<ProcessHandle> children = process.descendants().toList();
		process.destroy();
		children.forEach(ProcessHandle::destroy);
		try {
			if (!process.waitFor(5, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				children.forEach(ProcessHandle::destroyForcibly);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
		}
	}

	private static MotoServer start() {
		List<String> tried = new ArrayList<>();
		Optional<Path> command = findCommand(tried);
		if (command.isEmpty()) {
			throw new IllegalStateException(
					"moto_server not found (looked at " + String.join(", ", tried) + "); " + INSTALL_HINT);
		}
		Path logDir = projectDir().resolve("target").resolve("moto");
		IllegalStateException last = null;
		for (int attempt = 1; attempt <= START_TRIES; attempt++) {
			int port = freePort();
			Path log = logDir.resolve("moto-server-" + port + ".log");
			try {
				Files.createDirectories(logDir);
				Process process = new ProcessBuilder(command.get().toString(), "-H", HOST, "-p", Integer.toString(port))
					.redirectErrorStream(true)
					.redirectOutput(log.toFile())
					.start();
				MotoServer server = new MotoServer(process, URI.create("http://" + HOST + ":" + port), log);
				server.awaitReady();
				return server;
			}
			catch (IOException e) {
				last = new IllegalStateException("could not start " + command.get() + ": " + e + "; " + INSTALL_HINT,
						e);
			}
			catch (IllegalStateException e) {
				// Most likely another process took the port between our check and moto's
				// bind: try another.
				last = e;
			}
		}
		throw last;
	}

	private void awaitReady() {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		HttpRequest probe = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
			.timeout(Duration.ofSeconds(2))
			.GET()
			.build();
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				throw new IllegalStateException("moto_server exited with status " + process.exitValue()
						+ " before answering; its output:\n" + tail(log) + "\n" + INSTALL_HINT);
			}
			try {
				HTTP.send(probe, HttpResponse.BodyHandlers.discarding());
				return;
			}
			catch (IOException e) {
				pause();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				stop();
				throw new IllegalStateException("interrupted while waiting for moto to start", e);
			}
		}
		stop();
		throw new IllegalStateException("moto_server did not answer at " + endpoint + " within " + START_TIMEOUT
				+ "; its output:\n" + tail(log));
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	static Optional<Path> findCommand(List<String> tried) {
		String explicit = System.getProperty(COMMAND_PROPERTY);
		if (explicit != null && !explicit.isBlank()) {
			tried.add(explicit);
			Path path = Path.of(explicit);
			return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
		}
		Path venv = projectDir().resolve(".venv-moto").resolve("bin").resolve("moto_server");
		tried.add(venv.toString());
		if (Files.isExecutable(venv)) {
			return Optional.of(venv);
		}
		String pathVariable = System.getenv("PATH");
		tried.add("moto_server on the PATH");
		if (pathVariable != null) {
			for (String dir : pathVariable.split(java.io.File.pathSeparator)) {
				if (!dir.isEmpty()) {
					Path candidate = Path.of(dir).resolve("moto_server");
					if (Files.isExecutable(candidate)) {
						return Optional.of(candidate);
					}
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Surefire sets {@code basedir}; an IDE usually runs tests from the project
	 * directory.
	 */
	private static Path projectDir() {
		return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new IllegalStateException("no free port on " + HOST + ": " + e, e);
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException e) {
			return "(no output: " + e + ")";
		}
	}

}
