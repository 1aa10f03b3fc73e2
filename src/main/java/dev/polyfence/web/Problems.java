package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Builds RFC 9457 problem answers the same way for the advice and for the fallback error
 * page.
 */
final class Problems {

	/**
	 * The detail of every 5xx answer: what went wrong is in the log, not in the answer.
	 */
	static final String INTERNAL_DETAIL = "The service failed to handle the request. The failure has been logged.";

	private Problems() {
	}

	static ProblemDetail of(ProblemType type, String detail, String path) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
		problem.setType(type.type());
		problem.setTitle(type.title());
		problem.setInstance(instance(path));
		return problem;
	}

	/**
	 * Gives a problem that Spring MVC built (for 404, 405, 415, ...) this service's
	 * stable type and title; a server error also loses whatever detail it had.
	 */
	static ProblemDetail normalize(ProblemDetail problem, HttpStatusCode status, String path) {
		problem.setStatus(status.value());
		ProblemType.forStatus(status).ifPresentOrElse(type -> {
			problem.setType(type.type());
			problem.setTitle(type.title());
		}, () -> {
			problem.setType(URI.create("about:blank"));
			problem.setTitle(null);
		});
		if (status.is5xxServerError()) {
			problem.setDetail(INTERNAL_DETAIL);
		}
		problem.setInstance(instance(path));
		return problem;
	}

	/**
	 * Always {@code application/problem+json}, whatever the request's Accept header asked
	 * for.
	 */
	static ResponseEntity<Object> response(ProblemDetail problem, HttpHeaders headers) {
		HttpHeaders all = new HttpHeaders();
		if (headers != null) {
			all.putAll(headers);
		}
		all.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		return ResponseEntity.status(problem.getStatus()).headers(all).body(ProblemBody.of(problem));
	}

	static String path(HttpServletRequest request) {
		return request.getRequestURI();
	}

	private static URI instance(String path) {
		if (path == null) {
			return null;
		}
		try {
			return new URI(path);
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

}
