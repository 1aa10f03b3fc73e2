package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtIssuerAuthenticationManagerResolver;

/**
 * Tells the two kinds of bearer token apart. The API token table is asked first, for
 * every token: hashing is cheap and a match is unambiguous. A token the table does not
 * know is read as a JWT only if it has the shape of one (three parts, two dots); the
 * issuer it names then picks the manager that verifies it. Anything else is refused.
 */
final class BearerTokens implements AuthenticationManagerResolver<HttpServletRequest> {

	private final ApiTokens apiTokens;

	private final AuthenticationManagerResolver<HttpServletRequest> jwts;

	BearerTokens(ApiTokens apiTokens, JwtIssuers issuers) {
		this.apiTokens = apiTokens;
		this.jwts = issuers.isEmpty() ? null : new JwtIssuerAuthenticationManagerResolver(issuer -> {
			AuthenticationManager manager = issuers.resolve(issuer);
			if (manager == null) {
				throw new RefusedTokenException("its issuer is not trusted by this service");
			}
			return manager;
		});
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		return authentication -> {
			String token = ((BearerTokenAuthenticationToken) authentication).getToken();
			Optional<Authentication> caller = apiTokens.authenticate(token);
			if (caller.isPresent()) {
				return caller.get();
			}
			if (jwts != null && isJwtShaped(token)) {
				return jwts.resolve(request).authenticate(authentication);
			}
			throw new RefusedTokenException(
					jwts == null ? "it is not a known API token" : "it is neither a known API token nor a JWT");
		};
	}

	static boolean isJwtShaped(String token) {
		int first = token.indexOf('.');
		int second = first < 0 ? -1 : token.indexOf('.', first + 1);
		return first > 0 && second > first + 1 && second < token.length() - 1 && token.indexOf('.', second + 1) < 0;
	}

	/** A refusal whose message is this service's own words, safe to put in the answer. */
	static final class RefusedTokenException extends InvalidBearerTokenException {

		RefusedTokenException(String reason) {
			super(reason);
		}

	}

}
