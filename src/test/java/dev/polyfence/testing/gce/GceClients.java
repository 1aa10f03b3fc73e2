package dev.polyfence.testing.gce;

import com.google.api.client.http.HttpResponseException;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.compute.v1.Allowed;
import com.google.cloud.compute.v1.Denied;
import com.google.cloud.compute.v1.Firewall;
import com.google.cloud.compute.v1.FirewallLogConfig;
import com.google.cloud.compute.v1.FirewallsClient;
import com.google.cloud.compute.v1.FirewallsSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real {@code FirewallsClient} pointed at a fake, and small helpers for tests that
 * use it.
 */
public final class GceClients {

	private GceClients() {
	}

	/**
	 * A client on the fake's endpoint with no credentials, as the Java client notes in
	 * cloud-facts.md say.
	 */
	public static FirewallsClient client(ComputeFirewallFake fake) {
		try {
			FirewallsSettings settings = FirewallsSettings.newBuilder()
				.setEndpoint(fake.endpoint())
				.setCredentialsProvider(NoCredentialsProvider.create())
				.build();
			return FirewallsClient.create(settings);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/** What an operation future threw: the ApiException under the ExecutionException. */
	public static Throwable cause(ExecutionException e) {
		return e.getCause() == null ? e : e.getCause();
	}

	/**
	 * The fake's JSON error body as the client received it (in the HttpResponseException
	 * cause).
	 */
	public static JsonNode errorBody(Throwable thrown) {
		Throwable t = thrown;
		while (t != null && !(t instanceof HttpResponseException)) {
			t = t.getCause();
		}
		if (t == null) {
			throw new AssertionError("no HttpResponseException under " + thrown, thrown);
		}
		return JsonMapper.builder().build().readTree(((HttpResponseException) t).getContent());
	}

	public static int httpStatus(ApiException e) {
		Throwable t = e;
		while (t != null && !(t instanceof HttpResponseException)) {
			t = t.getCause();
		}
		return t == null ? -1 : ((HttpResponseException) t).getStatusCode();
	}

	/** An INGRESS allow of tcp:ports from one range: the smallest valid firewall. */
	public static Firewall.Builder allowTcp(String name, String sourceRange, String... ports) {
		return Firewall.newBuilder()
			.setName(name)
			.addSourceRanges(sourceRange)
			.addAllowed(Allowed.newBuilder().setIPProtocol("tcp").addAllPorts(java.util.List.of(ports)));
	}

	/** Maps a record the translator emits to the client's proto, field by field. */
	public static Firewall toProto(dev.polyfence.translate.gcp.Firewall f) {
		return dev.polyfence.cloud.gcp.FirewallProtos.toProto(f);
	}

}
