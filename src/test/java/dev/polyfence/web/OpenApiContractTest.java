package dev.polyfence.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Proves the running service keeps the contract of {@code openapi.yaml}: real HTTP
 * requests to the service on a random port, each answer checked for a documented status,
 * a documented Content-Type and a body valid against the documented schema.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiContractTest {

	private static OpenApiContract contract;

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void loadContract() {
		contract = OpenApiContract.load();
	}

	@Test
	void theDocumentIsValidOpenApi() {
		assertThat(contract.parserMessages()).isEmpty();
	}

	@Test
	void everyControllerMappingIsDocumentedAndEveryImplementedOperationIsMapped(
			@Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings) {
		Set<String> served = new TreeSet<>();
		mappings.getHandlerMethods().forEach((info, method) -> {
			if (method.getBeanType().getPackageName().equals(getClass().getPackageName())
					&& method.getBeanType() != ProblemErrorController.class) {
				info.getPathPatternsCondition()
					.getPatternValues()
					.forEach(path -> info.getMethodsCondition()
						.getMethods()
						.forEach(verb -> served.add(verb.name() + " " + path)));
			}
		});
		Set<String> documented = new TreeSet<>(contract.implementedOperations());
		documented.removeIf(op -> op.contains(" /actuator/"));
		assertThat(served).isEqualTo(documented);
	}

	@Test
	void translatesJson() throws Exception {
		exchange("POST", "/v1/translations", "application/json", Documents.MINIMAL_AWS_JSON, 200);
	}

	@Test
	void translatesYamlForEveryCloud() throws Exception {
		HttpResponse<String> response = exchange("POST", "/v1/translations", "application/yaml",
				Documents.THREE_TIER_YAML, 200);
		assertThat(response.body()).contains("\"aws\"", "\"azure\"", "\"gcp\"");
	}

	@Test
	void theDocumentedExamplesTranslate() throws Exception {
		// swagger-parser holds examples as Jackson 2 values; its own mapper writes them
		// back as JSON.
		String json = io.swagger.v3.core.util.Json.mapper().writeValueAsString(contract.example("MinimalRequestJson"));
		exchange("POST", "/v1/translations", "application/json", json, 200);
		exchange("POST", "/v1/translations", "application/yaml", (String) contract.example("MinimalRequestYaml"), 200);
	}

	/**
	 * Found by fuzzing: the service reads a null bindings or targets as absent, and the
	 * spec says so.
	 */
	@Test
	void nullBindingsAndTargetsAreLeftOut() throws Exception {
		String body = Documents.MINIMAL_AWS_JSON.replace("\"targets\": [\"aws\"]",
				"\"bindings\": null, \"targets\": null");
		HttpResponse<String> response = exchange("POST", "/v1/translations", "application/json", body, 200);
		assertThat(response.body()).contains("\"aws\"", "\"azure\"", "\"gcp\"");
		exchange("POST", "/v1/translations", "application/yaml", "targets:\nbindings:\n"
				+ contract.example("MinimalRequestYaml").toString().replace("targets: [aws]\n", ""), 200);
	}

	@Test
	void anInvalidDocumentIs422WithEveryProblem() throws Exception {
		exchange("POST", "/v1/translations", "application/json", Documents.INVALID_JSON, 422);
	}

	@Test
	void aSyntaxErrorIs400() throws Exception {
		exchange("POST", "/v1/translations", "application/json", Documents.SYNTAX_ERROR_JSON, 400);
		exchange("POST", "/v1/translations", "application/yaml", Documents.SYNTAX_ERROR_YAML, 400);
	}

	@Test
	void aWrongMediaTypeIs415() throws Exception {
		exchange("POST", "/v1/translations", "text/plain", Documents.MINIMAL_AWS_JSON, 415);
	}

	@Test
	void anUnacceptableAnswerTypeIs406() throws Exception {
		HttpRequest request = request("POST", "/v1/translations", "application/json", Documents.MINIMAL_AWS_JSON)
			.header("Accept", "text/html")
			.build();
		check(request, 406);
	}

	@Test
	void anUnknownPathIs404() throws Exception {
		exchange("GET", "/v1/nothing-here", null, null, 404);
		exchange("GET", "/error", null, null, 404);
		exchange("POST", "/v1/no-such-thing", "application/json", Documents.MINIMAL_AWS_JSON, 404);
	}

	@Test
	void aWrongMethodIs405() throws Exception {
		exchange("DELETE", "/v1/translations", null, null, 405);
		// A method the security firewall does not know is still Spring MVC's to answer
		// (found by fuzzing).
		for (String path : new String[] { "/v1/plans", "/actuator/health" }) {
			HttpResponse<String> query = java.net.http.HttpClient.newHttpClient()
				.send(request("QUERY", path, null, null).build(), HttpResponse.BodyHandlers.ofString());
			assertThat(query.statusCode()).as(path).isEqualTo(405);
			assertThat(query.headers().firstValue("Content-Type"))
				.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
			contract.assertValidAgainst("Problem", query.body());
		}
	}

	@Test
	void aTooLargeBodyIs413() throws Exception {
		String body = " ".repeat(2 * 1024 * 1024 + 1);
		exchange("POST", "/v1/translations", "application/json", body, 413);
	}

	/**
	 * Found by fuzzing: a multipart Content-Type without a boundary was a 500, because
	 * every request with one was parsed as multipart. The API reads no multipart bodies,
	 * so none is parsed.
	 */
	@Test
	void aMultipartContentTypeIsNeverParsed() throws Exception {
		exchange("GET", "/v1/schemas/policy", "multipart/form-data", null, 200);
		exchange("POST", "/v1/plans/no-such-plan/apply", "multipart/form-data", null, 404);
		exchange("POST", "/v1/translations", "multipart/form-data", "", 415);
		exchange("POST", "/v1/translations", "multipart/form-data; boundary=x", "--x--\r\n", 415);
	}

	/**
	 * Tomcat refuses an undecodable URI before Spring sees it; the answer is still a
	 * problem.
	 */
	@Test
	void aRequestTheServletContainerRefusesIsAProblemToo() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.getOutputStream()
				.write("GET /v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			String[] headAndBody = answer.split("\r\n\r\n", 2);
			assertThat(headAndBody[0]).startsWith("HTTP/1.1 400")
				.containsIgnoringCase("Content-Type: application/problem+json");
			contract.assertValidAgainst("Problem", headAndBody[1]);
		}
	}

	/**
	 * Without AWS access configured (as here) a plan is still made and shown, with an
	 * error finding that makes apply refuse it; the plan endpoints' answers conform
	 * either way. Planning against a real EC2 API is tested with moto.
	 */
	@Test
	void plansAreStoredShownAsJsonAndMarkdownAndRefusedWhenTheyHaveErrors() throws Exception {
		HttpResponse<String> created = exchange("POST", "/v1/plans", "application/json", Documents.MINIMAL_AWS_JSON,
				201);
		String id = created.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
		assertThat(created.headers().firstValue("Location")).hasValue("/v1/plans/" + id);
		assertThat(created.body()).contains("TARGET_UNAVAILABLE");
		exchange("GET", "/v1/plans/" + id, null, null, 200);
		HttpResponse<String> markdown = check(
				request("GET", "/v1/plans/" + id, null, null).header("Accept", "text/markdown").build(), 200);
		assertThat(markdown.body()).startsWith("## Polyfence plan for policy `shop`").contains("### Findings");
		HttpResponse<String> refused = exchange("POST", "/v1/plans/" + id + "/apply", null, null, 422);
		assertThat(refused.body()).contains("https://polyfence.dev/problems/plan-has-errors");
		assertThat(exchange("GET", "/v1/plans/" + id + "/applies", null, null, 200).body()).isEqualTo("[]");
		exchange("GET", "/v1/plans/no-such-plan/applies", null, null, 404);
		assertThat(exchange("GET", "/v1/audit?limit=5", null, null, 200).body()).contains("\"actor\":\"token:test\"",
				"\"action\":\"plan\"", "\"outcome\":\"refused:has-errors\"");
		exchange("GET", "/v1/audit?limit=0", null, null, 400);
		exchange("GET", "/v1/audit?limit=many", null, null, 400);
		exchange("GET", "/v1/audit?=-1.5e%2B16&limit=2", null, null, 400);
		exchange("GET", "/v1/audit?limit=", null, null, 400);
		exchange("GET", "/v1/audit?limit=1&limit=2", null, null, 400);
		assertThat(exchange("GET", "/v1/audit", null, null, 200).body()).startsWith("[{");
		exchange("GET", "/v1/plans/no-such-plan", null, null, 404);
		exchange("POST", "/v1/plans/no-such-plan/apply", null, null, 404);
	}

	@Test
	void servesTheSchemas() throws Exception {
		exchange("GET", "/v1/schemas/policy", null, null, 200);
		exchange("GET", "/v1/schemas/bindings", null, null, 200);
	}

	@Test
	void reportsHealthWithoutACaller() throws Exception {
		check(anonymous("GET", "/actuator/health", null, null).build(), 200);
	}

	/**
	 * Every documented /v1 operation refuses a request without a token, and one with a
	 * token it does not know.
	 */
	@Test
	void everyOperationNeedsACaller() throws Exception {
		for (String operation : contract.implementedOperations()) {
			String[] methodAndPath = operation.split(" ", 2);
			if (!methodAndPath[1].startsWith("/v1/")) {
				continue;
			}
			String path = methodAndPath[1].replaceAll("\\{[^}]+}", "some-id");
			boolean post = methodAndPath[0].equals("POST");
			String contentType = post ? "application/json" : null;
			String body = post ? Documents.MINIMAL_AWS_JSON : null;
			HttpResponse<String> missing = check(anonymous(methodAndPath[0], path, contentType, body).build(), 401);
			assertThat(missing.headers().firstValue("WWW-Authenticate")).as(operation).hasValue("Bearer");
			HttpResponse<String> unknown = check(
					TestCallers.bearer(anonymous(methodAndPath[0], path, contentType, body), "pf_not-a-known-token")
						.build(),
					401);
			assertThat(unknown.headers().firstValue("WWW-Authenticate")).as(operation)
				.hasValue("Bearer error=\"invalid_token\"");
			assertThat(unknown.body()).as(operation)
				.contains("https://polyfence.dev/problems/unauthenticated")
				.doesNotContain("pf_not-a-known-token");
		}
	}

	/**
	 * The document and the filter chain agree: every /v1 operation needs a bearer caller,
	 * lists 401 and 403, and names the right that {@link Right}'s table asks for; health
	 * needs no caller.
	 */
	@Test
	void theDocumentedCallersAndRightsAreTheOnesTheServiceChecks() {
		for (String operation : contract.implementedOperations()) {
			OpenApiContract.CallerContract callers = contract.callers(operation);
			String[] methodAndPath = operation.split(" ", 2);
			if (!methodAndPath[1].startsWith("/v1/")) {
				assertThat(callers.needsBearer()).as(operation).isFalse();
				continue;
			}
			assertThat(callers.needsBearer()).as(operation).isTrue();
			assertThat(callers.statuses()).as(operation).contains("401", "403");
			MockHttpServletRequest request = new MockHttpServletRequest(methodAndPath[0],
					methodAndPath[1].replaceAll("\\{[^}]+}", "some-id"));
			assertThat(Right.requiredBy(request).map(Right::configName)).as(operation).hasValue(callers.right());
		}
	}

	@Test
	void aCallerWithoutTheRightIs403() throws Exception {
		HttpRequest apply = TestCallers
			.bearer(anonymous("POST", "/v1/plans/some-id/apply", null, null), TestCallers.PLAN_ONLY_TOKEN)
			.build();
		HttpResponse<String> refused = check(apply, 403);
		assertThat(refused.body()).contains("https://polyfence.dev/problems/forbidden", "token:test-plan-only",
				"'apply'");
	}

	/**
	 * Sends a request, checks its status and the answer against openapi.yaml, and the
	 * request body too.
	 */
	private HttpResponse<String> exchange(String method, String path, String contentType, String body,
			int expectedStatus) throws IOException, InterruptedException {
		if (body != null && expectedStatus < 300) {
			contract.assertValidRequest(method, path, contentType, body);
		}
		return check(request(method, path, contentType, body).build(), expectedStatus);
	}

	private HttpResponse<String> check(HttpRequest request, int expectedStatus)
			throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("%s %s: %s", request.method(), request.uri(), response.body())
			.isEqualTo(expectedStatus);
		contract.assertConforms(request.method(), request.uri().getPath(), response.statusCode(),
				response.headers().firstValue("Content-Type").orElse(null), response.body());
		return response;
	}

	/** A request from {@code token:test}, which has every right. */
	private HttpRequest.Builder request(String method, String path, String contentType, String body) {
		return TestCallers.bearer(anonymous(method, path, contentType, body), TestCallers.API_TOKEN);
	}

	private HttpRequest.Builder anonymous(String method, String path, String contentType, String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		return builder.method(method,
				body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
	}

}
