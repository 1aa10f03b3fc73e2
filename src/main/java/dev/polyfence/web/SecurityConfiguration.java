package dev.polyfence.web;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every request needs a caller except the health probes and the metrics scrape. Callers
 * come with a bearer token only (an API token or a CI OIDC JWT): no sessions, no cookies
 * and so no CSRF, no login form, no HTTP Basic. What each caller may do is
 * {@link Right}'s table; anything it does not name needs a caller but no particular
 * right.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain api(HttpSecurity http, AuthenticationManagerResolver<HttpServletRequest> bearerTokens,
			SecurityProblems problems) throws Exception {
		http.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.exceptionHandling(
					exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
			.addFilterBefore(bearerTokenFilter(bearerTokens, problems), AnonymousAuthenticationFilter.class)
			.authorizeHttpRequests(requests -> {
				// The error page renders a failure that was already let in (or refused)
				// on the way.
				requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
				requests.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll();
				for (Right right : Right.values()) {
					requests.requestMatchers(right.requests()).hasAuthority(right.authority().getAuthority());
				}
				requests.anyRequest().authenticated();
			});
		return http.build();
	}

	/**
	 * The resource server's bearer token filter, added by hand rather than through
	 * {@code oauth2ResourceServer()}: that would also serve RFC 9728 metadata at
	 * {@code /.well-known/oauth-protected-resource}, an endpoint open to anyone that this
	 * API does not have. A refused token is answered by {@link SecurityProblems}; a
	 * failure to reach an issuer is not the caller's fault and ends as a 500.
	 */
	private static BearerTokenAuthenticationFilter bearerTokenFilter(
			AuthenticationManagerResolver<HttpServletRequest> bearerTokens, SecurityProblems problems) {
		BearerTokenAuthenticationFilter filter = new BearerTokenAuthenticationFilter(bearerTokens);
		// Both ways a token is refused: unreadable (a malformed header) and not accepted.
		filter.setAuthenticationEntryPoint(problems);
		filter.setAuthenticationFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
		return filter;
	}

	/**
	 * Also keeps Spring Boot from making its default user (and from logging that user's
	 * generated password): it backs off when an authentication manager resolver is
	 * defined.
	 */
	@Bean
	AuthenticationManagerResolver<HttpServletRequest> bearerTokens(ApiTokens apiTokens, SecuritySettings settings) {
		return new BearerTokens(apiTokens, new JwtIssuers(settings.jwt().issuers()));
	}

	@Bean
	ApiTokens apiTokens(SecuritySettings settings, @Value("${polyfence.data-dir}") Path dataDir) {
		if (!settings.isEmpty()) {
			return ApiTokens.of(settings.tokens());
		}
		return ApiTokens.bootstrap(BootstrapToken.readOrCreate(dataDir));
	}

	@Bean
	SecurityProblems securityProblems(JsonMapper json) {
		return new SecurityProblems(json);
	}

	/**
	 * A request the firewall refuses (an encoded slash, a semicolon in the path) gets a
	 * 400 problem from the error page, rather than an exception that would end as a 500.
	 */
	@Bean
	RequestRejectedHandler requestRejectedHandler() {
		return new HttpStatusRequestRejectedHandler(HttpStatus.BAD_REQUEST.value());
	}

	/**
	 * Spring Security's firewall, except that a method it does not know (QUERY, say) is
	 * not refused with 400 but passed on, so that Spring MVC answers 405 with the methods
	 * it has in {@code Allow}. That is safe here: the rights name their methods, every
	 * other request needs a caller, and no handler takes a method it does not declare.
	 */
	@Bean
	HttpFirewall httpFirewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setUnsafeAllowAnyHttpMethod(true);
		return firewall;
	}

}
