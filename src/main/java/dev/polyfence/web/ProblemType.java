package dev.polyfence.web;

import java.net.URI;
import java.util.Arrays;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The kinds of problem this service answers with. The {@code type} URIs are a public
 * contract: clients match on them, so one is never renamed or reused for something else.
 */
enum ProblemType {

	/**
	 * The body is not YAML or JSON at all, or it hits a size, alias or nesting limit of
	 * the parser.
	 */
	MALFORMED_DOCUMENT("malformed-document", HttpStatus.BAD_REQUEST, "Malformed document"),

	/**
	 * The body parses but breaks the schema or the policy's rules; {@code errors} lists
	 * every problem.
	 */
	INVALID_DOCUMENT("invalid-document", HttpStatus.UNPROCESSABLE_CONTENT, "Invalid document"),

	/**
	 * The request is malformed in a way that has nothing to do with the document (a bad
	 * header, say).
	 */
	BAD_REQUEST("bad-request", HttpStatus.BAD_REQUEST, "Bad request"),

	/**
	 * No caller, or a bearer token that is unknown, expired, wrongly signed or for
	 * another audience.
	 */
	UNAUTHENTICATED("unauthenticated", HttpStatus.UNAUTHORIZED, "Unauthenticated"),

	/** The caller is known but lacks the right the request needs. */
	FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden"),

	NOT_FOUND("not-found", HttpStatus.NOT_FOUND, "Not found"),

	METHOD_NOT_ALLOWED("method-not-allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed"),

	NOT_ACCEPTABLE("not-acceptable", HttpStatus.NOT_ACCEPTABLE, "Not acceptable"),

	BODY_TOO_LARGE("body-too-large", HttpStatus.CONTENT_TOO_LARGE, "Request body too large"),

	UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type"),

	/** The plan is past its expiry; make a new one. */
	PLAN_EXPIRED("plan-expired", HttpStatus.GONE, "Plan expired"),

	/** The plan was applied already; make a new one. */
	PLAN_ALREADY_APPLIED("plan-already-applied", HttpStatus.CONFLICT, "Plan already applied"),

	/** The plan has error findings and cannot be applied. */
	PLAN_HAS_ERRORS("plan-has-errors", HttpStatus.UNPROCESSABLE_CONTENT, "Plan has errors"),

	/** The live state changed since the plan was made. */
	STALE_PLAN("stale-plan", HttpStatus.CONFLICT, "Stale plan"),

	/** Another apply holds one of the plan's targets. */
	TARGET_LOCKED("target-locked", HttpStatus.CONFLICT, "Target locked"),

	/**
	 * A cloud could not be reached or refused to answer (credentials, permissions, its
	 * own errors).
	 */
	CLOUD_UNAVAILABLE("cloud-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Cloud unavailable"),

	/**
	 * This instance is shutting down: it starts no new apply, and stops translations and
	 * plans still running after the shutdown grace; another replica or a restart will
	 * take them.
	 */
	SHUTTING_DOWN("shutting-down", HttpStatus.SERVICE_UNAVAILABLE, "Shutting down"),

	/**
	 * A translation or plan took longer than {@code polyfence.work.time-budget} and was
	 * stopped; nothing was stored. 503 with {@code Retry-After}: the service cannot tell
	 * a costly policy from a busy instance (docs/decisions.md).
	 */
	TIME_BUDGET_EXCEEDED("time-budget-exceeded", HttpStatus.SERVICE_UNAVAILABLE, "Time budget exceeded"),

	/** The service's database could not be reached; nothing was stored or changed. */
	STORAGE_UNAVAILABLE("storage-unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Storage unavailable"),

	/**
	 * Something failed inside the service; the details are in its log, never in the
	 * answer.
	 */
	INTERNAL_ERROR("internal-error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error");

	static final String BASE = "https://polyfence.dev/problems/";

	private final URI type;

	private final HttpStatus status;

	private final String title;

	ProblemType(String slug, HttpStatus status, String title) {
		this.type = URI.create(BASE + slug);
		this.status = status;
		this.title = title;
	}

	URI type() {
		return type;
	}

	HttpStatus status() {
		return status;
	}

	String title() {
		return title;
	}

	/**
	 * The plan and work types answer use-case errors only, never a status Spring chose.
	 */
	boolean isAboutPlans() {
		return this == PLAN_EXPIRED || this == PLAN_ALREADY_APPLIED || this == PLAN_HAS_ERRORS || this == STALE_PLAN
				|| this == TARGET_LOCKED || this == CLOUD_UNAVAILABLE || this == SHUTTING_DOWN
				|| this == STORAGE_UNAVAILABLE || this == TIME_BUDGET_EXCEEDED;
	}

	/**
	 * The type that stands for a status Spring MVC chose on its own (404, 405, 415, ...).
	 * The document types are never picked this way; a status with no type of its own
	 * (503, say) gets none, and so {@code about:blank}.
	 */
	static Optional<ProblemType> forStatus(HttpStatusCode status) {
		return Arrays.stream(values())
			.filter(t -> t != MALFORMED_DOCUMENT && t != INVALID_DOCUMENT && !t.isAboutPlans())
			.filter(t -> t.status.value() == status.value())
			.findFirst();
	}

}
