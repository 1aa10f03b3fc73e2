package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.ResultMatcher;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Who may call what, through the whole filter chain: the test API tokens of
 * {@code config/application.yaml} and two CI OIDC issuers served by
 * {@link OidcIssuerFake} on 127.0.0.1 — a GitHub-like one with an explicit
 * {@code jwk-set-uri} and a GitLab-like one found by discovery. The security loggers run
 * at DEBUG so that the secrets test sees what they would say.
 */
@SpringBootTest(
		properties = { "logging.level.org.springframework.security=DEBUG", "logging.level.dev.polyfence=DEBUG" })
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class SecurityTest {

	private static final String GITHUB = "github";

	private static final String GITLAB = "gitlab";

	private static final String AUDIENCE = "polyfence";

	private static final String REPO = "acme/network";

	/**
	 * Spring MVC's detail when no controller has the path (as opposed to a controller's
	 * own 404).
	 */
	private static final String NO_ENDPOINT = "No endpoint ";

	private static final String GITHUB_SUB = "repo:acme/network:ref:refs/heads/main";

	private static OidcIssuerFake issuers;

	@Autowired
	private MockMvc mvc;

	@DynamicPropertySource
	static void issuers(DynamicPropertyRegistry registry) {
		issuers = OidcIssuerFake.start();
		String github = "polyfence.security.jwt.issuers[0].";
		registry.add(github + "issuer", () -> issuers.issuer(GITHUB));
		registry.add(github + "jwk-set-uri", () -> issuers.issuer(GITHUB) + "/jwks");
		registry.add(github + "audience", () -> AUDIENCE);
		registry.add(github + "rules[0].claims.repository", () -> REPO);
		registry.add(github + "rules[0].claims.ref", () -> "refs/heads/main");
		registry.add(github + "rules[0].rights", () -> "plan,apply");
		registry.add(github + "rules[1].claims.repository", () -> REPO);
		registry.add(github + "rules[1].rights", () -> "plan");
		String gitlab = "polyfence.security.jwt.issuers[1].";
		registry.add(gitlab + "issuer", () -> issuers.issuer(GITLAB));
		registry.add(gitlab + "audience", () -> AUDIENCE);
		registry.add(gitlab + "rules[0].claims.[project_path]", () -> "acme/*");
		registry.add(gitlab + "rules[0].claims.[ref_protected]", () -> "true");
		registry.add(gitlab + "rules[0].rights", () -> "plan,apply");
	}

	@AfterAll
	static void stopIssuers() {
		issuers.close();
	}

	@Test
	void withoutAnAuthorizationHeaderIs401WithABearerChallenge() throws Exception {
		unauthenticated(mvc.perform(translation()), "Bearer")
			.andExpect(jsonPath("$.detail").value(SecurityProblems.MISSING_DETAIL));
		unauthenticated(mvc.perform(post("/v1/plans/some-id/apply")), "Bearer");
		unauthenticated(mvc.perform(get("/v1/schemas/policy")), "Bearer");
	}

	/**
	 * Spring Boot's default user (and its generated password, which it would log) is
	 * never made.
	 */
	@Test
	void thereIsNoDefaultUser(@Autowired ApplicationContext context) {
		assertThat(context.getBeanNamesForType(UserDetailsService.class)).isEmpty();
	}

	@Test
	void anotherSchemeThanBearerIsNoCaller() throws Exception {
		unauthenticated(mvc.perform(translation().header("Authorization", "Basic dGVzdDp0ZXN0")), "Bearer");
	}

	@Test
	void anUnknownApiTokenIs401InvalidToken() throws Exception {
		unauthenticated(perform(translation(), "pf_unknown"), "Bearer error=\"invalid_token\"")
			.andExpect(jsonPath("$.detail", containsString("neither a known API token nor a JWT")));
	}

	@Test
	void aMalformedAuthorizationHeaderIs401() throws Exception {
		unauthenticated(mvc.perform(translation().header("Authorization", "Bearer two words")),
				"Bearer error=\"invalid_token\"")
			.andExpect(jsonPath("$.detail", not(containsString("words"))));
		unauthenticated(mvc.perform(translation().header("Authorization", "Bearer ")),
				"Bearer error=\"invalid_token\"");
	}

	@Test
	void healthAndMetricsNeedNoCaller() throws Exception {
		mvc.perform(get("/actuator/health")).andExpect(status().isOk());
		mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk());
		mvc.perform(get("/actuator/prometheus")).andExpect(status().isOk());
	}

	@Test
	void unknownPathsNeedACallerToo() throws Exception {
		unauthenticated(mvc.perform(get("/v1/nothing-here")), "Bearer");
		unauthenticated(mvc.perform(get("/actuator/env")), "Bearer");
		unauthenticated(mvc.perform(get("/error")), "Bearer");
		unauthenticated(mvc.perform(get("/.well-known/oauth-protected-resource")), "Bearer");
	}

	@Test
	void anApiTokenWithPlanOnlyMayPlanButNotApply() throws Exception {
		perform(translation(), TestCallers.PLAN_ONLY_TOKEN).andExpect(status().isOk());
		forbidden(perform(post("/v1/plans/some-id/apply"), TestCallers.PLAN_ONLY_TOKEN)).andExpect(jsonPath("$.detail")
			.value("The caller token:test-plan-only lacks the right 'apply' that POST /v1/plans/some-id/apply needs."));
	}

	/**
	 * Spellings of the apply path that the rights table might not see never reach the
	 * apply controller.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/v1/plans/some-id/apply/", "/v1/plans/some-id/APPLY", "/v1/plans/some-id/apply;x",
			"/v1//plans/some-id/apply", "/v1/plans/some-id/./apply", "/v1/plans/x/../some-id/apply",
			"/v1/plans/some-id/apply%2F", "/v1/plans/some-id%2Fapply" })
	void otherSpellingsOfApplyAreNotLetThrough(String path) throws Exception {
		MockHttpServletRequestBuilder request = post(path);
		request.with(r -> {
			r.setRequestURI(path);
			return r;
		});
		// 400 from the firewall, 403, or 404 from no handler; never the apply
		// controller's own answer.
		MockHttpServletResponse response = perform(request, TestCallers.PLAN_ONLY_TOKEN).andReturn().getResponse();
		assertThat(response.getStatus()).isIn(400, 403, 404);
		if (response.getStatus() == 404) {
			assertThat(response.getContentAsString()).contains(NO_ENDPOINT);
		}
	}

	@Test
	void anApiTokenWithBothRightsMayApply() throws Exception {
		// Let through: the plan does not exist, which only the controller can say.
		perform(post("/v1/plans/some-id/apply"), TestCallers.API_TOKEN).andExpect(reachedTheController());
	}

	@Test
	void theMainBranchOfTheRepositoryMayApply() throws Exception {
		String token = github(GITHUB_SUB, "refs/heads/main");
		perform(translation(), token).andExpect(status().isOk());
		perform(post("/v1/plans/some-id/apply"), token).andExpect(reachedTheController());
	}

	@Test
	void anotherBranchOfTheRepositoryMayOnlyPlan() throws Exception {
		String token = github("repo:acme/network:ref:refs/heads/feature", "refs/heads/feature");
		perform(translation(), token).andExpect(status().isOk());
		perform(get("/v1/schemas/policy"), token).andExpect(status().isOk());
		forbidden(perform(post("/v1/plans/some-id/apply"), token))
			.andExpect(jsonPath("$.detail", containsString("The caller jwt:" + issuers.issuer(GITHUB)
					+ ":repo:acme/network:ref:refs/heads/feature lacks the right 'apply'")));
	}

	@Test
	void anotherRepositoryGetsNoRights() throws Exception {
		String token = issuers.token(GITHUB, AUDIENCE, "repo:acme/other:ref:refs/heads/main",
				Map.of("repository", "acme/other", "ref", "refs/heads/main"));
		forbidden(perform(translation(), token));
		forbidden(perform(get("/v1/plans/some-id"), token));
		forbidden(perform(head("/v1/plans/some-id"), token));
		// Known but without rights: a path no right names only needs a caller.
		perform(get("/v1/nothing-here"), token).andExpect(status().isNotFound());
	}

	@Test
	void aWrongAudienceIs401() throws Exception {
		String token = issuers.token(GITHUB, "someone-else", GITHUB_SUB, githubClaims("refs/heads/main"));
		unauthenticated(perform(translation(), token), "Bearer error=\"invalid_token\"")
			.andExpect(jsonPath("$.detail", containsString("aud claim does not contain polyfence")));
	}

	@Test
	void anExpiredTokenIs401() throws Exception {
		String token = issuers.expiredToken(GITHUB, AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main"));
		unauthenticated(perform(translation(), token), "Bearer error=\"invalid_token\"")
			.andExpect(jsonPath("$.detail", containsString("expired")));
	}

	@Test
	void anUnknownIssuerIs401() throws Exception {
		String token = issuers.token("elsewhere", AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main"));
		unauthenticated(perform(translation(), token), "Bearer error=\"invalid_token\"")
			.andExpect(jsonPath("$.detail", containsString("issuer is not trusted")));
	}

	@Test
	void aForgedSignatureIs401() throws Exception {
		String token = issuers.forgedToken(GITHUB, AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main"));
		unauthenticated(perform(post("/v1/plans/some-id/apply"), token), "Bearer error=\"invalid_token\"");
	}

	@Test
	void aTamperedTokenIs401() throws Exception {
		String token = github("repo:acme/network:ref:refs/heads/feature", "refs/heads/feature");
		String[] parts = token.split("\\.");
		String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("refs/heads/feature", "refs/heads/main");
		String tampered = parts[0] + "."
				+ java.util.Base64.getUrlEncoder()
					.withoutPadding()
					.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
				+ "." + parts[2];
		unauthenticated(perform(post("/v1/plans/some-id/apply"), tampered), "Bearer error=\"invalid_token\"");
	}

	@Test
	void anIssuerFoundByDiscoveryWorksAndItsRulesApply() throws Exception {
		String protectedRef = issuers.token(GITLAB, AUDIENCE, "project_path:acme/network:ref_type:branch:ref:main",
				Map.of("project_path", "acme/network", "ref", "main", "ref_protected", "true"));
		perform(post("/v1/plans/some-id/apply"), protectedRef).andExpect(reachedTheController());
		assertThat(issuers.requests("/" + GITLAB + "/.well-known/openid-configuration")).isPositive();
		String unprotected = issuers.token(GITLAB, AUDIENCE, "project_path:acme/network:ref_type:branch:ref:dev",
				Map.of("project_path", "acme/network", "ref", "dev", "ref_protected", "false"));
		forbidden(perform(translation(), unprotected));
		String otherGroup = issuers.token(GITLAB, AUDIENCE, "project_path:evil/network:ref_type:branch:ref:main",
				Map.of("project_path", "evil/network", "ref", "main", "ref_protected", "true"));
		forbidden(perform(translation(), otherGroup));
	}

	/**
	 * The parser's alias limit holds for a caller too: the document is refused, not
	 * expanded.
	 */
	@Test
	void aBillionLaughsDocumentIsRefusedWithAProblem() throws Exception {
		String yaml;
		try (InputStream in = new ClassPathResource("policies/invalid/billion-laughs.yaml").getInputStream()) {
			yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		perform(post("/v1/translations").contentType("application/yaml").content(yaml), TestCallers.API_TOKEN)
			.andExpect(status().isBadRequest())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/malformed-document"));
	}

	/**
	 * Over accepted and refused requests of both kinds of token, with the security
	 * loggers at DEBUG, neither a token nor any part of a JWT appears in the output, nor
	 * in the answers.
	 */
	@Test
	void tokensAreNeverLoggedNorEchoed(CapturedOutput output) throws Exception {
		// Only what this test makes: MockMvc prints a failed test's request, headers
		// included.
		int before = output.getAll().length();
		List<String> tokens = new ArrayList<>(List.of(TestCallers.API_TOKEN, TestCallers.PLAN_ONLY_TOKEN,
				"pf_unknown_" + "x".repeat(30), github(GITHUB_SUB, "refs/heads/main"),
				github("repo:acme/network:ref:refs/heads/feature", "refs/heads/feature"),
				issuers.token(GITHUB, "someone-else", GITHUB_SUB, githubClaims("refs/heads/main")),
				issuers.expiredToken(GITHUB, AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main")),
				issuers.forgedToken(GITHUB, AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main")),
				issuers.token("elsewhere", AUDIENCE, GITHUB_SUB, githubClaims("refs/heads/main")),
				"zzNotAJwtOne.zzNotAJwtTwo.zzNotAJwtThree"));
		List<String> answers = new ArrayList<>();
		for (String token : tokens) {
			for (MockHttpServletRequestBuilder request : List.of(translation(), post("/v1/plans/some-id/apply"),
					get("/v1/schemas/policy"))) {
				answers.add(perform(request, token).andReturn().getResponse().getContentAsString());
			}
		}
		String logged = output.getAll().substring(before);
		assertThat(logged).as("the test must see the security log").contains("o.s.s.", "JwtAuthenticationProvider");
		for (String token : tokens) {
			for (String part : token.split("\\.")) {
				assertThat(logged).doesNotContain(part);
				assertThat(answers).noneMatch(answer -> answer.contains(part));
			}
		}
	}

	private ResultActions perform(MockHttpServletRequestBuilder request, String token) throws Exception {
		return mvc.perform(request.with(TestCallers.bearer(token)));
	}

	private static MockHttpServletRequestBuilder translation() {
		return post("/v1/translations").contentType(MediaType.APPLICATION_JSON).content(Documents.MINIMAL_AWS_JSON);
	}

	private static String github(String subject, String ref) {
		return issuers.token(GITHUB, AUDIENCE, subject, githubClaims(ref));
	}

	private static Map<String, Object> githubClaims(String ref) {
		return Map.of("repository", REPO, "ref", ref, "event_name", "push", "repository_owner", "acme");
	}

	/**
	 * A 404 that a controller gave (the plan does not exist), not Spring MVC for a path
	 * it does not have.
	 */
	private static ResultMatcher reachedTheController() {
		return result -> {
			status().isNotFound().match(result);
			jsonPath("$.detail", not(startsWith(NO_ENDPOINT))).match(result);
		};
	}

	private static ResultActions unauthenticated(ResultActions result, String challenge) throws Exception {
		return result.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", challenge))
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/unauthenticated"))
			.andExpect(jsonPath("$.status").value(401))
			.andExpect(jsonPath("$.instance").value(result.andReturn().getRequest().getRequestURI()))
			.andExpect(content().string(allOf(not(containsString("Exception")), not(containsString("pf_")))));
	}

	private static ResultActions forbidden(ResultActions result) throws Exception {
		return result.andExpect(status().isForbidden())
			.andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.type").value("https://polyfence.dev/problems/forbidden"))
			.andExpect(jsonPath("$.status").value(403));
	}

}
