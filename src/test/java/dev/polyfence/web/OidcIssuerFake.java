package dev.polyfence.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CI OIDC issuers on 127.0.0.1, for tests that must not leave the machine: each issuer,
 * named by a path ({@code /github}, {@code /gitlab}), publishes its signing key at
 * {@code <issuer>/jwks} and an OpenID discovery document at
 * {@code <issuer>/.well-known/openid-configuration}, and signs tokens with that key
 * (RS256, made fresh for every fake). Counts the requests it answers, per path.
 */
final class OidcIssuerFake implements AutoCloseable {

	private final HttpServer server;

	private final RSAKey key;

	/**
	 * Same key id, other key: what a forger without the issuer's private key can sign
	 * with.
	 */
	private final RSAKey forgedKey;

	private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

	private OidcIssuerFake(HttpServer server, RSAKey key, RSAKey forgedKey) {
		this.server = server;
		this.key = key;
		this.forgedKey = forgedKey;
	}

	static OidcIssuerFake start() {
		try {
			RSAKey key = new RSAKeyGenerator(2048).keyID("test-key").generate();
			RSAKey forged = new RSAKeyGenerator(2048).keyID("test-key").generate();
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			OidcIssuerFake fake = new OidcIssuerFake(server, key, forged);
			server.createContext("/", fake::answer);
			server.start();
			return fake;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The {@code iss} of the issuer at this path, e.g.
	 * {@code http://127.0.0.1:4711/github}.
	 */
	String issuer(String name) {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
	}

	int requests(String path) {
		return requests.getOrDefault(path, new AtomicInteger()).get();
	}

	/**
	 * A token of the issuer, valid for ten minutes, with these claims on top of iss, aud
	 * and sub.
	 */
	String token(String name, String audience, String subject, Map<String, Object> claims) {
		return sign(key, claims(issuer(name), audience, subject, claims, Instant.now().plus(Duration.ofMinutes(10))));
	}

	String expiredToken(String name, String audience, String subject, Map<String, Object> claims) {
		return sign(key, claims(issuer(name), audience, subject, claims, Instant.now().minus(Duration.ofMinutes(10))));
	}

	/** Says it comes from the issuer, but is signed with another key. */
	String forgedToken(String name, String audience, String subject, Map<String, Object> claims) {
		return sign(forgedKey,
				claims(issuer(name), audience, subject, claims, Instant.now().plus(Duration.ofMinutes(10))));
	}

	@Override
	public void close() {
		server.stop(0);
	}

	private static JWTClaimsSet claims(String issuer, String audience, String subject, Map<String, Object> claims,
			Instant expiry) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer)
			.audience(List.of(audience))
			.subject(subject)
			.issueTime(Date.from(expiry.minus(Duration.ofMinutes(20))))
			.notBeforeTime(Date.from(expiry.minus(Duration.ofMinutes(20))))
			.expirationTime(Date.from(expiry));
		claims.forEach(builder::claim);
		return builder.build();
	}

	private static String sign(RSAKey with, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner(with));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void answer(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
		String body = null;
		if (path.endsWith("/jwks")) {
			body = new JWKSet(key.toPublicJWK()).toString();
		}
		else if (path.endsWith("/.well-known/openid-configuration")) {
			String issuer = issuer(path.substring(1, path.indexOf("/.well-known/")));
			body = "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\","
					+ "\"response_types_supported\":[\"id_token\"],\"subject_types_supported\":[\"public\"],"
					+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
		}
		byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

}
