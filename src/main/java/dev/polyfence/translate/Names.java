package dev.polyfence.translate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Stable generated names: the same input always gives the same name, within a length
 * limit and unique in a scope.
 */
public final class Names {

	private static final int HASH_LENGTH = 8;

	private Names() {
	}

	/**
	 * {@code name} itself when it fits {@code max} and is not taken; otherwise its start,
	 * a hyphen and a short hash of the whole name (and of {@code salt}, which tells apart
	 * names that collide).
	 */
	public static String unique(String name, int max, Set<String> taken, String salt) {
		if (name.length() <= max && !taken.contains(name)) {
			return name;
		}
		String input = name;
		for (int attempt = 0;; attempt++) {
			String hash = hash(input + "\n" + salt + "\n" + attempt);
			String stem = name.substring(0, Math.min(name.length(), max - HASH_LENGTH - 1));
			while (stem.endsWith("-")) {
				stem = stem.substring(0, stem.length() - 1);
			}
			String candidate = stem + "-" + hash;
			if (!taken.contains(candidate)) {
				return candidate;
			}
		}
	}

	static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 is part of every JDK", e);
		}
	}

}
