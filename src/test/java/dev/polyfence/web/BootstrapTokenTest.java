package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The newcomer's token: random, owner-only, kept across restarts, and only its path is
 * logged.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootstrapTokenTest {

	@TempDir
	Path dataDir;

	@Test
	void makesARandomTokenInAnOwnerOnlyFileAndLogsOnlyThePath(CapturedOutput output) throws IOException {
		Path inData = dataDir.resolve("data");
		String token = BootstrapToken.readOrCreate(inData);
		Path file = inData.resolve("bootstrap-token");
		assertThat(token).matches("pf_[A-Za-z0-9_-]{43}");
		assertThat(Files.readString(file, StandardCharsets.US_ASCII).strip()).isEqualTo(token);
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		}
		assertThat(output).contains(file.toAbsolutePath().toString())
			.doesNotContain(token)
			.doesNotContain(token.substring(3, 20));
	}

	@Test
	void reusesTheTokenOnRestart(CapturedOutput output) {
		String first = BootstrapToken.readOrCreate(dataDir);
		String second = BootstrapToken.readOrCreate(dataDir);
		assertThat(second).isEqualTo(first);
		assertThat(output).doesNotContain(first);
	}

	@Test
	void tightensLoosePermissionsOfAnExistingFile() throws IOException {
		Path file = dataDir.resolve("bootstrap-token");
		Files.writeString(file, BootstrapToken.newToken() + "\n");
		if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
			BootstrapToken.readOrCreate(dataDir);
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		}
	}

	@Test
	void everyTokenIsNew() {
		assertThat(BootstrapToken.newToken()).isNotEqualTo(BootstrapToken.newToken());
	}

	@Test
	void aFileThatHoldsSomethingElseStopsTheStartWithoutShowingIt() throws IOException {
		Files.writeString(dataDir.resolve("bootstrap-token"), "my-real-password\n");
		assertThatIllegalStateException().isThrownBy(() -> BootstrapToken.readOrCreate(dataDir))
			.withMessageContaining("delete it to have a new one made")
			.withMessageNotContaining("my-real-password");
	}

	@Test
	void theBootstrapTokenHasEveryRight() {
		String token = BootstrapToken.newToken();
		ApiTokens tokens = ApiTokens.bootstrap(token);
		assertThat(tokens.authenticate(token)).get().satisfies(caller -> {
			assertThat(caller.getName()).isEqualTo("token:bootstrap");
			assertThat(caller.getAuthorities()).extracting(GrantedAuthority::getAuthority)
				.containsExactly("plan", "apply");
		});
		assertThat(tokens.authenticate(BootstrapToken.newToken())).isEmpty();
	}

}
