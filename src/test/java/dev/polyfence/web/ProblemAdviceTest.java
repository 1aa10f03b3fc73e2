package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A failure nobody expected is logged and answered with a 500 that tells nothing of the
 * service's insides.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemAdviceTest {

	private final MockMvc mvc = MockMvcBuilders.standaloneSetup(new FailingController())
		.setControllerAdvice(new ProblemAdvice())
		.build();

	@Test
	void anUnexpectedFailureIsAGeneric500AndLogged(CapturedOutput output) throws Exception {
		mvc.perform(get("/fail"))
			.andExpect(status().isInternalServerError())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/internal-error"))
			.andExpect(jsonPath("$.title").value("Internal error"))
			.andExpect(jsonPath("$.status").value(500))
			.andExpect(jsonPath("$.detail").value(Problems.INTERNAL_DETAIL))
			.andExpect(jsonPath("$.instance").value("/fail"))
			.andExpect(content().string(not(containsString("IllegalStateException"))))
			.andExpect(content().string(not(containsString("secret"))))
			.andExpect(content().string(not(containsString("dev.polyfence"))));
		assertThat(output).contains("Unexpected failure handling GET /fail", "secret internals");
	}

	@Test
	void anUnexpectedFailureIsA500EvenWhenTheClientAcceptsOnlyJson() throws Exception {
		mvc.perform(get("/fail").accept(MediaType.APPLICATION_JSON))
			.andExpect(status().isInternalServerError())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	@Test
	void anUnreachableDatabaseIsA503ThatNamesNoHost(CapturedOutput output) throws Exception {
		mvc.perform(get("/no-database"))
			.andExpect(status().isServiceUnavailable())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/storage-unavailable"))
			.andExpect(content().string(not(containsString("db.internal"))));
		assertThat(output).contains("Database unavailable handling GET /no-database", "db.internal");
	}

	@RestController
	static class FailingController {

		@GetMapping("/no-database")
		String noDatabase() {
			throw new org.springframework.jdbc.CannotGetJdbcConnectionException(
					"Connection to db.internal:5432 refused");
		}

		@GetMapping("/fail")
		String fail() {
			throw new IllegalStateException("secret internals at dev.polyfence.Something");
		}

	}

}
