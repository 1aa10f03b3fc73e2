package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Errors that never reached a controller (a filter's failure, a container's sendError)
 * become problems too.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemErrorControllerTest {

	private final ProblemErrorController controller = new ProblemErrorController();

	@Test
	void aContainerErrorBecomesAProblemForItsStatus() {
		ResponseEntity<Object> response = controller.error(errorDispatch(405, "/v1/translations", null));
		assertThat(response.getStatusCode().value()).isEqualTo(405);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		ProblemBody body = (ProblemBody) response.getBody();
		assertThat(body.type()).hasToString("https://polyfence.dev/problems/method-not-allowed");
		assertThat(body.instance()).hasToString("/v1/translations");
	}

	@Test
	void aFailureOutsideSpringMvcIsLoggedAndAnsweredGenerically(CapturedOutput output) {
		ResponseEntity<Object> response = controller.error(
				errorDispatch(500, "/v1/translations", new IllegalStateException("filter broke at dev.polyfence.X")));
		ProblemBody body = (ProblemBody) response.getBody();
		assertThat(body.type()).hasToString("https://polyfence.dev/problems/internal-error");
		assertThat(body.detail()).isEqualTo(Problems.INTERNAL_DETAIL);
		assertThat(output).contains("filter broke at dev.polyfence.X");
	}

	@Test
	void aStatusWithoutATypeOfItsOwnIsAboutBlank() {
		ProblemBody body = (ProblemBody) controller.error(errorDispatch(503, "/v1/translations", null)).getBody();
		assertThat(body.type()).hasToString("about:blank");
		assertThat(body.title()).isEqualTo("Service Unavailable");
		assertThat(body.detail()).isEqualTo(Problems.INTERNAL_DETAIL);
	}

	@Test
	void askingForTheErrorPageItselfIs404() {
		ResponseEntity<Object> response = controller.error(new MockHttpServletRequest("GET", "/error"));
		assertThat(response.getStatusCode().value()).isEqualTo(404);
	}

	private static MockHttpServletRequest errorDispatch(int status, String path, Throwable failure) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/error");
		request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
		request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, path);
		if (failure != null) {
			request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, failure);
		}
		return request;
	}

}
