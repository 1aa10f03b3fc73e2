package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * What a caller may do. Each right names the requests it opens, so the filter chain and
 * the 403 answer read the same table: {@code plan} reads and writes plans and
 * translations and reads the audit trail, {@code apply} changes a cloud.
 */
enum Right {

	PLAN(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/translations"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/plans"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/plans/**"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/schemas/**"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v1/audit"),
			// Spring MVC answers HEAD with the GET handler: it must need the same right.
			PathPatternRequestMatcher.pathPattern(HttpMethod.HEAD, "/v1/plans/**"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.HEAD, "/v1/schemas/**"),
			PathPatternRequestMatcher.pathPattern(HttpMethod.HEAD, "/v1/audit")),

	APPLY(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, "/v1/plans/*/apply"));

	private final List<RequestMatcher> requests;

	private final GrantedAuthority authority;

	Right(RequestMatcher... requests) {
		this.requests = List.of(requests);
		this.authority = new SimpleGrantedAuthority(configName());
	}

	/**
	 * How the right is written in configuration and in the answers: {@code plan},
	 * {@code apply}.
	 */
	String configName() {
		return name().toLowerCase(Locale.ROOT);
	}

	GrantedAuthority authority() {
		return authority;
	}

	RequestMatcher[] requests() {
		return requests.toArray(RequestMatcher[]::new);
	}

	/** The right a request needs, or none when any caller (or nobody) may send it. */
	static Optional<Right> requiredBy(HttpServletRequest request) {
		return Arrays.stream(values()).filter(r -> r.requests.stream().anyMatch(m -> m.matches(request))).findFirst();
	}

	/**
	 * The right a configured name stands for; names are matched exactly, as the
	 * documentation writes them.
	 */
	static Optional<Right> parse(String name) {
		return Arrays.stream(values()).filter(r -> r.configName().equals(name)).findFirst();
	}

	/** "plan, apply", for messages that list the rights there are. */
	static String names() {
		return Arrays.stream(values()).map(Right::configName).collect(Collectors.joining(", "));
	}

}
