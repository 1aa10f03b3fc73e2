package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * API tokens are looked up first; only an unknown token shaped like a JWT goes to the
 * issuers, whose keys are fetched on the first such token and never at start.
 */
class BearerTokensTest {

	@Test
	void tellsJwtShapedTokensApart() {
		assertThat(BearerTokens.isJwtShaped("aaa.bbb.ccc")).isTrue();
		assertThat(BearerTokens.isJwtShaped("pf_abc-def_ghi")).isFalse();
		assertThat(BearerTokens.isJwtShaped("aaa.bbb")).isFalse();
		assertThat(BearerTokens.isJwtShaped("aaa.bbb.ccc.ddd.eee")).isFalse();
		assertThat(BearerTokens.isJwtShaped(".bbb.ccc")).isFalse();
		assertThat(BearerTokens.isJwtShaped("aaa..ccc")).isFalse();
		assertThat(BearerTokens.isJwtShaped("aaa.bbb.")).isFalse();
	}

	@Test
	void anApiTokenNeedsNoIssuerAndAnUnknownOneIsRefused() {
		String token = BootstrapToken.newToken();
		BearerTokens tokens = new BearerTokens(ApiTokens.bootstrap(token), new JwtIssuers(List.of()));
		assertThat(authenticate(tokens, token).getName()).isEqualTo("token:bootstrap");
		assertThatThrownBy(() -> authenticate(tokens, BootstrapToken.newToken()))
			.isInstanceOf(InvalidBearerTokenException.class)
			.hasMessage("it is not a known API token");
	}

	@Test
	void theIssuerIsOnlyAskedWhenATokenOfItArrives() {
		try (OidcIssuerFake fake = OidcIssuerFake.start()) {
			SecuritySettings.Issuer issuer = new SecuritySettings.Issuer(fake.issuer("gitlab"), null, "polyfence",
					List.of(new SecuritySettings.Rule(Map.of("project_path", "acme/*"), List.of("plan"))));
			BearerTokens tokens = new BearerTokens(ApiTokens.of(List.of()), new JwtIssuers(List.of(issuer)));
			assertThat(fake.requests("/gitlab/.well-known/openid-configuration")).isZero();
			assertThat(fake.requests("/gitlab/jwks")).isZero();
			Authentication caller = authenticate(tokens,
					fake.token("gitlab", "polyfence", "project_path:acme/infra", Map.of("project_path", "acme/infra")));
			assertThat(caller.getName()).isEqualTo("jwt:" + fake.issuer("gitlab") + ":project_path:acme/infra");
			assertThat(caller.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("plan");
			assertThat(fake.requests("/gitlab/.well-known/openid-configuration")).isOne();
			assertThat(fake.requests("/gitlab/jwks")).isPositive();
		}
	}

	/**
	 * An issuer that cannot be reached is the service's trouble, not the caller's: no 401
	 * for it.
	 */
	@Test
	void anUnreachableIssuerIsNotARefusedToken() {
		String issuerUrl;
		String token;
		try (OidcIssuerFake fake = OidcIssuerFake.start()) {
			issuerUrl = fake.issuer("gitlab");
			token = fake.token("gitlab", "polyfence", "project_path:acme/infra", Map.of("project_path", "acme/infra"));
		}
		// The fake is stopped: neither discovery nor the keys can be fetched.
		for (URI jwks : Arrays.asList(null, URI.create(issuerUrl + "/jwks"))) {
			SecuritySettings.Issuer issuer = new SecuritySettings.Issuer(issuerUrl, jwks, "polyfence",
					List.of(new SecuritySettings.Rule(Map.of("project_path", "acme/*"), List.of("plan"))));
			BearerTokens tokens = new BearerTokens(ApiTokens.of(List.of()), new JwtIssuers(List.of(issuer)));
			assertThatThrownBy(() -> authenticate(tokens, token)).as("jwk-set-uri %s", jwks)
				.isNotInstanceOf(InvalidBearerTokenException.class);
		}
	}

	private static Authentication authenticate(BearerTokens tokens, String token) {
		return tokens.resolve(new MockHttpServletRequest()).authenticate(new BearerTokenAuthenticationToken(token));
	}

}
