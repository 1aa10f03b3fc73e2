package dev.polyfence.web;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.client.RestOperations;
import org.springframework.web.client.RestTemplate;

/**
 * One authentication manager per trusted issuer, picked by the {@code iss} of the (not
 * yet verified) token; an issuer that is not configured gets none, and its tokens are
 * refused. Each manager checks the signature with the issuer's published keys
 * ({@code jwk-set-uri}, or the {@code jwks_uri} of its OpenID discovery document), the
 * expiry, the issuer and that {@code aud} holds the configured audience, then gives the
 * rights of the matching claim rules. Keys and discovery are fetched on the first token,
 * so the service starts without the network.
 */
final class JwtIssuers implements AuthenticationManagerResolver<String> {

	/**
	 * How long a call to an issuer (discovery, keys) may take. A call that fails fails
	 * the request (500, logged); the next token of that issuer tries again.
	 */
	private static final Duration ISSUER_TIMEOUT = Duration.ofSeconds(5);

	/** The caller's name is made from {@code sub}: a token without one names nobody. */
	private static final OAuth2TokenValidator<Jwt> SUBJECT = jwt -> jwt.getSubject() != null
			&& !jwt.getSubject().isBlank() ? OAuth2TokenValidatorResult.success()
					: OAuth2TokenValidatorResult
						.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "it has no sub claim", null));

	private final Map<String, AuthenticationManager> managers = new LinkedHashMap<>();

	JwtIssuers(List<SecuritySettings.Issuer> issuers) {
		RestOperations http = restOperations();
		issuers.forEach(issuer -> managers.put(issuer.issuer(), manager(issuer, http)));
	}

	boolean isEmpty() {
		return managers.isEmpty();
	}

	/**
	 * The manager of a trusted issuer, or {@code null} (refused as an untrusted issuer).
	 */
	@Override
	public AuthenticationManager resolve(String issuer) {
		return managers.get(issuer);
	}

	private static AuthenticationManager manager(SecuritySettings.Issuer issuer, RestOperations http) {
		JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder(issuer, http));
		ClaimRules rules = new ClaimRules(issuer.rules());
		String prefix = "jwt:" + issuer.issuer() + ":";
		provider.setJwtAuthenticationConverter(jwt -> {
			List<GrantedAuthority> authorities = rules.rightsOf(jwt.getClaims())
				.stream()
				.map(Right::authority)
				.toList();
			return new JwtAuthenticationToken(jwt, authorities, prefix + jwt.getSubject());
		});
		return provider::authenticate;
	}

	private static JwtDecoder decoder(SecuritySettings.Issuer issuer, RestOperations http) {
		OAuth2TokenValidator<Jwt> validator = JwtValidators
			.createDefaultWithValidators(new JwtIssuerValidator(issuer.issuer()), audience(issuer.audience()), SUBJECT);
		Supplier<JwtDecoder> build = () -> {
			NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = issuer.jwkSetUri() != null
					? NimbusJwtDecoder.withJwkSetUri(issuer.jwkSetUri().toString())
					: NimbusJwtDecoder.withIssuerLocation(issuer.issuer());
			NimbusJwtDecoder decoder = builder.restOperations(http).build();
			decoder.setJwtValidator(validator);
			return decoder;
		};
		// Lazily: discovery and keys are fetched on the first token, not at start.
		return new SupplierJwtDecoder(build);
	}

	private static OAuth2TokenValidator<Jwt> audience(String audience) {
		OAuth2Error error = new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
				"its aud claim does not contain " + audience, null);
		return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(audience)
				? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(error);
	}

	private static RestOperations restOperations() {
		HttpClient client = HttpClient.newBuilder().connectTimeout(ISSUER_TIMEOUT).build();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(ISSUER_TIMEOUT);
		return new RestTemplate(factory);
	}

}
