package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;

/**
 * A configuration mistake stops the start with a message that names the property and says
 * what is wrong, never repeating a configured hash (it may be a token's text pasted in
 * the wrong place).
 */
class SecuritySettingsTest {

	private static final String HASH = "9c6d472186d07a4d645cbc1cb1573eb40d6d8d913b6b5adb97b54f36654eb157";

	private static final String OTHER_HASH = "8fa3e2395df45576de44af0205881bd1cee1cd49b95bc9e0226a725f0d5ed3c3";

	@Test
	void aHashThatIsNotHexIsRefusedWithoutRepeatingIt() {
		String pasted = "pf_" + "A".repeat(61);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", pasted, List.of("plan"))))
			.withMessageContaining("polyfence.security.tokens[0].sha256 (token 'ci') must be 64 hexadecimal digits")
			.withMessageContaining("not all of them hexadecimal digits")
			.withMessageNotContaining(pasted);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", "abc", List.of("plan"))))
			.withMessageContaining("it has 3 characters");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", null, List.of("plan"))))
			.withMessageContaining("tokens[0].sha256");
	}

	@Test
	void anUnknownRightIsNamed() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", HASH, List.of("plan", "aply", "admin"))))
			.withMessage(
					"polyfence.security.tokens[0].rights: unknown right 'aply', 'admin'; the rights are plan, apply");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", HASH, List.of())))
			.withMessage("polyfence.security.tokens[0].rights is empty; the rights are plan, apply");
	}

	@Test
	void aDuplicateNameOrHashIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", HASH, List.of("plan")),
					new SecuritySettings.ApiToken("ci", OTHER_HASH, List.of("apply"))))
			.withMessage("polyfence.security.tokens[1].name: the name 'ci' is already used by tokens[0]");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci", HASH, List.of("plan")),
					new SecuritySettings.ApiToken("deploy", HASH.toUpperCase(), List.of("apply"))))
			.withMessageContaining("tokens[1].sha256 (token 'deploy') is the same as that of tokens[0]")
			.withMessageNotContaining(HASH);
	}

	@Test
	void aNameMustBePlain() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> tokens(new SecuritySettings.ApiToken("ci bot", HASH, List.of("plan"))))
			.withMessageContaining("tokens[0].name must be 1 to 64 letters");
	}

	@Test
	void anIssuerNeedsAUrlAnAudienceAndRules() {
		SecuritySettings.Rule rule = new SecuritySettings.Rule(Map.of("repository", "acme/network"), List.of("plan"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer(null, null, "polyfence", List.of(rule))))
			.withMessageContaining("jwt.issuers[0].issuer is missing");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer("token.actions.githubusercontent.com", null,
					"polyfence", List.of(rule))))
			.withMessageContaining("is not an http(s) URL");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer("https://gitlab.com", null, " ", List.of(rule))))
			.withMessageContaining("jwt.issuers[0].audience is missing");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer("https://gitlab.com", null, "polyfence", List.of())))
			.withMessageContaining("jwt.issuers[0].rules is empty");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> issuers(new SecuritySettings.Issuer("https://gitlab.com", null, "polyfence", List.of(rule)),
							new SecuritySettings.Issuer("https://gitlab.com", null, "other", List.of(rule))))
			.withMessageContaining(
					"jwt.issuers[1].issuer 'https://gitlab.com' is already configured as jwt.issuers[0]");
	}

	/**
	 * GitHub signs tokens for every repository there is: a rule must narrow them down.
	 */
	@Test
	void aRuleThatMatchesEveryTokenOfTheIssuerIsRefused() {
		for (Map<String, String> claims : List.of(Map.<String, String>of(), Map.of("repository", "*"))) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> issuers(new SecuritySettings.Issuer("https://token.actions.githubusercontent.com",
						null, "polyfence", List.of(new SecuritySettings.Rule(claims, List.of("plan"))))))
				.withMessageContaining(
						"jwt.issuers[0].rules[0].claims must give at least one claim a value other than '*'");
		}
	}

	@Test
	void aStarOnlyEndsAValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer("https://gitlab.com", null, "polyfence",
					List.of(new SecuritySettings.Rule(Map.of("project_path", "acme/*/infra"), List.of("plan"))))))
			.withMessageContaining("rules[0].claims.project_path 'acme/*/infra': '*' is only allowed at the end");
	}

	@Test
	void aRuleNamesKnownRights() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> issuers(new SecuritySettings.Issuer("https://gitlab.com", null, "polyfence",
					List.of(new SecuritySettings.Rule(Map.of("project_path", "acme/infra"), List.of("deploy"))))))
			.withMessage(
					"polyfence.security.jwt.issuers[0].rules[0].rights: unknown right 'deploy'; the rights are plan, apply");
	}

	/** The environment form of the contract binds, rights as a comma-separated list. */
	@Test
	void bindsFromEnvironmentVariables() {
		Map<String, Object> env = new LinkedHashMap<>();
		env.put("POLYFENCE_SECURITY_TOKENS_0_NAME", "ci");
		env.put("POLYFENCE_SECURITY_TOKENS_0_SHA256", HASH);
		env.put("POLYFENCE_SECURITY_TOKENS_0_RIGHTS", "plan,apply");
		env.put("POLYFENCE_SECURITY_JWT_ISSUERS_0_ISSUER", "https://gitlab.com");
		env.put("POLYFENCE_SECURITY_JWT_ISSUERS_0_AUDIENCE", "polyfence");
		env.put("POLYFENCE_SECURITY_JWT_ISSUERS_0_RULES_0_CLAIMS_REF", "main");
		env.put("POLYFENCE_SECURITY_JWT_ISSUERS_0_RULES_0_RIGHTS", "plan");
		SecuritySettings settings = bind(
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
		assertThat(settings.tokens()).singleElement().satisfies(token -> {
			assertThat(token.name()).isEqualTo("ci");
			assertThat(token.digest()).isEqualTo(HexFormat.of().parseHex(HASH));
			assertThat(token.grantedRights()).containsExactly(Right.PLAN, Right.APPLY);
		});
		assertThat(settings.jwt().issuers()).singleElement().satisfies(issuer -> {
			assertThat(issuer.jwkSetUri()).isNull();
			assertThat(issuer.rules().get(0).claims()).containsExactly(Map.entry("ref", "main"));
		});
	}

	/** Binding fails with the message, which Spring Boot prints when the start stops. */
	@Test
	void aMistakeStopsBindingWithItsMessage() {
		Map<String, Object> env = new LinkedHashMap<>();
		env.put("POLYFENCE_SECURITY_TOKENS_0_NAME", "ci");
		env.put("POLYFENCE_SECURITY_TOKENS_0_SHA256", HASH);
		env.put("POLYFENCE_SECURITY_TOKENS_0_RIGHTS", "plan,destroy");
		assertThatThrownBy(() -> bind(
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)))
			.isInstanceOf(BindException.class)
			.rootCause()
			.hasMessage("polyfence.security.tokens[0].rights: unknown right 'destroy'; the rights are plan, apply");
	}

	/**
	 * Claim names keep their underscores when written in YAML, as GitHub and GitLab spell
	 * them.
	 */
	@Test
	void bindsClaimNamesWithUnderscoresFromYaml() throws IOException {
		String yaml = """
				polyfence:
				  security:
				    jwt:
				      issuers:
				        - issuer: https://gitlab.com
				          jwk-set-uri: https://gitlab.com/oauth/discovery/keys
				          audience: polyfence
				          rules:
				            - claims: {project_path: acme/infra, ref_protected: "true"}
				              rights: [plan, apply]
				""";
		PropertySource<?> source = new YamlPropertySourceLoader().load("test", new ByteArrayResource(yaml.getBytes()))
			.get(0);
		SecuritySettings settings = bind(source);
		SecuritySettings.Issuer issuer = settings.jwt().issuers().get(0);
		assertThat(issuer.jwkSetUri()).isEqualTo(URI.create("https://gitlab.com/oauth/discovery/keys"));
		assertThat(issuer.rules().get(0).claims()).containsOnlyKeys("project_path", "ref_protected");
	}

	/**
	 * The test configuration's digests are those of the token texts the HTTP tests send.
	 */
	@Test
	void theTestConfigurationMatchesTheTestTokens() throws IOException {
		PropertySource<?> source;
		try (InputStream in = new ClassPathResource("config/application.yaml").getInputStream()) {
			source = new YamlPropertySourceLoader().load("test", new ByteArrayResource(in.readAllBytes())).get(0);
		}
		ApiTokens tokens = ApiTokens.of(bind(source).tokens());
		assertThat(tokens.authenticate(TestCallers.API_TOKEN)).get()
			.satisfies(caller -> assertThat(caller.getName()).isEqualTo("token:test"));
		assertThat(tokens.authenticate(TestCallers.PLAN_ONLY_TOKEN)).get()
			.satisfies(caller -> assertThat(caller.getName()).isEqualTo("token:test-plan-only"));
	}

	@Test
	void nothingConfiguredIsEmpty() {
		assertThat(new SecuritySettings(null, null).isEmpty()).isTrue();
		assertThat(tokens(new SecuritySettings.ApiToken("ci", HASH, List.of("plan"))).isEmpty()).isFalse();
	}

	private static SecuritySettings bind(PropertySource<?> source) {
		StandardEnvironment environment = new StandardEnvironment();
		if (environment.getPropertySources().contains(source.getName())) {
			environment.getPropertySources().replace(source.getName(), source);
		}
		else {
			environment.getPropertySources().addFirst(source);
		}
		return Binder.get(environment).bindOrCreate("polyfence.security", SecuritySettings.class);
	}

	private static SecuritySettings tokens(SecuritySettings.ApiToken... tokens) {
		return new SecuritySettings(List.of(tokens), null);
	}

	private static SecuritySettings issuers(SecuritySettings.Issuer... issuers) {
		return new SecuritySettings(null, new SecuritySettings.Jwt(List.of(issuers)));
	}

}
