package dev.polyfence.web;

import java.net.http.HttpRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The callers of the HTTP tests: the token texts whose SHA-256 digests
 * {@code src/test/resources/config/application.yaml} configures, and the one way the
 * tests put a token on a request.
 */
public final class TestCallers {

	/** {@code token:test}, with the rights plan and apply. */
	public static final String API_TOKEN = "pf_test_Kq3vN8xR2mW7yZ4bT6hJ9cL1pF5sD0gA8eU2iO7nV3w";

	/** {@code token:test-plan-only}, with the right plan only. */
	static final String PLAN_ONLY_TOKEN = "pf_test_planOnly_Xr5tY8uI2oP4aS6dF9gH1jK3lZ7xC0vB";

	private TestCallers() {
	}

	/** MockMvc: the request comes from {@code token:test}. */
	static RequestPostProcessor apiToken() {
		return bearer(API_TOKEN);
	}

	/** MockMvc: the request carries this bearer token. */
	static RequestPostProcessor bearer(String token) {
		return request -> {
			request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
			return request;
		};
	}

	/** JDK HTTP client: the request carries this bearer token. */
	static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
		return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
	}

}
