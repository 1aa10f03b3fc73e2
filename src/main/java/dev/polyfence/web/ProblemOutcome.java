package dev.polyfence.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Notes on the request the short name of the problem type an answer carries
 * ({@code stale-plan} for https://polyfence.dev/problems/stale-plan, the status for
 * {@code about:blank}), as the body is written, for {@link UseCaseMetrics}. Every problem
 * passes here, whichever handler made it.
 */
@ControllerAdvice
class ProblemOutcome implements ResponseBodyAdvice<Object> {

	private static final String ATTRIBUTE = ProblemOutcome.class.getName();

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemBody problem && request instanceof ServletServerHttpRequest servlet) {
			servlet.getServletRequest().setAttribute(ATTRIBUTE, shortName(problem));
		}
		return body;
	}

	/**
	 * Notes an outcome that no problem carries: {@code client-gone} for a request whose
	 * client left before its answer.
	 */
	static void note(HttpServletRequest request, String outcome) {
		request.setAttribute(ATTRIBUTE, outcome);
	}

	/**
	 * The problem type's short name of the answer to this request, or null when it was no
	 * problem.
	 */
	static String of(HttpServletRequest request) {
		return request.getAttribute(ATTRIBUTE) instanceof String name ? name : null;
	}

	static String shortName(ProblemBody problem) {
		URI type = problem.type();
		String text = type == null ? "" : type.toString();
		return text.startsWith(ProblemType.BASE) ? text.substring(ProblemType.BASE.length())
				: Integer.toString(problem.status());
	}

}
