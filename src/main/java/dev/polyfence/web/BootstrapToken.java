package dev.polyfence.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The newcomer's token: when no API token and no issuer is configured, the service is not
 * left open. It makes a random token with every right, writes it to a file only its owner
 * can read and reuses it on the next start; the log names the file, never the token.
 * Meant for one instance on one disk; replicas share configured tokens instead.
 */
final class BootstrapToken {

	static final String FILE_NAME = "bootstrap-token";

	/** {@code pf_} and 32 random bytes in base64url without padding (43 characters). */
	private static final Pattern FORMAT = Pattern.compile("pf_[A-Za-z0-9_-]{43}");

	private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

	private static final Logger log = LoggerFactory.getLogger(BootstrapToken.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	private BootstrapToken() {
	}

	/**
	 * The token in {@code <dataDir>/bootstrap-token}, made there first if the file does
	 * not exist.
	 */
	static String readOrCreate(Path dataDir) {
		Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
		try {
			if (Files.exists(file)) {
				String token = read(file);
				log.info("No API token or JWT issuer is configured; callers use the bootstrap token in {} "
						+ "(rights plan and apply)", file);
				return token;
			}
			String token = create(file);
			log.info("No API token or JWT issuer is configured; made a bootstrap token with the rights plan and "
					+ "apply in {} (readable by its owner only)", file);
			return token;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the bootstrap token file " + file, ex);
		}
	}

	static String newToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return "pf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String create(Path file) throws IOException {
		Files.createDirectories(file.getParent());
		String token = newToken();
		try {
			if (supportsPosix(file)) {
				FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_ONLY);
				Files.createFile(file, ownerOnly);
				Files.setPosixFilePermissions(file, OWNER_ONLY);
			}
			else {
				Files.createFile(file);
			}
		}
		catch (FileAlreadyExistsException ex) {
			// Another start made it between our look and our write: use that one.
			return read(file);
		}
		Files.writeString(file, token + "\n", StandardCharsets.US_ASCII);
		return token;
	}

	private static String read(Path file) throws IOException {
		if (supportsPosix(file)) {
			Files.setPosixFilePermissions(file, OWNER_ONLY);
		}
		String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
		if (!FORMAT.matcher(token).matches()) {
			// Never say what the file holds: it may be someone's real token.
			throw new IllegalStateException("The bootstrap token file " + file
					+ " does not hold a token of this service (pf_ and 43 base64url characters); "
					+ "delete it to have a new one made, or configure polyfence.security.tokens");
		}
		return token;
	}

	private static boolean supportsPosix(Path file) {
		return file.getFileSystem().supportedFileAttributeViews().contains("posix");
	}

}
