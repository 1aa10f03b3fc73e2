package dev.polyfence.testing.service;

import dev.polyfence.PolyfenceApplication;
import dev.polyfence.web.TestCallers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole service started in this JVM on a random port, as a replica would run, with
 * the given settings on top of the test configuration; spoken to over real HTTP on
 * 127.0.0.1 by the tests' caller ({@link TestCallers#API_TOKEN}).
 */
public final class ServiceInstance implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final URI base;

	private final HttpClient http = HttpClient.newHttpClient();

	private ServiceInstance(ConfigurableApplicationContext context) {
		this.context = context;
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		this.base = URI.create("http://127.0.0.1:" + port);
	}

	/**
	 * @param settings {@code name=value} Spring properties
	 */
	public static ServiceInstance start(String... settings) {
		return start(List.of(), settings);
	}

	/**
	 * @param configurations test configurations added to the service's own (stubs)
	 * @param settings {@code name=value} Spring properties
	 */
	public static ServiceInstance start(List<Class<?>> configurations, String... settings) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1"));
		for (String setting : settings) {
			args.add("--" + setting);
		}
		List<Class<?>> sources = new ArrayList<>(List.of(PolyfenceApplication.class));
		sources.addAll(configurations);
		return new ServiceInstance(
				new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).run(args.toArray(String[]::new)));
	}

	public <T> T bean(Class<T> type) {
		return context.getBean(type);
	}

	public HttpResponse<String> post(String path, String contentType, String body) {
		HttpRequest.Builder request = request(path);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request
			.POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	public HttpResponse<String> get(String path, String accept) {
		return send(request(path).header("Accept", accept).GET().build());
	}

	/** Every request comes from the tests' API token with both rights. */
	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + TestCallers.API_TOKEN);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	@Override
	public void close() {
		context.close();
	}

}
