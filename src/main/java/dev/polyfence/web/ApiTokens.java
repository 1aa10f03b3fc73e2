package dev.polyfence.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The static API tokens, held as SHA-256 digests only: the service never keeps a token's
 * text, so neither a heap dump nor its configuration gives one away. A presented token is
 * hashed and compared with every digest in constant time ({@link MessageDigest#isEqual}),
 * without stopping at the first match, so the answer's timing says nothing about which
 * digest came close.
 */
final class ApiTokens {

	private final List<Entry> entries;

	private ApiTokens(List<Entry> entries) {
		this.entries = entries;
	}

	static ApiTokens of(List<SecuritySettings.ApiToken> tokens) {
		return new ApiTokens(tokens.stream()
			.map(t -> new Entry("token:" + t.name(), t.digest(),
					t.grantedRights().stream().map(Right::authority).toList()))
			.toList());
	}

	/** Only the bootstrap token, with every right (see {@link BootstrapToken}). */
	static ApiTokens bootstrap(String token) {
		return new ApiTokens(List.of(new Entry("token:bootstrap", sha256(token),
				Arrays.stream(Right.values()).map(Right::authority).toList())));
	}

	/**
	 * The caller whose token this is, or empty when no configured token has this text.
	 */
	Optional<Authentication> authenticate(String token) {
		byte[] digest = sha256(token);
		Entry found = null;
		for (Entry entry : entries) {
			if (MessageDigest.isEqual(entry.digest(), digest) && found == null) {
				found = entry;
			}
		}
		return Optional.ofNullable(found).map(e -> new ApiTokenAuthentication(e.principal(), e.authorities()));
	}

	static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java runtime has SHA-256", ex);
		}
	}

	private record Entry(String principal, byte[] digest, List<GrantedAuthority> authorities) {
	}

}
