package dev.polyfence.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.container.Dockerfile.Instruction;
import dev.polyfence.container.Dockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the image must keep, read from the Dockerfile's text (there is no Docker engine
 * here): a multi-stage build whose final stage runs on a JRE as a non-root user, the
 * layers copied least changing first, the data directory a volume the service owns, a
 * health check and graceful stop, memory from the container's limit, and no secret baked
 * in. ContainerLayoutIT runs what the stages do with the built jar.
 */
class DockerfileTest {

	static final Path DOCKERFILE = Path.of("Dockerfile");

	static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL|ACCESS_KEY|PRIVATE_KEY|API_KEY|SHA256).*");

	private static final Pattern ROOT = Pattern.compile("(root|0)(:.*)?");

	private final Dockerfile docker = Dockerfile.read(DOCKERFILE);

	private final Stage runtime = docker.last();

	@Test
	void buildsInOneStageAndRunsOnAJreInTheLast() {
		assertThat(docker.stages()).hasSizeGreaterThanOrEqualTo(2);
		assertThat(docker.stage("build").image()).startsWith("maven:");
		assertThat(runtime.name()).isNull();
		assertThat(runtime.image()).matches("eclipse-temurin:17-jre.*");
		assertThat(runtime.all("RUN")).noneMatch(run -> run.arguments().contains("mvn "));
	}

	@Test
	void runsAsANumericNonRootUserFromBeforeTheEntrypoint() {
		List<Instruction> users = runtime.all("USER");
		assertThat(users).isNotEmpty();
		Instruction user = users.get(users.size() - 1);
		assertThat(user.arguments()).matches("\\d+(:\\d+)?").doesNotMatch(ROOT);
		Instruction entrypoint = single("ENTRYPOINT");
		assertThat(runtime.indexOf(user)).isLessThan(runtime.indexOf(entrypoint));
		String uid = user.arguments().split(":")[0];
		assertThat(runtime.all("RUN")).anyMatch(run -> run.arguments().contains("--uid " + uid));
	}

	@Test
	void theEntrypointIsExecFormSoJavaGetsTheStopSignal() {
		assertThat(single("ENTRYPOINT").arguments())
			.isEqualTo("[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
		assertThat(runtime.all("STOPSIGNAL")).allMatch(s -> s.arguments().equals("SIGTERM"));
		assertThat(runtime.all("CMD")).isEmpty();
	}

	@Test
	void theBuildExtractsTheLayersAndTheRuntimeCopiesThemLeastChangingFirst() {
		assertThat(docker.stage("build").all("RUN"))
			.anyMatch(run -> run.arguments().contains(ContainerLayoutIT.EXTRACT));
		List<String> copies = runtime.all("COPY").stream().map(Instruction::arguments).toList();
		assertThat(copies).containsExactlyElementsOf(
				LAYERS.stream().map(layer -> "--from=build /build/extracted/" + layer + "/ ./").toList());
	}

	@Test
	void theDataDirectoryIsAVolumeTheServiceUserOwnsAndTheServiceUses() {
		Instruction volume = single("VOLUME");
		assertThat(volume.arguments()).isEqualTo("/data");
		assertThat(runtime.env()).containsEntry("POLYFENCE_DATA_DIR", "/data");
		// Changes to a volume's directory after VOLUME are discarded: mkdir and chown
		// come first.
		Instruction owner = runtime.all("RUN")
			.stream()
			.filter(run -> run.arguments().contains("chown polyfence:polyfence /data"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no RUN gives /data to the polyfence user"));
		assertThat(owner.arguments()).contains("mkdir /data");
		assertThat(runtime.indexOf(owner)).isLessThan(runtime.indexOf(volume));
	}

	@Test
	void aHealthCheckAsksTheReadinessProbeWithATimeout() {
		String check = single("HEALTHCHECK").arguments();
		assertThat(check).contains("--timeout=", "--start-period=", " CMD ", "/actuator/health/readiness",
				"${SERVER_PORT}");
		assertThat(runtime.env()).containsEntry("SERVER_PORT", "8080");
		assertThat(single("EXPOSE").arguments()).isEqualTo("8080");
	}

	@Test
	void theHeapFollowsTheContainersMemoryLimit() {
		String options = runtime.env().get("JAVA_TOOL_OPTIONS");
		assertThat(options).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError")
			.doesNotContain("-Xmx", "-Xms", "-XX:MaxRAM=");
	}

	@Test
	void noSecretIsBakedIntoTheImage() {
		for (Stage stage : docker.stages()) {
			assertThat(stage.env().keySet()).noneMatch(key -> SECRET_NAME.matcher(key).matches());
			assertThat(stage.all("ARG")).noneMatch(arg -> SECRET_NAME.matcher(arg.arguments()).matches());
			assertThat(stage.all("ENV")).noneMatch(env -> env.arguments().contains("SPRING_DATASOURCE_URL"));
		}
	}

	@Test
	void theBuildContextIsPomAndMainSourcesOnly() throws IOException {
		List<String> rules = Files.readAllLines(Path.of(".dockerignore"))
			.stream()
			.map(String::strip)
			.filter(line -> !line.isEmpty() && !line.startsWith("#"))
			.toList();
		assertThat(rules).containsExactly("*", "!pom.xml", "!src/", "src/test/");
	}

	private Instruction single(String keyword) {
		List<Instruction> all = runtime.all(keyword);
		assertThat(all).as(keyword).hasSize(1);
		return all.get(0);
	}

}
