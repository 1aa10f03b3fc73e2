package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.PARSER;
import static dev.polyfence.policy.Fixtures.assertProblem;
import static dev.polyfence.policy.Fixtures.assertSyntax;
import static dev.polyfence.policy.Fixtures.invalidBindings;
import static dev.polyfence.policy.Fixtures.invalidPolicy;
import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * Text that is not YAML or JSON, or that breaks a limit, is refused as SYNTAX with one
 * clear problem.
 */
class SyntaxAndLimitsTest {

	@Test
	void notYamlAtAllNamesLineAndColumn() {
		assertSyntax(invalidPolicy("spec:\n  groups: [1,\n b: ]]\n"), "the text is not valid YAML");
		assertSyntax(invalidPolicy("spec:\n  groups: [1,\n b: ]]\n"), "(line 3, column");
		assertSyntax(invalidPolicy("a: \"unterminated\n"), "the text is not valid YAML");
	}

	@Test
	void notJsonAtAllNamesLineAndColumn() {
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseRequest("{\"policy\": {\"spec\": }\n}", false));

		assertSyntax(e, "the text is not valid JSON: Unexpected character ('}'");
		assertSyntax(e, "(line 1, column 21)");
	}

	@Test
	void yamlBodyIsNotAcceptedAsJson() {
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseRequest("policy: {}\n", false));

		assertSyntax(e, "the text is not valid JSON");
	}

	@Test
	void textThatLooksLikeJsonButIsNeitherReportsTheJsonError() {
		assertSyntax(invalidPolicy("{\"apiVersion\": \"polyfence.dev/v1\",, }"), "the text is not valid JSON");
	}

	@Test
	void yamlFlowStyleStartingWithABraceIsYaml() {
		Policy policy = PARSER.parsePolicy("{apiVersion: polyfence.dev/v1, kind: NetworkPolicy, metadata: {name: flow},"
				+ " spec: {groups: [{name: web}]}}");

		assertThat(policy.name()).isEqualTo("flow");
	}

	@Test
	void billionLaughsIsRefused() {
		assertSyntax(invalidPolicy(read("invalid/billion-laughs.yaml")), "YAML aliases");
		assertSyntax(invalidBindings(read("invalid/billion-laughs.yaml")), "billion laughs");
	}

	@Test
	void tooManyAliasesAreRefusedEvenWhenSmall() {
		StringBuilder yaml = new StringBuilder("a: &a [1]\nb: [");
		for (int i = 0; i < TreeReader.MAX_ALIASES + 1; i++) {
			yaml.append(i == 0 ? "" : ", ").append("*a");
		}
		yaml.append("]\n");

		assertSyntax(invalidPolicy(yaml.toString()), "the document uses more than 50 YAML aliases");
	}

	@Test
	void exponentialAliasesWithFewAliasesAreRefused() {
		StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
		for (int i = 1; i <= 20; i++) {
			yaml.append("l")
				.append(i)
				.append(": &l")
				.append(i)
				.append(" [*l")
				.append(i - 1)
				.append(", *l")
				.append(i - 1)
				.append("]\n");
		}

		assertSyntax(invalidPolicy(yaml.toString()), "expand to more than 10000 values");
	}

	@Test
	void aliasesOfSingleValuesAndUnknownAliasesAreRefused() {
		assertSyntax(invalidPolicy("a: &port 443\nb: *port\n"), "aliases of single values are not supported");
		assertSyntax(invalidPolicy("b: *nowhere\n"), "the alias *nowhere does not refer to a list or mapping");
	}

	@Test
	void deepNestingIsRefused() {
		String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
		String deepJson = "{\"a\": " + "[".repeat(200) + "]".repeat(200) + "}";

		assertSyntax(invalidPolicy(deep), "nested more than 64 levels deep");
		assertSyntax(invalidPolicy(deepJson), "nested more than 64 levels deep");
	}

	@Test
	void aliasesCannotNestTheTreeTooDeep() {
		String deepList = "[".repeat(40) + "]".repeat(40);
		String yaml = "a: &deep " + deepList + "\nb: " + "[".repeat(40) + "*deep" + "]".repeat(40) + "\n";

		assertSyntax(invalidPolicy(yaml), "nests the document more than 64 levels deep");
	}

	@Test
	void oversizedDocumentsAreRefused() {
		String big = "# " + "x".repeat(TreeReader.MAX_CHARS) + "\n";

		assertSyntax(invalidPolicy(big), "longer than 2097152 characters");
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseRequest(" ".repeat(TreeReader.MAX_CHARS + 1), false));
		assertSyntax(e, "longer than 2097152 characters");
	}

	@Test
	void moreThanOneDocumentIsRefused() {
		assertSyntax(invalidPolicy("a: 1\n---\nb: 2\n"), "more than one YAML document");
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseRequest("{} {}", false));
		assertSyntax(e, "more than one JSON document");
	}

	@Test
	void syntaxProblemsAreNotMixedWithSchemaProblems() {
		InvalidDocumentException e = invalidPolicy("apiVersion: v0\nkind: [\n");

		assertThat(e.problems()).hasSize(1);
		assertThat(e.isSyntax()).isTrue();
	}

	@Test
	void emptyDocumentsAreInvalidNotSyntax() {
		assertProblem(invalidBindings(""), "", "the document is empty: write {} for no bindings");
	}

}
