package dev.polyfence.plan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A short, stable digest of the live state a plan saw, so an apply can tell that it
 * changed.
 */
public final class Fingerprint {

	private Fingerprint() {
	}

	/**
	 * SHA-256 of the lines, sorted, so the order the API listed things in does not
	 * matter.
	 */
	public static String of(List<String> lines) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			lines.stream().sorted().forEach(line -> {
				digest.update(line.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) '\n');
			});
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every JDK", e);
		}
	}

}
