package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 401 and 403 answers, written by the security filters before any controller runs, in
 * the same problem shape as {@link ProblemAdvice}'s. The detail says why in this
 * service's own words (or in the words of the token validators it configured); it never
 * repeats the token, nor a parser's message about it.
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

	static final String MISSING_DETAIL = "This endpoint needs a caller: send an API token or a CI OIDC token "
			+ "as 'Authorization: Bearer <token>'.";

	static final String REFUSED = "The bearer token was refused";

	private final JsonMapper json;

	SecurityProblems(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		// None was sent (the anonymous caller reached a rule that needs one), or one was
		// refused (RFC 6750).
		boolean refused = !(ex instanceof InsufficientAuthenticationException);
		String detail = refused ? REFUSED + ": " + reason(ex) + "." : MISSING_DETAIL;
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, refused ? "Bearer error=\"invalid_token\"" : "Bearer");
		write(response, Problems.of(ProblemType.UNAUTHENTICATED, detail, Problems.path(request)));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
			throws IOException {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		String who = caller == null ? "The caller" : "The caller " + caller.getName();
		String detail = Right.requiredBy(request)
			.map(right -> who + " lacks the right '" + right.configName() + "' that " + request.getMethod() + " "
					+ Problems.path(request) + " needs.")
			.orElse(who + " may not do this.");
		write(response, Problems.of(ProblemType.FORBIDDEN, detail, Problems.path(request)));
	}

	/**
	 * Only texts this service wrote: its own refusals and the descriptions of its
	 * validators.
	 */
	private static String reason(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			if (t instanceof BearerTokens.RefusedTokenException refused) {
				return refused.getMessage();
			}
			if (t instanceof JwtValidationException invalid) {
				return invalid.getErrors()
					.stream()
					.map(OAuth2Error::getDescription)
					.map(SecurityProblems::lowerFirst)
					.collect(Collectors.joining("; "));
			}
		}
		return "it is not a known API token nor a JWT this service can verify";
	}

	private static String lowerFirst(String text) {
		return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
	}

	private void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(json.writeValueAsBytes(ProblemBody.of(problem)));
	}

}
