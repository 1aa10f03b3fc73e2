package dev.polyfence.testing.gce;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of the Compute Engine v1 firewall API (no emulator exists), for the
 * real {@code FirewallsClient} to talk to over HTTP/JSON on 127.0.0.1. It serves, under
 * {@code /compute/v1/projects/{project}/global/}:
 * <ul>
 * <li>{@code firewalls}: {@code POST} insert, {@code GET} list (paged by
 * {@code maxResults}, {@code pageToken}, {@code nextPageToken}; in name order, as the
 * real API without {@code orderBy});</li>
 * <li>{@code firewalls/{name}}: {@code GET}, {@code PATCH} (JSON merge patch; the client
 * sends it as {@code POST} with {@code X-HTTP-Method-Override: PATCH}), {@code PUT}
 * update (replaces every field), {@code DELETE};</li>
 * <li>{@code operations/{op}}: {@code GET}, and {@code POST operations/{op}/wait}.</li>
 * </ul>
 * Every mutation answers a global {@code Operation}. An operation is reported
 * {@code RUNNING} by the mutation's answer and then by {@link #setRunningPolls(int)
 * runningPolls - 1} polls, then {@code DONE}; with the default 0 the mutation answers
 * {@code DONE} and the client does not poll. The change itself is made when the mutation
 * is accepted.
 *
 * <p>
 * Stored firewalls carry the server's fields ({@code kind}, {@code id}, {@code selfLink},
 * {@code creationTimestamp}, the full network URL) and defaults ({@code priority} 1000,
 * {@code direction} INGRESS, {@code disabled} false, {@code logConfig.enable} false).
 * Bodies are checked by {@link FirewallRules}; errors have the Compute shape (see
 * {@link ComputeApiException}).
 *
 * <p>
 * For tests: {@link #failNext(int, int)} makes the next requests fail with a status,
 * {@link #seed(String, ObjectNode)}, {@link #firewall(String, String)} and
 * {@link #reset()} give direct access to the state, and {@link #requests()} records what
 * the client sent.
 */
public final class ComputeFirewallFake implements AutoCloseable {

	/** The host the real API writes into {@code selfLink}s. */
	public static final String LINK_BASE = "https://www.googleapis.com/compute/v1/";

	static final int MAX_RESULTS_DEFAULT = 500;

	static final int MAX_BODY_BYTES = 1 << 20;

	private static final Pattern PATH = Pattern
		.compile("/compute/v1/projects/([^/]+)/global/(firewalls|operations)(?:/([^/]+)(/wait)?)?/?");

	private static final Pattern NETWORK = Pattern
		.compile("(?:(?:https?://[^/]+/compute/(?:v1|beta|alpha)/)?projects/([^/]+)/)?global/networks/([^/]+)");

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private final HttpServer server;

	private final ExecutorService executor;

	private final Object lock = new Object();

	private final Map<String, SortedMap<String, ObjectNode>> firewalls = new HashMap<>();

	private final Map<String, Map<String, Operation>> operations = new HashMap<>();

	private final List<RecordedRequest> requests = new ArrayList<>();

	private final Clock clock;

	private int runningPolls;

	private int failuresLeft;

	private int failureStatus;

	private long nextId = 1_000_000_000_000_000_000L;

	private int firewallQuota = Integer.MAX_VALUE;

	private OperationFailure nextOperationFailure;

	private ComputeFirewallFake(Clock clock) throws IOException {
		this.clock = clock;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = r -> {
			Thread t = new Thread(r, "compute-fake-" + threads.incrementAndGet());
			t.setDaemon(true);
			return t;
		};
		this.executor = Executors.newFixedThreadPool(4, factory);
		server.setExecutor(executor);
		server.createContext("/", this::handle);
		server.start();
	}

	/** Starts a fake on 127.0.0.1 and a free port. */
	public static ComputeFirewallFake start() {
		return start(Clock.systemUTC());
	}

	public static ComputeFirewallFake start(Clock clock) {
		try {
			return new ComputeFirewallFake(clock);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * {@code http://127.0.0.1:PORT}: give it to
	 * {@code FirewallsSettings.Builder.setEndpoint}.
	 */
	public String endpoint() {
		return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
	}

	public int port() {
		return server.getAddress().getPort();
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
		try {
			executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	// ----- test controls -----

	/**
	 * How often a new operation is reported {@code RUNNING}, counting the mutation's own
	 * answer: 0 answers {@code DONE} at once; 1 answers {@code RUNNING} and the first
	 * poll {@code DONE}.
	 */
	public void setRunningPolls(int runningPolls) {
		if (runningPolls < 0) {
			throw new IllegalArgumentException("runningPolls < 0");
		}
		synchronized (lock) {
			this.runningPolls = runningPolls;
		}
	}

	/**
	 * The next {@code count} requests, whatever they are, fail with {@code status} (429
	 * or 503, say).
	 */
	public void failNext(int count, int status) {
		if (count < 0 || status < 400 || status > 599) {
			throw new IllegalArgumentException("count " + count + ", status " + status);
		}
		synchronized (lock) {
			this.failuresLeft = count;
			this.failureStatus = status;
		}
	}

	/**
	 * The project's FIREWALLS quota: an insert past it answers 403 {@code quotaExceeded}
	 * ("Quota 'FIREWALLS' exceeded. Limit: N globally."). Unlimited by default.
	 */
	public void setFirewallQuota(int quota) {
		synchronized (lock) {
			this.firewallQuota = quota;
		}
	}

	/**
	 * The next accepted mutation makes no change and its operation ends {@code DONE} with
	 * an {@code error} ({@code errors[].code} = {@code code}),
	 * {@code httpErrorStatusCode} and {@code httpErrorMessage}: a failure the API reports
	 * through the operation, not the request.
	 */
	public void failNextOperation(int httpStatus, String code, String message) {
		synchronized (lock) {
			this.nextOperationFailure = new OperationFailure(httpStatus, code, message);
		}
	}

	private record OperationFailure(int httpStatus, String code, String message) {
	}

	/**
	 * Forgets every firewall, operation, recorded request and pending fault; runningPolls
	 * back to 0, no quota.
	 */
	public void reset() {
		synchronized (lock) {
			firewalls.clear();
			operations.clear();
			requests.clear();
			failuresLeft = 0;
			runningPolls = 0;
			firewallQuota = Integer.MAX_VALUE;
			nextOperationFailure = null;
		}
	}

	/**
	 * Stores a firewall as an insert would (defaults, server fields, the same checks)
	 * without an HTTP request or an operation; returns what is stored.
	 * @throws ComputeApiException when the API would refuse it
	 */
	public ObjectNode seed(String project, ObjectNode firewall) {
		synchronized (lock) {
			return insertLocked(project, firewall).deepCopy();
		}
	}

	/** A copy of a stored firewall. */
	public Optional<ObjectNode> firewall(String project, String name) {
		synchronized (lock) {
			ObjectNode stored = projectFirewalls(project).get(name);
			return Optional.ofNullable(stored == null ? null : stored.deepCopy());
		}
	}

	/** Names of the stored firewalls of a project, in order. */
	public List<String> firewallNames(String project) {
		synchronized (lock) {
			return List.copyOf(projectFirewalls(project).keySet());
		}
	}

	/** A copy of an operation as a poll would see it now (without counting as a poll). */
	public Optional<ObjectNode> operation(String project, String name) {
		synchronized (lock) {
			Operation op = operations.getOrDefault(project, Map.of()).get(name);
			return Optional.ofNullable(op == null ? null : op.json.deepCopy());
		}
	}

	/** Every request received since the last reset, in order. */
	public List<RecordedRequest> requests() {
		synchronized (lock) {
			return List.copyOf(requests);
		}
	}

	/**
	 * One request as received: {@code method} after the method-override header, the raw
	 * header value (or null), the decoded path, the query parameters and the body (empty
	 * when none).
	 */
	public record RecordedRequest(String method, String httpMethod, String methodOverride, String path,
			Map<String, String> query, String body) {

		public JsonNode json() {
			return body.isEmpty() ? NODES.missingNode() : JSON.readTree(body);
		}
	}

	// ---- HTTP
	// ---------------------------------------------------------------------------------

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			int status;
			JsonNode answer;
			try {
				byte[] body = readBody(exchange.getRequestBody());
				String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
				String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
				if (override != null && method.equals("POST")) {
					method = override.trim().toUpperCase(Locale.ROOT);
				}
				String path = exchange.getRequestURI().getRawPath();
				Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
				String text = new String(body, StandardCharsets.UTF_8);
				synchronized (lock) {
					requests.add(new RecordedRequest(method, exchange.getRequestMethod(), override, path, query, text));
					if (failuresLeft > 0) {
						failuresLeft--;
						throw ComputeApiException.injected(failureStatus);
					}
					answer = route(method, path, query, text);
				}
				status = 200;
			}
			catch (ComputeApiException e) {
				status = e.status();
				answer = e.toJson();
			}
			catch (RuntimeException e) {
				status = 500;
				answer = new ComputeApiException(500, "backendError", "fake failed: " + e).toJson();
			}
			byte[] out = JSON.writeValueAsBytes(answer);
			exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
			exchange.sendResponseHeaders(status, out.length);
			try (OutputStream stream = exchange.getResponseBody()) {
				stream.write(out);
			}
		}
	}

	private static byte[] readBody(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		while ((n = in.read(buffer)) >= 0) {
			out.write(buffer, 0, n);
			if (out.size() > MAX_BODY_BYTES) {
				throw new ComputeApiException(413, "payloadTooLarge", "Request body larger than " + MAX_BODY_BYTES);
			}
		}
		return out.toByteArray();
	}

	private static Map<String, String> query(String raw) {
		Map<String, String> out = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return out;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String key = decode(eq < 0 ? pair : pair.substring(0, eq));
			String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
			out.put(key, value);
		}
		return out;
	}

	private static String decode(String s) {
		try {
			return URLDecoder.decode(s, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			throw ComputeApiException.badRequest("Malformed URL escape in '" + s + "'");
		}
	}

	private JsonNode route(String method, String rawPath, Map<String, String> query, String body) {
		Matcher m = PATH.matcher(rawPath);
		if (!m.matches()) {
			throw new ComputeApiException(404, "notFound", "No such API path: " + rawPath);
		}
		String project = decode(m.group(1));
		String collection = m.group(2);
		String name = m.group(3) == null ? null : decode(m.group(3));
		boolean wait = m.group(4) != null;
		if (collection.equals("firewalls") && !wait) {
			if (name == null) {
				if (method.equals("GET")) {
					return list(project, query);
				}
				if (method.equals("POST")) {
					return insert(project, parse(body));
				}
			}
			else {
				switch (method) {
					case "GET":
						return get(project, name);
					case "PATCH":
						return patch(project, name, parse(body));
					case "PUT":
						return update(project, name, parse(body));
					case "DELETE":
						return delete(project, name);
					default:
						break;
				}
			}
		}
		else if (collection.equals("operations") && name != null) {
			if (!wait && method.equals("GET")) {
				return poll(project, name);
			}
			if (wait && method.equals("POST")) {
				return waitFor(project, name);
			}
		}
		throw new ComputeApiException(405, "httpMethodNotAllowed", "Method " + method + " not allowed on " + rawPath);
	}

	private static JsonNode parse(String body) {
		try {
			JsonNode node = JSON.readTree(body);
			FirewallRules.checkShape(node);
			return node;
		}
		catch (JacksonException e) {
			throw ComputeApiException.badRequest("Invalid JSON payload received. " + e.getOriginalMessage());
		}
	}

	// ---- firewalls
	// ----------------------------------------------------------------------------

	private JsonNode insert(String project, JsonNode body) {
		if (nextOperationFailure != null) {
			ObjectNode firewall = withDefaults(project, ((ObjectNode) body).deepCopy());
			FirewallRules.check(firewall);
			String name = firewall.get("name").asString();
			firewall.put("selfLink", selfLink(project, name));
			firewall.put("id", Long.toUnsignedString(nextId++));
			return newOperation(project, "insert", firewall);
		}
		ObjectNode stored = insertLocked(project, (ObjectNode) body);
		return newOperation(project, "insert", stored);
	}

	private ObjectNode insertLocked(String project, ObjectNode body) {
		FirewallRules.checkShape(body);
		ObjectNode firewall = withDefaults(project, body.deepCopy());
		FirewallRules.check(firewall);
		String name = firewall.get("name").asString();
		SortedMap<String, ObjectNode> byName = projectFirewalls(project);
		if (byName.containsKey(name)) {
			throw ComputeApiException.alreadyExists(resource(project, name));
		}
		int total = firewalls.values().stream().mapToInt(Map::size).sum();
		if (total >= firewallQuota) {
			throw new ComputeApiException(403, "quotaExceeded",
					"Quota 'FIREWALLS' exceeded.  Limit: " + firewallQuota + ".0 globally.");
		}
		firewall.put("kind", "compute#firewall");
		firewall.put("id", Long.toUnsignedString(nextId++));
		firewall.put("creationTimestamp", now());
		firewall.put("selfLink", selfLink(project, name));
		byName.put(name, ordered(firewall));
		return byName.get(name);
	}

	private JsonNode get(String project, String name) {
		return existing(project, name).deepCopy();
	}

	private JsonNode list(String project, Map<String, String> query) {
		for (String key : query.keySet()) {
			if (key.equals("filter") && !query.get(key).isEmpty()) {
				throw ComputeApiException.invalid("The fake does not implement 'filter'.");
			}
			if (key.equals("orderBy") && !query.get(key).isEmpty() && !query.get(key).equals("name")) {
				throw ComputeApiException.invalid("The fake implements only orderBy=name (the default order).");
			}
		}
		int max = MAX_RESULTS_DEFAULT;
		if (query.containsKey("maxResults")) {
			try {
				max = Integer.parseInt(query.get("maxResults"));
			}
			catch (NumberFormatException e) {
				throw ComputeApiException.invalid("Invalid value for maxResults: " + query.get("maxResults"));
			}
			if (max < 0 || max > MAX_RESULTS_DEFAULT) {
				throw ComputeApiException.invalid("Invalid value for field 'maxResults': " + max
						+ ". Must be between 0 and " + MAX_RESULTS_DEFAULT + ".");
			}
			if (max == 0) {
				max = MAX_RESULTS_DEFAULT;
			}
		}
		SortedMap<String, ObjectNode> byName = projectFirewalls(project);
		String token = query.get("pageToken");
		if (token != null && !token.isEmpty()) {
			String after;
			try {
				after = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException e) {
				throw ComputeApiException.invalid("Invalid value for field 'pageToken': '" + token + "'.");
			}
			if (!after.startsWith("after:")) {
				throw ComputeApiException.invalid("Invalid value for field 'pageToken': '" + token + "'.");
			}
			byName = byName.tailMap(after.substring("after:".length()) + "\0");
		}
		ObjectNode answer = NODES.objectNode();
		answer.put("kind", "compute#firewallList");
		answer.put("id", "projects/" + project + "/global/firewalls");
		List<ObjectNode> page = new ArrayList<>();
		for (ObjectNode firewall : byName.values()) {
			if (page.size() == max) {
				break;
			}
			page.add(firewall);
		}
		if (!page.isEmpty()) {
			ArrayNode items = answer.putArray("items");
			page.forEach(f -> items.add(f.deepCopy()));
		}
		answer.put("selfLink", LINK_BASE + "projects/" + project + "/global/firewalls");
		if (page.size() == max && byName.size() > max) {
			String last = page.get(page.size() - 1).get("name").asString();
			answer.put("nextPageToken",
					Base64.getUrlEncoder()
						.withoutPadding()
						.encodeToString(("after:" + last).getBytes(StandardCharsets.UTF_8)));
		}
		return answer;
	}

	private JsonNode patch(String project, String name, JsonNode body) {
		ObjectNode current = existing(project, name);
		ObjectNode merged = current.deepCopy();
		mergePatch(merged, (ObjectNode) body);
		return replace(project, name, current, merged, "patch");
	}

	private JsonNode update(String project, String name, JsonNode body) {
		ObjectNode current = existing(project, name);
		return replace(project, name, current, ((ObjectNode) body).deepCopy(), "update");
	}

	private JsonNode replace(String project, String name, ObjectNode current, ObjectNode next, String type) {
		for (String serverField : List.of("kind", "id", "creationTimestamp", "selfLink")) {
			next.remove(serverField);
		}
		String nextName = FirewallRules.text(next, "name");
		if (nextName == null) {
			next.put("name", name);
		}
		else if (!nextName.equals(name)) {
			throw ComputeApiException.invalidField("name", nextName,
					"A firewall's name cannot be changed (it is " + name + ").");
		}
		ObjectNode firewall = withDefaults(project, next);
		FirewallRules.check(firewall);
		if (!firewall.get("direction").equals(current.get("direction"))) {
			throw ComputeApiException.invalidField("direction", firewall.get("direction").asString(),
					"A firewall's direction cannot be changed.");
		}
		for (String serverField : List.of("kind", "id", "creationTimestamp", "selfLink")) {
			firewall.set(serverField, current.get(serverField));
		}
		ObjectNode stored = ordered(firewall);
		if (nextOperationFailure == null) {
			projectFirewalls(project).put(name, stored);
		}
		return newOperation(project, type, stored);
	}

	private JsonNode delete(String project, String name) {
		ObjectNode current = existing(project, name);
		if (nextOperationFailure == null) {
			projectFirewalls(project).remove(name);
		}
		return newOperation(project, "delete", current);
	}

	private ObjectNode existing(String project, String name) {
		ObjectNode stored = projectFirewalls(project).get(name);
		if (stored == null) {
			throw ComputeApiException.notFound(resource(project, name));
		}
		return stored;
	}

	private SortedMap<String, ObjectNode> projectFirewalls(String project) {
		return firewalls.computeIfAbsent(project, p -> new TreeMap<>());
	}

	/**
	 * RFC 7396: objects merge member by member, {@code null} removes, anything else
	 * replaces.
	 */
	static void mergePatch(ObjectNode target, ObjectNode patch) {
		for (Map.Entry<String, JsonNode> field : patch.properties()) {
			JsonNode value = field.getValue();
			if (value.isNull()) {
				target.remove(field.getKey());
			}
			else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode) {
				mergePatch((ObjectNode) target.get(field.getKey()), (ObjectNode) value);
			}
			else if (value.isObject()) {
				ObjectNode fresh = NODES.objectNode();
				mergePatch(fresh, (ObjectNode) value);
				target.set(field.getKey(), fresh);
			}
			else {
				target.set(field.getKey(), value.deepCopy());
			}
		}
	}

	/**
	 * The defaults the API fills in, the network as a full URL; empty lists and nulls
	 * dropped.
	 */
	private ObjectNode withDefaults(String project, ObjectNode firewall) {
		List<String> drop = new ArrayList<>();
		for (Map.Entry<String, JsonNode> field : firewall.properties()) {
			JsonNode value = field.getValue();
			if (value.isNull() || (value.isArray() && value.isEmpty())) {
				drop.add(field.getKey());
			}
		}
		drop.forEach(firewall::remove);
		if (!firewall.has("priority")) {
			firewall.put("priority", 1000);
		}
		if (!firewall.has("direction")) {
			firewall.put("direction", "INGRESS");
		}
		if (!firewall.has("disabled")) {
			firewall.put("disabled", false);
		}
		if (!(firewall.get("logConfig") instanceof ObjectNode)) {
			firewall.putObject("logConfig");
		}
		ObjectNode log = (ObjectNode) firewall.get("logConfig");
		if (!log.has("enable")) {
			log.put("enable", false);
		}
		String network = FirewallRules.text(firewall, "network");
		if (network == null || network.isEmpty()) {
			firewall.put("network", LINK_BASE + "projects/" + project + "/global/networks/default");
		}
		else {
			Matcher m = NETWORK.matcher(network);
			if (!m.matches()) {
				throw ComputeApiException.invalidField("network", network,
						"Must be a network URL: [https://www.googleapis.com/compute/v1/][projects/P/]global/networks/N.");
			}
			String networkProject = m.group(1) == null ? project : m.group(1);
			firewall.put("network", LINK_BASE + "projects/" + networkProject + "/global/networks/" + m.group(2));
		}
		return firewall;
	}

	/**
	 * The field order of the REST reference's JSON representation, for readable dumps.
	 */
	private static ObjectNode ordered(ObjectNode firewall) {
		ObjectNode out = NODES.objectNode();
		for (String key : List.of("kind", "id", "creationTimestamp", "name", "description", "network", "priority",
				"sourceRanges", "destinationRanges", "sourceTags", "targetTags", "sourceServiceAccounts",
				"targetServiceAccounts", "allowed", "denied", "direction", "logConfig", "disabled", "selfLink")) {
			if (firewall.has(key)) {
				out.set(key, firewall.get(key));
			}
		}
		for (Map.Entry<String, JsonNode> field : firewall.properties()) {
			if (!out.has(field.getKey())) {
				out.set(field.getKey(), field.getValue());
			}
		}
		return out;
	}

	// ---- operations
	// ---------------------------------------------------------------------------

	private static final class Operation {

		final ObjectNode json;

		int runningLeft;

		OperationFailure failure;

		Operation(ObjectNode json, int runningLeft) {
			this.json = json;
			this.runningLeft = runningLeft;
		}

	}

	private JsonNode newOperation(String project, String type, ObjectNode target) {
		long id = nextId++;
		String name = "operation-" + clock.millis() + "-" + Long.toHexString(id);
		ObjectNode op = NODES.objectNode();
		op.put("kind", "compute#operation");
		op.put("id", Long.toUnsignedString(id));
		op.put("name", name);
		op.put("operationType", type);
		op.put("targetLink", target.get("selfLink").asString());
		op.put("targetId", target.get("id").asString());
		op.put("status", "RUNNING");
		op.put("user", "polyfence-test@example.iam.gserviceaccount.com");
		op.put("progress", 0);
		op.put("insertTime", now());
		op.put("startTime", now());
		op.put("selfLink", LINK_BASE + "projects/" + project + "/global/operations/" + name);
		Operation operation = new Operation(op, runningPolls);
		operation.failure = nextOperationFailure;
		nextOperationFailure = null;
		operations.computeIfAbsent(project, p -> new LinkedHashMap<>()).put(name, operation);
		return report(operation);
	}

	/** One look at the operation: RUNNING while looks are left, then DONE for good. */
	private JsonNode report(Operation operation) {
		if (operation.runningLeft > 0) {
			operation.runningLeft--;
		}
		else if (!"DONE".equals(operation.json.get("status").asString())) {
			operation.json.put("status", "DONE");
			operation.json.put("progress", 100);
			operation.json.put("endTime", now());
			OperationFailure failure = operation.failure;
			if (failure != null) {
				ObjectNode error = operation.json.putObject("error");
				ObjectNode item = error.putArray("errors").addObject();
				item.put("code", failure.code());
				item.put("message", failure.message());
				operation.json.put("httpErrorStatusCode", failure.httpStatus());
				operation.json.put("httpErrorMessage", reasonPhrase(failure.httpStatus()));
			}
		}
		return operation.json.deepCopy();
	}

	private JsonNode poll(String project, String name) {
		return report(existingOperation(project, name));
	}

	private JsonNode waitFor(String project, String name) {
		Operation operation = existingOperation(project, name);
		operation.runningLeft = 0;
		return report(operation);
	}

	private Operation existingOperation(String project, String name) {
		Operation operation = operations.getOrDefault(project, Map.of()).get(name);
		if (operation == null) {
			throw ComputeApiException.notFound("projects/" + project + "/global/operations/" + name);
		}
		return operation;
	}

	// ---- helpers
	// ------------------------------------------------------------------------------

	private static String reasonPhrase(int status) {
		switch (status) {
			case 400:
				return "BAD REQUEST";
			case 403:
				return "FORBIDDEN";
			case 404:
				return "NOT FOUND";
			case 409:
				return "CONFLICT";
			case 412:
				return "PRECONDITION FAILED";
			case 429:
				return "TOO MANY REQUESTS";
			case 503:
				return "SERVICE UNAVAILABLE";
			default:
				return "ERROR";
		}
	}

	private static String resource(String project, String name) {
		return "projects/" + project + "/global/firewalls/" + name;
	}

	private static String selfLink(String project, String name) {
		return LINK_BASE + resource(project, name);
	}

	private String now() {
		return OffsetDateTime.now(clock)
			.withOffsetSameInstant(ZoneOffset.UTC)
			.truncatedTo(ChronoUnit.MILLIS)
			.format(TIMESTAMP);
	}

	/** Unmodifiable view used by tests that want the whole state of one project. */
	public Map<String, ObjectNode> snapshot(String project) {
		synchronized (lock) {
			Map<String, ObjectNode> out = new LinkedHashMap<>();
			projectFirewalls(project).forEach((k, v) -> out.put(k, v.deepCopy()));
			return Collections.unmodifiableMap(out);
		}
	}

}
