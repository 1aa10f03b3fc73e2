package dev.polyfence.testing.arm;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plain HTTP to an {@link ArmNsgFake}, for wire-level tests (no SDK, no retries). */
final class ArmHttp {

	static final String API = "api-version=2025-03-01";

	static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/** A response: status, headers, and the body as JSON (a missing node when empty). */
	record Reply(int status, java.net.http.HttpHeaders headers, JsonNode body) {

		String header(String name) {
			return headers.firstValue(name).orElse(null);
		}

		String errorCode() {
			return body.path("error").path("code").asString(null);
		}

		String errorMessage() {
			return body.path("error").path("message").asString(null);
		}
	}

	private final ArmNsgFake fake;

	ArmHttp(ArmNsgFake fake) {
		this.fake = fake;
	}

	static String nsgPath(String rg, String name) {
		return "/subscriptions/" + ArmSdk.SUBSCRIPTION + "/resourceGroups/" + rg
				+ "/providers/Microsoft.Network/networkSecurityGroups/" + name;
	}

	Reply get(String pathAndQuery) {
		return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
	}

	Reply delete(String pathAndQuery) {
		return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE());
	}

	Reply put(String pathAndQuery, String json) {
		return send(HttpRequest.newBuilder(uri(pathAndQuery))
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(json)));
	}

	private URI uri(String pathAndQuery) {
		return URI
			.create(pathAndQuery.startsWith("http") ? pathAndQuery : "http://127.0.0.1:" + fake.port() + pathAndQuery);
	}

	private static Reply send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			JsonNode body = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
			return new Reply(response.statusCode(), response.headers(), body);
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

}
