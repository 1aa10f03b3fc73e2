package dev.polyfence.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Test helpers: the fixture documents under src/test/resources/policies, and assertions
 * on problems.
 */
final class Fixtures {

	/** Valid policies; each has a bindings file named {@code <name>-bindings.yaml}. */
	static final List<String> POLICIES = List.of("spec-example", "deny-all-ingress", "frontend-to-database",
			"three-tier");

	static final DocumentParser PARSER = new DocumentParser();

	private Fixtures() {
	}

	static String read(String path) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/policies/" + path)) {
			if (in == null) {
				throw new IllegalArgumentException("no fixture " + path);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static IPAddress cidr(String text) {
		return new IPAddressString(text).getAddress();
	}

	static InvalidDocumentException invalidPolicy(String text) {
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parsePolicy(text));
		assertThat(e).as("expected the policy to be refused").isNotNull();
		return e;
	}

	static InvalidDocumentException invalidBindings(String text) {
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseBindings(text));
		assertThat(e).as("expected the bindings to be refused").isNotNull();
		return e;
	}

	/**
	 * Asserts an INVALID refusal holding a problem at exactly this pointer whose message
	 * contains the fragment.
	 */
	static void assertProblem(InvalidDocumentException e, String pointer, String fragment) {
		assertThat(e.kind()).as("kind of %s", e.problems()).isEqualTo(InvalidDocumentException.Kind.INVALID);
		assertThat(e.problems()).as("problems").anySatisfy(p -> {
			assertThat(p.pointer()).isEqualTo(pointer);
			assertThat(p.message()).contains(fragment);
		});
	}

	/**
	 * Asserts a SYNTAX refusal: one problem, at "", whose message contains the fragment.
	 */
	static void assertSyntax(InvalidDocumentException e, String fragment) {
		assertThat(e.kind()).as("kind of %s", e.problems()).isEqualTo(InvalidDocumentException.Kind.SYNTAX);
		assertThat(e.isSyntax()).isTrue();
		assertThat(e.problems()).singleElement().satisfies(p -> {
			assertThat(p.pointer()).isEmpty();
			assertThat(p.message()).contains(fragment);
		});
	}

	/**
	 * A minimal valid policy with the given rules (YAML, indented as list items under
	 * rules).
	 */
	static String policyWithRules(String rules) {
		return """
				apiVersion: polyfence.dev/v1
				kind: NetworkPolicy
				metadata: {name: test}
				spec:
				  addressSets:
				    partners: [198.51.100.0/24]
				  groups: [{name: web}, {name: app}, {name: db}]
				  rules:
				""" + rules.indent(4);
	}

}
