package dev.polyfence.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.net.URI;
import java.util.List;
import org.springframework.http.ProblemDetail;

/**
 * The JSON of a problem, members in the order of RFC 9457's examples. Spring's
 * {@link ProblemDetail} is a bean whose members Jackson would write alphabetically; this
 * record fixes the order and leaves out what is not set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProblemBody(URI type, String title, int status, String detail, URI instance, List<DocumentError> errors) {

	static final String ERRORS = "errors";

	@SuppressWarnings("unchecked")
	static ProblemBody of(ProblemDetail problem) {
		Object errors = problem.getProperties() == null ? null : problem.getProperties().get(ERRORS);
		return new ProblemBody(problem.getType(), problem.getTitle(), problem.getStatus(), problem.getDetail(),
				problem.getInstance(), errors instanceof List<?> list ? (List<DocumentError>) list : null);
	}
}
