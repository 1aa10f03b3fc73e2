package dev.polyfence.web;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.InputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/** The schema endpoints serve the parser's own files; the health probes answer. */
@SpringBootTest
@AutoConfigureMockMvc
class SchemaAndHealthEndpointTest {

	private static final MediaType SCHEMA_JSON = MediaType.parseMediaType("application/schema+json");

	@Autowired
	private MockMvc mvc;

	@ParameterizedTest
	@ValueSource(strings = { "policy", "bindings" })
	void servesTheSchemaFileAsSchemaJson(String name) throws Exception {
		byte[] file;
		try (InputStream in = new ClassPathResource("schemas/" + name + ".schema.json").getInputStream()) {
			file = in.readAllBytes();
		}
		perform(get("/v1/schemas/" + name)).andExpect(status().isOk())
			.andExpect(content().contentType(SCHEMA_JSON))
			.andExpect(content().bytes(file))
			.andExpect(jsonPath("$.$schema").value("https://json-schema.org/draft/2020-12/schema"));
	}

	@Test
	void servesTheSchemaToClientsThatOnlyAcceptJson() throws Exception {
		perform(get("/v1/schemas/policy").accept(MediaType.APPLICATION_JSON)).andExpect(status().isOk())
			.andExpect(content().contentType(MediaType.APPLICATION_JSON));
	}

	@Test
	void aSchemaAsHtmlIs406() throws Exception {
		perform(get("/v1/schemas/policy").accept(MediaType.TEXT_HTML)).andExpect(status().isNotAcceptable())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/not-acceptable"));
	}

	@Test
	void postingToASchemaIs405() throws Exception {
		perform(post("/v1/schemas/policy")).andExpect(status().isMethodNotAllowed())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

	/** Probes come without a token. */
	@ParameterizedTest
	@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness" })
	void healthProbesAreUp(String path) throws Exception {
		mvc.perform(get(path)).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
	}

	/**
	 * Every request but the probes comes from a caller with every right; SecurityTest
	 * covers the others.
	 */
	private ResultActions perform(MockHttpServletRequestBuilder request) throws Exception {
		return mvc.perform(request.with(TestCallers.apiToken()));
	}

	@Test
	void otherActuatorEndpointsAreNotExposed() throws Exception {
		perform(get("/actuator/env")).andExpect(status().isNotFound())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
	}

}
