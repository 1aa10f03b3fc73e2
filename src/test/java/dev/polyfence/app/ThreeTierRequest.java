package dev.polyfence.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The three-tier example policy with its bindings, planned for AWS, as the request
 * document a client sends (YAML).
 */
final class ThreeTierRequest {

	private ThreeTierRequest() {
	}

	static RequestDocument aws() {
		return new RequestDocument("policy:\n" + indent(resource("/policies/three-tier.yaml")) + "bindings:\n"
				+ indent(resource("/policies/three-tier-bindings.yaml")) + "targets: [aws]\n", true);
	}

	private static String indent(String yaml) {
		StringBuilder out = new StringBuilder();
		for (String line : yaml.split("\n")) {
			out.append("  ").append(line).append('\n');
		}
		return out.toString();
	}

	private static String resource(String path) {
		try (InputStream in = ThreeTierRequest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
