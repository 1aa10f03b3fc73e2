package dev.polyfence.web;

import dev.polyfence.app.CloudAccessException;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.ScopeNotFoundException;

import dev.polyfence.policy.InvalidDocumentException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where failures become RFC 9457 problems. Spring MVC's own failures (404,
 * 405, 406, 415, unreadable requests) come through {@link ResponseEntityExceptionHandler}
 * and get this service's stable types; document failures get 400 or 422 with every
 * problem listed; anything else is logged and answered with a 500 that says nothing about
 * the service's insides.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

	/** The outcome of a request whose client left before the answer. */
	static final String CLIENT_GONE = "client-gone";

	/** nginx's status for a request whose client closed the connection first. */
	private static final int CLIENT_CLOSED_REQUEST = 499;

	/**
	 * 400 when the body cannot be read as YAML or JSON at all (or hits a parser limit),
	 * 422 when it reads but is wrong; either way {@code errors} lists every problem at
	 * its JSON Pointer.
	 */
	@ExceptionHandler(InvalidDocumentException.class)
	ResponseEntity<Object> invalidDocument(InvalidDocumentException ex, HttpServletRequest request) {
		boolean syntax = ex.kind() == InvalidDocumentException.Kind.SYNTAX;
		ProblemType type = syntax ? ProblemType.MALFORMED_DOCUMENT : ProblemType.INVALID_DOCUMENT;
		int count = ex.problems().size();
		String detail = syntax ? "The request body could not be read as YAML or JSON."
				: count == 1 ? "The document has 1 problem." : "The document has " + count + " problems.";
		ProblemDetail problem = Problems.of(type, detail, Problems.path(request));
		List<DocumentError> errors = ex.problems()
			.stream()
			.map(p -> new DocumentError(p.pointer(), p.message()))
			.toList();
		problem.setProperty(ProblemBody.ERRORS, errors);
		return Problems.response(problem, null);
	}

	@ExceptionHandler(BodyTooLargeException.class)
	ResponseEntity<Object> bodyTooLarge(BodyTooLargeException ex, HttpServletRequest request) {
		return Problems.response(Problems.of(ProblemType.BODY_TOO_LARGE,
				"The request body is larger than the limit of " + ex.limit() + " bytes.", Problems.path(request)),
				null);
	}

	/**
	 * Bytes that are not even text: shaped like the parser's syntax problems, one error
	 * at pointer "".
	 */
	@ExceptionHandler(MalformedBodyException.class)
	ResponseEntity<Object> malformedBody(MalformedBodyException ex, HttpServletRequest request) {
		ProblemDetail problem = Problems.of(ProblemType.MALFORMED_DOCUMENT, ex.getMessage(), Problems.path(request));
		problem.setProperty(ProblemBody.ERRORS, List.of(new DocumentError("", ex.getMessage())));
		return Problems.response(problem, null);
	}

	/**
	 * Tomcat reads the query string only when a handler asks for a parameter, and throws
	 * then if it is malformed.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	ResponseEntity<Object> unreadableQuery(InvalidParameterException ex, HttpServletRequest request) {
		return Problems.response(Problems.of(ProblemType.BAD_REQUEST,
				"The query string could not be read: each parameter must be name=value, percent-encoded as UTF-8.",
				Problems.path(request)), null);
	}

	@ExceptionHandler(BadQueryException.class)
	ResponseEntity<Object> badQuery(BadQueryException ex, HttpServletRequest request) {
		return Problems.response(Problems.of(ProblemType.BAD_REQUEST, ex.getMessage(), Problems.path(request)), null);
	}

	@ExceptionHandler(PlanException.class)
	ResponseEntity<Object> plan(PlanException ex, HttpServletRequest request) {
		ProblemType type = switch (ex.kind()) {
			case NOT_FOUND -> ProblemType.NOT_FOUND;
			case EXPIRED -> ProblemType.PLAN_EXPIRED;
			case ALREADY_APPLIED -> ProblemType.PLAN_ALREADY_APPLIED;
			case HAS_ERRORS -> ProblemType.PLAN_HAS_ERRORS;
			case STALE -> ProblemType.STALE_PLAN;
			case TARGET_LOCKED -> ProblemType.TARGET_LOCKED;
			case SHUTTING_DOWN -> ProblemType.SHUTTING_DOWN;
		};
		return Problems.response(Problems.of(type, ex.getMessage(), Problems.path(request)), null);
	}

	/**
	 * The message says what was read where and why it failed; it never holds credentials.
	 */
	@ExceptionHandler({ CloudAccessException.class, ScopeNotFoundException.class })
	ResponseEntity<Object> cloud(RuntimeException ex, HttpServletRequest request) {
		return Problems.response(Problems.of(ProblemType.CLOUD_UNAVAILABLE, ex.getMessage(), Problems.path(request)),
				null);
	}

	/**
	 * A translation or plan stopped before its end. Over its budget: 503 with
	 * {@code Retry-After}. Stopped by the shutdown: 503 {@code shutting-down}. Its client
	 * gone: nothing is written (nobody reads it); 499 (as nginx logs it) for the server's
	 * own request metrics. BoundedWork has logged it already.
	 */
	@ExceptionHandler(WorkStoppedException.class)
	ResponseEntity<Object> workStopped(WorkStoppedException ex, HttpServletRequest request,
			HttpServletResponse response) {
		return switch (ex.reason()) {
			case OVER_BUDGET -> overBudget(ex, request);
			case SHUTDOWN -> Problems.response(Problems.of(ProblemType.SHUTTING_DOWN,
					"This instance is shutting down and stopped the work; nothing was stored. Try again on another"
							+ " replica or after the restart.",
					Problems.path(request)), null);
			case CLIENT_GONE -> clientGone(request, response);
		};
	}

	private static ResponseEntity<Object> overBudget(WorkStoppedException ex, HttpServletRequest request) {
		long millis = ex.budget().toMillis();
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
		String detail = "The work took longer than its time budget of " + millis + " ms and was stopped; nothing"
				+ " was stored. Try again later; if it happens again, the policy may be too costly to translate"
				+ " (many addresses, many rules): split it or merge addresses.";
		return Problems.response(Problems.of(ProblemType.TIME_BUDGET_EXCEEDED, detail, Problems.path(request)),
				headers);
	}

	/** Nothing is written: nobody would read it. */
	private static ResponseEntity<Object> clientGone(HttpServletRequest request, HttpServletResponse response) {
		ProblemOutcome.note(request, CLIENT_GONE);
		response.setStatus(CLIENT_CLOSED_REQUEST);
		return null;
	}

	/**
	 * The client closed its connection (or stalled past Tomcat's connection timeout)
	 * while it sent its body: nobody reads an answer, so none is written, and it is no
	 * failure of the service.
	 */
	@ExceptionHandler(ClientAbortException.class)
	ResponseEntity<Object> clientAbort(ClientAbortException ex, HttpServletRequest request,
			HttpServletResponse response) {
		log.debug("{} {}: the client went away before its request was read ({})", request.getMethod(),
				request.getRequestURI(), ex.getMessage());
		return clientGone(request, response);
	}

	/**
	 * The database is down or unreachable: a 503 that clients may retry, logged with the
	 * cause. The answer does not say more (a JDBC message can name hosts and users).
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, TransientDataAccessException.class })
	ResponseEntity<Object> storage(DataAccessException ex, HttpServletRequest request) {
		log.error("Database unavailable handling {} {}: {}", request.getMethod(), request.getRequestURI(),
				ex.getMessage());
		return Problems.response(Problems.of(ProblemType.STORAGE_UNAVAILABLE,
				"The service's database is unavailable; nothing was stored or changed. Try again later.",
				Problems.path(request)), null);
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Object> unexpected(Exception ex, HttpServletRequest request) {
		log.error("Unexpected failure handling {} {}", request.getMethod(), request.getRequestURI(), ex);
		return Problems
			.response(Problems.of(ProblemType.INTERNAL_ERROR, Problems.INTERNAL_DETAIL, Problems.path(request)), null);
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		if (status.is5xxServerError()) {
			log.error("Failure handling {}", request.getDescription(false), ex);
		}
		return super.handleExceptionInternal(ex, body, headers, status, request);
	}

	@Override
	protected ResponseEntity<Object> createResponseEntity(Object body, HttpHeaders headers, HttpStatusCode status,
			WebRequest request) {
		ProblemDetail problem = body instanceof ProblemDetail detail ? detail : ProblemDetail.forStatus(status);
		return Problems.response(Problems.normalize(problem, status, path(request)), headers);
	}

	private static String path(WebRequest request) {
		if (request instanceof NativeWebRequest nativeRequest
				&& nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest) {
			return Problems.path(servletRequest);
		}
		return null;
	}

}
