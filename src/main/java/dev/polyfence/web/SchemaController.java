package dev.polyfence.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the JSON Schemas of the policy and bindings documents, the same files the parser
 * validates against, so that editors and pipelines can check a document before sending
 * it.
 */
@RestController
class SchemaController {

	static final String SCHEMA_JSON = "application/schema+json";

	private final byte[] policy;

	private final byte[] bindings;

	SchemaController() {
		this.policy = load("schemas/policy.schema.json");
		this.bindings = load("schemas/bindings.schema.json");
	}

	@GetMapping(path = "/v1/schemas/policy", produces = { SCHEMA_JSON, MediaType.APPLICATION_JSON_VALUE })
	byte[] policy() {
		return policy.clone();
	}

	@GetMapping(path = "/v1/schemas/bindings", produces = { SCHEMA_JSON, MediaType.APPLICATION_JSON_VALUE })
	byte[] bindings() {
		return bindings.clone();
	}

	private static byte[] load(String path) {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The schema " + path + " is missing from the classpath", ex);
		}
	}

}
