package dev.polyfence.testing.moto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP proxy on the loopback interface, in front of moto, that adds two things
 * moto lacks for the AWS Query protocol (EC2): faults, answering the next N requests
 * itself with an error as EC2 does when it throttles, to prove that a client's retries
 * get through; and pagination, for {@code Describe*} calls that send {@code MaxResults}
 * (moto ignores it and returns everything), by cutting moto's full answer into pages with
 * a {@code nextToken}. Everything else is forwarded as it is. Bounded: two worker
 * threads, bodies up to {@value #MAX_BODY_BYTES} bytes.
 */
public final class MotoProxy implements AutoCloseable {

	/** What the proxy answers instead of forwarding. */
	public enum Fault {

		/** HTTP 503 with {@code RequestLimitExceeded}, EC2's throttling answer. */
		THROTTLE(503, "RequestLimitExceeded", "Request limit exceeded."),
		/** HTTP 500 with {@code InternalError}. */
		SERVER_ERROR(500, "InternalError", "An internal error has occurred.");

		final int status;

		final String code;

		final String message;

		Fault(int status, String code, String message) {
			this.status = status;
			this.code = code;
			this.message = message;
		}

	}

	static final int MAX_BODY_BYTES = 1 << 20;

	private static final Set<String> NOT_FORWARDED = Set.of("host", "content-length", "connection", "expect", "upgrade",
			"transfer-encoding", "keep-alive");

	private final URI target;

	private final HttpServer server;

	private final ExecutorService workers = Executors.newFixedThreadPool(2);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final AtomicInteger faultsToSend = new AtomicInteger();

	private final AtomicInteger faultsSent = new AtomicInteger();

	private final AtomicInteger forwarded = new AtomicInteger();

	private final AtomicInteger pagesCut = new AtomicInteger();

	private volatile Fault fault = Fault.THROTTLE;

	private volatile boolean paginate;

	private MotoProxy(URI target) throws IOException {
		this.target = target;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		server.setExecutor(workers);
		server.createContext("/", this::handle);
		server.start();
	}

	/** A proxy to {@code target} that forwards everything until told to fail. */
	public static MotoProxy to(URI target) {
		try {
			return new MotoProxy(target);
		}
		catch (IOException e) {
			throw new IllegalStateException("could not start the proxy on the loopback interface: " + e, e);
		}
	}

	/**
	 * Answers the next {@code count} requests with {@code fault}, then forwards again.
	 */
	public MotoProxy failNext(int count, Fault fault) {
		this.fault = fault;
		faultsToSend.set(count);
		return this;
	}

	/**
	 * From now on, cuts {@code Describe*} answers into pages of the request's
	 * {@code MaxResults}.
	 */
	public MotoProxy paginate() {
		this.paginate = true;
		return this;
	}

	public URI endpoint() {
		return URI.create("http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort());
	}

	public int faultsSent() {
		return faultsSent.get();
	}

	public int forwarded() {
		return forwarded.get();
	}

	/** Answers that were cut to a page smaller than what moto returned. */
	public int pagesCut() {
		return pagesCut.get();
	}

	@Override
	public void close() {
		server.stop(0);
		workers.shutdownNow();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = readBounded(exchange.getRequestBody());
			if (body == null) {
				send(exchange, 413, "text/plain",
						("request body over " + MAX_BODY_BYTES + " bytes").getBytes(StandardCharsets.UTF_8));
				return;
			}
			if (faultsToSend.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
				faultsSent.incrementAndGet();
				Fault f = fault;
				send(exchange, f.status, "text/xml", errorBody(f).getBytes(StandardCharsets.UTF_8));
				return;
			}
			Paging paging = paginate ? Paging.of(body) : null;
			forward(exchange, paging == null ? body : paging.bodyWithoutPaging(), paging);
		}
	}

	private void forward(HttpExchange exchange, byte[] body, Paging paging) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
			.timeout(Duration.ofSeconds(30))
			.method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
		exchange.getRequestHeaders().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
				values.forEach(v -> request.header(name, v));
			}
		});
		HttpResponse<byte[]> response;
		try {
			response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			send(exchange, 502, "text/plain", "interrupted".getBytes(StandardCharsets.UTF_8));
			return;
		}
		forwarded.incrementAndGet();
		response.headers().map().forEach((name, values) -> {
			if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
				exchange.getResponseHeaders().put(name, List.copyOf(values));
			}
		});
		byte[] out = response.body();
		if (paging != null && response.statusCode() == 200) {
			byte[] page = paging.cut(out);
			if (page != out) {
				pagesCut.incrementAndGet();
				out = page;
			}
		}
		exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
		if (out.length > 0) {
			try (OutputStream os = exchange.getResponseBody()) {
				os.write(out);
			}
		}
	}

	private static String errorBody(Fault f) {
		return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + f.code
				+ "</Code><Message>" + f.message + "</Message></Error></Errors>"
				+ "<RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>";
	}

	private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream os = exchange.getResponseBody()) {
			os.write(body);
		}
	}

	/** The whole body, or null when it is over the bound. */
	private static byte[] readBounded(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
		return bytes.length > MAX_BODY_BYTES ? null : bytes;
	}

}
