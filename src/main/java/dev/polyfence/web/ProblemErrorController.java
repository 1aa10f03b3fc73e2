package dev.polyfence.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers errors that never reached a controller (a failing filter, a servlet container's
 * {@code sendError}) as problems too, in place of Spring Boot's default error page.
 */
@RestController
class ProblemErrorController implements ErrorController {

	private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

	@RequestMapping("${spring.web.error.path:/error}")
	ResponseEntity<Object> error(HttpServletRequest request) {
		Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
		String path = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
		if (!(code instanceof Integer status)) {
			// Someone asked for the error page itself: it is not part of the API.
			return Problems.response(Problems.of(ProblemType.NOT_FOUND,
					"No endpoint " + request.getMethod() + " " + request.getRequestURI() + ".",
					request.getRequestURI()), null);
		}
		HttpStatusCode statusCode = HttpStatusCode.valueOf(status);
		if (statusCode.is5xxServerError()) {
			log.error("Failure outside Spring MVC handling {}", path,
					(Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
		}
		HttpStatus known = HttpStatus.resolve(status);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(statusCode,
				known != null ? known.getReasonPhrase() + "." : "Request failed.");
		return Problems.response(Problems.normalize(problem, statusCode, path), null);
	}

}
