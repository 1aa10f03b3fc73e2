package dev.polyfence.cloud.azure;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.management.exception.ManagementError;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import dev.polyfence.cloud.ProviderCalls;
import java.io.IOException;
import reactor.core.publisher.Mono;

/**
 * Times every Resource Manager request at the SDK's edge, as a policy of the HTTP
 * pipeline, so that list pages and the polls of long-running operations count too. It
 * sits before the retry policy: one sample per call, retries included. The operation is
 * the HTTP method and the kind of resource the path names
 * ({@code PUT networkSecurityGroups}, {@code GET operations}), never a resource's name;
 * the outcome {@code ok} for any answer below 400, else ARM's error code from the body
 * ({@code ResourceGroupNotFound}, {@code SecurityRuleConflict}), else the HTTP status, or
 * {@code client-error} when no answer came. Error bodies are buffered so the SDK still
 * reads them.
 */
final class ArmCallMetrics implements HttpPipelinePolicy {

	private final ProviderCalls calls;

	ArmCallMetrics(ProviderCalls calls) {
		this.calls = calls;
	}

	@Override
	public HttpPipelinePosition getPipelinePosition() {
		return HttpPipelinePosition.PER_CALL;
	}

	@Override
	public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
		String operation = operation(context.getHttpRequest());
		return Mono.defer(() -> {
			long started = System.nanoTime();
			return next.process().flatMap(response -> {
				if (response.getStatusCode() < 400) {
					calls.record(operation, ProviderCalls.OK, System.nanoTime() - started);
					return Mono.just(response);
				}
				HttpResponse buffered = response.buffer();
				return buffered.getBodyAsByteArray().defaultIfEmpty(new byte[0]).map(body -> {
					calls.record(operation, errorOutcome(buffered.getStatusCode(), body), System.nanoTime() - started);
					return buffered;
				});
			}).doOnError(e -> calls.record(operation, ProviderCalls.CLIENT_ERROR, System.nanoTime() - started));
		});
	}

	@Override
	public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
		String operation = operation(context.getHttpRequest());
		long started = System.nanoTime();
		HttpResponse response;
		try {
			response = next.processSync();
		}
		catch (RuntimeException e) {
			calls.record(operation, ProviderCalls.CLIENT_ERROR, System.nanoTime() - started);
			throw e;
		}
		if (response.getStatusCode() < 400) {
			calls.record(operation, ProviderCalls.OK, System.nanoTime() - started);
			return response;
		}
		HttpResponse buffered = response.buffer();
		calls.record(operation, errorOutcome(buffered.getStatusCode(), buffered.getBodyAsBinaryData().toBytes()),
				System.nanoTime() - started);
		return buffered;
	}

	static String operation(HttpRequest request) {
		return request.getHttpMethod() + " " + resourceKind(request.getUrl().getPath());
	}

	/**
	 * The last resource type in an ARM path, which alternates type and name
	 * ({@code /subscriptions/{id}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups/{nsg}})
	 * except that {@code providers} is followed by a namespace. A path that ends in a
	 * type (a list) gives that type too.
	 */
	static String resourceKind(String path) {
		String[] segments = path == null ? new String[0] : path.split("/");
		String kind = "unknown";
		int position = 0;
		for (int i = 0; i < segments.length; i++) {
			if (segments[i].isEmpty()) {
				continue;
			}
			if (position % 2 == 0 && !"providers".equalsIgnoreCase(segments[i])) {
				kind = segments[i];
			}
			position++;
		}
		return kind;
	}

	/** ARM's {@code error.code} when the body has one, else the HTTP status. */
	static String errorOutcome(int status, byte[] body) {
		if (body != null && body.length > 0) {
			try (JsonReader reader = JsonProviders.createReader(body)) {
				ManagementError error = ManagementError.fromJson(reader);
				if (error != null && error.getCode() != null && !error.getCode().isBlank()) {
					return error.getCode();
				}
			}
			catch (IOException | RuntimeException e) {
				// Not ARM's JSON error shape: the status says enough.
			}
		}
		return Integer.toString(status);
	}

}
