package dev.polyfence.testing.arm;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful fake of the Azure Resource Manager API for network security groups, on
 * 127.0.0.1 and a free port, for tests that drive the real Azure SDK
 * ({@code azure-resourcemanager-network}) over plain HTTP. Azure has no emulator, so the
 * project keeps this one.
 *
 * <p>
 * Routes, all requiring the {@code api-version} query parameter (400
 * {@code MissingApiVersionParameter} otherwise), under
 * {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Network/networkSecurityGroups}:
 * <ul>
 * <li>{@code GET} (list, paged with {@code nextLink} beyond {@link #pageSize(int)});</li>
 * <li>{@code PUT|GET|PATCH(tags)|DELETE /{nsg}};</li>
 * <li>{@code GET /{nsg}/securityRules} (paged), {@code PUT|GET|DELETE
 * /{nsg}/securityRules/{rule}};</li>
 * <li>{@code GET /{nsg}/defaultSecurityRules[/{rule}]};</li>
 * <li>{@code GET /subscriptions/{sub}/providers/Microsoft.Network/networkSecurityGroups}
 * (all groups);</li>
 * <li>the operation URLs it hands out: {@code .../locations/{loc}/operations/{id}}
 * (Azure-AsyncOperation, {@code {"status": "InProgress" | "Succeeded"}}) and
 * {@code .../operationResults/{id}} (Location: 202, then 204).</li>
 * </ul>
 *
 * <p>
 * Long-running operations: with {@link #inProgressPolls(int)} = 0 (the default) PUT and
 * DELETE complete synchronously (200/201 with {@code provisioningState: Succeeded};
 * DELETE 200). With {@code n > 0}, PUT answers 200/201 with
 * {@code provisioningState: Updating} and an {@code Azure-AsyncOperation} header, DELETE
 * answers 202 with {@code Location} and {@code Azure-AsyncOperation}; the status URL
 * answers {@code InProgress} n times, then {@code Succeeded}. Every such answer carries
 * {@code Retry-After: 1}: the SDK ignores 0 and then waits 30 s.
 *
 * <p>
 * What it checks is in {@link NsgRuleValidator}; in addition {@code SecurityRuleConflict}
 * (same priority and direction), {@code SecurityRuleCountLimitReached} (over 1000 rules),
 * {@code SecurityRuleAddressesOrPortsPerSecurityGroupLimitReached} (over 4000 prefixes on
 * one side), {@code DuplicateResourceName}, {@code LocationRequired},
 * {@code InvalidResourceLocation}, 404 {@code ResourceNotFound} for a missing group or
 * rule and {@code ParentResourceNotFound} for a rule of a missing group. Deleting what
 * does not exist answers 204, as ARM does.
 *
 * <p>
 * Not modelled: resource groups (any name exists), application security groups (an id of
 * the right shape is accepted), subnets and NICs, {@code If-Match}, ARM's unknown-field
 * rules (unknown fields are ignored).
 *
 * <p>
 * For tests: {@link #failNext(int, int)} (429 or 503 with {@code Retry-After: 1}),
 * {@link #nsg(String, String, String)} and {@link #seed(String, String, String)} to read
 * and seed state, {@link #requests()} for what clients sent, {@link #reset()}.
 */
public final class ArmNsgFake implements AutoCloseable {

	static final String NSG_TYPE = "Microsoft.Network/networkSecurityGroups";

	static final String RULE_TYPE = "Microsoft.Network/networkSecurityGroups/securityRules";

	static final String DEFAULT_RULE_TYPE = "Microsoft.Network/networkSecurityGroups/defaultSecurityRules";

	private static final Pattern API_VERSION = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}(-preview)?$");

	private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

	private static final int MAX_RECORDED = 2000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * The six rules every NSG has: name, description, priority, direction, access,
	 * source, destination.
	 */
	private static final List<String[]> DEFAULT_RULES = List.of(
			new String[] { "AllowVnetInBound", "Allow inbound traffic from all VMs in VNET", "65000", "Inbound",
					"Allow", "VirtualNetwork", "VirtualNetwork" },
			new String[] { "AllowAzureLoadBalancerInBound", "Allow inbound traffic from azure load balancer", "65001",
					"Inbound", "Allow", "AzureLoadBalancer", "*" },
			new String[] { "DenyAllInBound", "Deny all inbound traffic", "65500", "Inbound", "Deny", "*", "*" },
			new String[] { "AllowVnetOutBound", "Allow outbound traffic from all VMs to all VMs in VNET", "65000",
					"Outbound", "Allow", "VirtualNetwork", "VirtualNetwork" },
			new String[] { "AllowInternetOutBound", "Allow outbound traffic from all VMs to Internet", "65001",
					"Outbound", "Allow", "*", "Internet" },
			new String[] { "DenyAllOutBound", "Deny all outbound traffic", "65500", "Outbound", "Deny", "*", "*" });

	/** One request as the fake received it. */
	public record RecordedRequest(String method, String path, Map<String, String> query, String body) {
	}

	private static final class Nsg {

		final String subscription;

		final String resourceGroup;

		final String name;

		final String location;

		String resourceGuid = UUID.randomUUID().toString();

		ObjectNode tags;

		/** By lower-case name, in the order first written. */
		final LinkedHashMap<String, Rule> rules = new LinkedHashMap<>();

		String etag = newEtag();

		String provisioningState = "Succeeded";

		Nsg(String subscription, String resourceGroup, String name, String location) {
			this.subscription = subscription;
			this.resourceGroup = resourceGroup;
			this.name = name;
			this.location = location;
		}

		String id() {
			return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup + "/providers/" + NSG_TYPE
					+ "/" + name;
		}

	}

	private static final class Rule {

		final String name;

		final ObjectNode properties;

		String provisioningState = "Succeeded";

		Rule(String name, ObjectNode properties) {
			this.name = name;
			this.properties = properties;
		}

	}

	/**
	 * A long-running operation: polls left before it succeeds, and what completing it
	 * does.
	 */
	private static final class Operation {

		int inProgressLeft;

		final Runnable complete;

		boolean done;

		Operation(int inProgressLeft, Runnable complete) {
			this.inProgressLeft = inProgressLeft;
			this.complete = complete;
		}

	}

	private final HttpServer server;

	private final ExecutorService executor;

	private final String base;

	private final Object lock = new Object();

	/** Key: lower-case "sub/rg"; value by lower-case NSG name. */
	private final Map<String, LinkedHashMap<String, Nsg>> groups = new HashMap<>();

	private final Map<String, Operation> operations = new HashMap<>();

	private final Deque<Integer> faults = new ArrayDeque<>();

	private final List<RecordedRequest> recorded = new ArrayList<>();

	private final AtomicInteger requestCount = new AtomicInteger();

	private int inProgressPolls;

	private int pageSize = 100;

	private ArmNsgFake(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
		this.base = "http://127.0.0.1:" + server.getAddress().getPort();
	}

	/** Starts a fake on 127.0.0.1 and a free port; close it when done. */
	public static ArmNsgFake start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
			ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
				Thread t = new Thread(r, "arm-nsg-fake");
				t.setDaemon(true);
				return t;
			});
			server.setExecutor(executor);
			ArmNsgFake fake = new ArmNsgFake(server, executor);
			server.createContext("/", fake::handle);
			server.start();
			return fake;
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot start the ARM fake on 127.0.0.1", e);
		}
	}

	/**
	 * The endpoint to give the SDK as {@code resourceManagerEndpointUrl}, with a trailing
	 * '/'.
	 */
	public String endpoint() {
		return base + "/";
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
	 * How many {@code InProgress} answers each long-running operation gives; 0 completes
	 * synchronously.
	 */
	public ArmNsgFake inProgressPolls(int n) {
		if (n < 0) {
			throw new IllegalArgumentException("n must be >= 0");
		}
		synchronized (lock) {
			this.inProgressPolls = n;
		}
		return this;
	}

	/**
	 * Page size of list answers; more items than this and the answer carries a
	 * {@code nextLink}.
	 */
	public ArmNsgFake pageSize(int n) {
		if (n < 1) {
			throw new IllegalArgumentException("n must be >= 1");
		}
		synchronized (lock) {
			this.pageSize = n;
		}
		return this;
	}

	/**
	 * The next {@code count} requests, whatever they are, answer {@code status} (429 or
	 * 503) with {@code Retry-After: 1}.
	 */
	public ArmNsgFake failNext(int count, int status) {
		if (status != 429 && status != 503) {
			throw new IllegalArgumentException("status must be 429 or 503");
		}
		synchronized (lock) {
			for (int i = 0; i < count; i++) {
				faults.add(status);
			}
		}
		return this;
	}

	/**
	 * Forgets all groups, operations, faults and recorded requests; settings go back to
	 * their defaults.
	 */
	public void reset() {
		synchronized (lock) {
			groups.clear();
			operations.clear();
			faults.clear();
			recorded.clear();
			inProgressPolls = 0;
			pageSize = 100;
		}
	}

	/** Requests received so far (at most the last 2000), oldest first. */
	public List<RecordedRequest> requests() {
		synchronized (lock) {
			return List.copyOf(recorded);
		}
	}

	/** Number of HTTP requests received, faults included. */
	public int requestCount() {
		return requestCount.get();
	}

	/** The NSG as a GET would answer it, or empty. */
	public Optional<JsonNode> nsg(String subscription, String resourceGroup, String name) {
		synchronized (lock) {
			Nsg nsg = find(subscription, resourceGroup, name);
			return nsg == null ? Optional.empty() : Optional.of(render(nsg));
		}
	}

	/** Names of the resource group's NSGs, in creation order. */
	public List<String> nsgNames(String subscription, String resourceGroup) {
		synchronized (lock) {
			List<String> names = new ArrayList<>();
			group(subscription, resourceGroup).values().forEach(n -> names.add(n.name));
			return names;
		}
	}

	/**
	 * Creates or replaces an NSG from an ARM request body ({@code {location, tags,
	 * properties: {securityRules}}}), with the same checks as a PUT, completed at once.
	 * @throws IllegalArgumentException with ARM's code and message when ARM would refuse
	 * it
	 */
	public JsonNode seed(String subscription, String resourceGroup, String armJson) {
		synchronized (lock) {
			try {
				putNsg(subscription, resourceGroup, decodeName(armJson), JSON.readTree(armJson), true);
				return render(find(subscription, resourceGroup, decodeName(armJson)));
			}
			catch (ArmException e) {
				throw new IllegalArgumentException(e.code() + ": " + e.getMessage(), e);
			}
		}
	}

	private static String decodeName(String armJson) {
		JsonNode name = JSON.readTree(armJson).get("name");
		if (name == null || !name.isString()) {
			throw new IllegalArgumentException("seed needs the NSG's \"name\" in the body");
		}
		return name.stringValue();
	}

	// ----- HTTP -----

	private void handle(HttpExchange exchange) throws IOException {
		requestCount.incrementAndGet();
		try (exchange) {
			String requestId = UUID.randomUUID().toString();
			Headers headers = exchange.getResponseHeaders();
			headers.set("x-ms-request-id", requestId);
			headers.set("x-ms-correlation-request-id", requestId);
			String body;
			try {
				body = readBody(exchange.getRequestBody());
			}
			catch (ArmException e) {
				send(exchange, e.status(), error(e.code(), e.getMessage()));
				return;
			}
			Answer answer;
			synchronized (lock) {
				Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
				List<String> segments = segments(exchange.getRequestURI().getRawPath());
				String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
				if (recorded.size() >= MAX_RECORDED) {
					recorded.remove(0);
				}
				recorded.add(new RecordedRequest(method, "/" + String.join("/", segments), query, body));
				Integer fault = faults.poll();
				if (fault != null) {
					answer = new Answer(fault, fault == 429 ? error("SubscriptionRequestsThrottled",
							"Number of requests for subscription '" + (segments.size() > 1 ? segments.get(1) : "")
									+ "' exceeded the limit. Please try again after '1' seconds.")
							: error("ServiceUnavailable",
									"The service is temporarily unavailable. Please try again later."));
					answer.headers.put("Retry-After", "1");
				}
				else {
					try {
						answer = route(method, segments, query, body);
					}
					catch (ArmException e) {
						answer = new Answer(e.status(), error(e.code(), e.getMessage()));
					}
				}
			}
			answer.headers.forEach(headers::set);
			send(exchange, answer.status, answer.body);
		}
	}

	private static String readBody(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
		if (bytes.length > MAX_BODY_BYTES) {
			throw new ArmException(413, "RequestEntityTooLarge", "The request body is too large.");
		}
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
		if (body == null) {
			exchange.sendResponseHeaders(status, -1);
			return;
		}
		byte[] bytes = JSON.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static final class Answer {

		final int status;

		final JsonNode body;

		final Map<String, String> headers = new LinkedHashMap<>();

		Answer(int status, JsonNode body) {
			this.status = status;
			this.body = body;
		}

	}

	private static Map<String, String> query(String raw) {
		Map<String, String> out = new LinkedHashMap<>();
		if (raw == null || raw.isEmpty()) {
			return out;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
			String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
			out.put(key, value);
		}
		return out;
	}

	private static List<String> segments(String rawPath) {
		List<String> out = new ArrayList<>();
		for (String s : rawPath.split("/")) {
			if (!s.isEmpty()) {
				out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
			}
		}
		return out;
	}

	private static boolean is(List<String> segments, int i, String literal) {
		return segments.size() > i && segments.get(i).equalsIgnoreCase(literal);
	}

	private Answer route(String method, List<String> s, Map<String, String> query, String body) {
		String apiVersion = query.get("api-version");
		if (apiVersion == null || apiVersion.isEmpty()) {
			throw ArmException.badRequest("MissingApiVersionParameter",
					"The api-version query parameter (?api-version=) is required for all requests.");
		}
		if (!API_VERSION.matcher(apiVersion).matches()) {
			throw ArmException.badRequest("InvalidApiVersionParameter",
					"The api-version '" + apiVersion + "' is invalid. The supported versions are 'yyyy-mm-dd'.");
		}
		if (!is(s, 0, "subscriptions") || s.size() < 5) {
			throw notFoundRoute();
		}
		String sub = s.get(1);
		// /subscriptions/{sub}/providers/Microsoft.Network/...
		if (is(s, 2, "providers") && is(s, 3, "Microsoft.Network")) {
			if (s.size() == 5 && is(s, 4, "networkSecurityGroups") && method.equals("GET")) {
				List<JsonNode> all = new ArrayList<>();
				groups.forEach((key, nsgs) -> {
					if (key.startsWith(sub.toLowerCase(Locale.ROOT) + "/")) {
						nsgs.values().forEach(n -> all.add(render(n)));
					}
				});
				return page(all, query, "/subscriptions/" + sub + "/providers/Microsoft.Network/networkSecurityGroups",
						apiVersion);
			}
			if (s.size() == 8 && is(s, 4, "locations") && method.equals("GET")) {
				if (is(s, 6, "operations")) {
					return operationStatus(s.get(7));
				}
				if (is(s, 6, "operationResults")) {
					return operationResult(s.get(7));
				}
			}
			throw notFoundRoute();
		}
		if (!is(s, 2, "resourceGroups") || s.size() < 7 || !is(s, 4, "providers") || !is(s, 5, "Microsoft.Network")
				|| !is(s, 6, "networkSecurityGroups")) {
			throw notFoundRoute();
		}
		String rg = s.get(3);
		if (s.size() == 7) {
			if (!method.equals("GET")) {
				throw methodNotAllowed(method);
			}
			List<JsonNode> all = new ArrayList<>();
			group(sub, rg).values().forEach(n -> all.add(render(n)));
			return page(all, query, nsgCollectionPath(sub, rg), apiVersion);
		}
		String name = s.get(7);
		if (s.size() == 8) {
			switch (method) {
				case "GET":
					return new Answer(200, render(required(sub, rg, name)));
				case "PUT":
					return putNsg(sub, rg, name, parse(body), false);
				case "PATCH":
					return patchTags(sub, rg, name, parse(body));
				case "DELETE":
					return deleteNsg(sub, rg, name, apiVersion);
				default:
					throw methodNotAllowed(method);
			}
		}
		boolean defaults = is(s, 8, "defaultSecurityRules");
		if (!defaults && !is(s, 8, "securityRules") || s.size() > 10) {
			throw notFoundRoute();
		}
		Nsg nsg = find(sub, rg, name);
		if (nsg == null) {
			throw new ArmException(404, "ParentResourceNotFound",
					"Can not perform requested operation on nested resource. " + "Parent resource '" + name
							+ "' not found.");
		}
		if (s.size() == 9) {
			if (!method.equals("GET")) {
				throw methodNotAllowed(method);
			}
			List<JsonNode> all = new ArrayList<>();
			if (defaults) {
				renderDefaults(nsg).forEach(all::add);
			}
			else {
				nsg.rules.values().forEach(r -> all.add(renderRule(nsg, r)));
			}
			return page(all, query, nsg.id() + "/" + s.get(8), apiVersion);
		}
		String ruleName = s.get(9);
		if (defaults) {
			if (!method.equals("GET")) {
				throw methodNotAllowed(method);
			}
			for (JsonNode d : renderDefaults(nsg)) {
				if (d.get("name").stringValue().equalsIgnoreCase(ruleName)) {
					return new Answer(200, d);
				}
			}
			throw ruleNotFound(nsg, ruleName);
		}
		switch (method) {
			case "GET": {
				Rule rule = nsg.rules.get(ruleName.toLowerCase(Locale.ROOT));
				if (rule == null) {
					throw ruleNotFound(nsg, ruleName);
				}
				return new Answer(200, renderRule(nsg, rule));
			}
			case "PUT":
				return putRule(nsg, ruleName, parse(body));
			case "DELETE":
				return deleteRule(nsg, ruleName);
			default:
				throw methodNotAllowed(method);
		}
	}

	// ----- NSGs -----

	private Answer putNsg(String sub, String rg, String name, JsonNode body, boolean immediate) {
		NsgRuleValidator.checkName(name);
		if (!body.isObject()) {
			throw NsgRuleValidator.parseError("", body.toString(), "NetworkSecurityGroup");
		}
		JsonNode location = body.get("location");
		if (location == null || !location.isString() || location.stringValue().isBlank()) {
			throw ArmException.badRequest("LocationRequired", "The location property is required for this definition.");
		}
		String loc = location.stringValue().toLowerCase(Locale.ROOT).replace(" ", "");
		Nsg existing = find(sub, rg, name);
		if (existing != null && !existing.location.equals(loc)) {
			throw ArmException.badRequest("InvalidResourceLocation",
					"The resource '" + name + "' already exists in location '" + existing.location
							+ "' in resource group '" + rg + "'. A resource with the same name cannot be created "
							+ "in location '" + loc + "'. Please select a new resource name.");
		}
		Nsg nsg = new Nsg(sub, rg, existing == null ? name : existing.name, loc);
		JsonNode tags = body.get("tags");
		if (tags != null && !tags.isNull()) {
			if (!tags.isObject()) {
				throw NsgRuleValidator.parseError("tags", tags.toString(), "Dictionary`2");
			}
			nsg.tags = (ObjectNode) tags.deepCopy();
		}
		JsonNode properties = body.get("properties");
		JsonNode rules = properties == null || properties.isNull() ? null : properties.get("securityRules");
		if (rules != null && !rules.isNull()) {
			if (!rules.isArray()) {
				throw NsgRuleValidator.parseError("properties.securityRules", rules.toString(), "List`1");
			}
			int i = 0;
			for (JsonNode rule : rules) {
				String path = "properties.securityRules[" + i++ + "]";
				JsonNode ruleName = rule.get("name");
				String rn = ruleName == null || !ruleName.isString() ? null : ruleName.stringValue();
				String ruleId = nsg.id() + "/securityRules/" + rn;
				if (rn != null && nsg.rules.containsKey(rn.toLowerCase(Locale.ROOT))) {
					throw ArmException.badRequest("DuplicateResourceName",
							"Resource " + nsg.id() + " has two child resources with the same name (" + rn + ").");
				}
				ObjectNode props = NsgRuleValidator.normalize(rn, rule.get("properties"), ruleId, path);
				nsg.rules.put(rn.toLowerCase(Locale.ROOT), new Rule(rn, props));
			}
		}
		checkNsg(nsg, null);
		if (existing != null) {
			// the resource guid survives an update
			nsg.resourceGuid = existing.resourceGuid;
		}
		group(sub, rg).put(name.toLowerCase(Locale.ROOT), nsg);
		int status = existing == null ? 201 : 200;
		if (immediate || inProgressPolls == 0) {
			return new Answer(status, render(nsg));
		}
		nsg.provisioningState = "Updating";
		nsg.rules.values().forEach(r -> r.provisioningState = "Updating");
		Answer answer = new Answer(status, render(nsg));
		startOperation(answer, nsg.location, sub, () -> {
			nsg.provisioningState = "Succeeded";
			nsg.rules.values().forEach(r -> r.provisioningState = "Succeeded");
		}, false);
		return answer;
	}

	private Answer patchTags(String sub, String rg, String name, JsonNode body) {
		Nsg nsg = required(sub, rg, name);
		JsonNode tags = body.get("tags");
		if (tags != null && tags.isObject()) {
			nsg.tags = (ObjectNode) tags.deepCopy();
			nsg.etag = newEtag();
		}
		return new Answer(200, render(nsg));
	}

	private Answer deleteNsg(String sub, String rg, String name, String apiVersion) {
		Nsg nsg = find(sub, rg, name);
		if (nsg == null) {
			return new Answer(204, null);
		}
		Runnable remove = () -> group(sub, rg).remove(name.toLowerCase(Locale.ROOT));
		if (inProgressPolls == 0) {
			remove.run();
			return new Answer(200, null);
		}
		nsg.provisioningState = "Deleting";
		Answer answer = new Answer(202, null);
		startOperation(answer, nsg.location, sub, remove, true);
		return answer;
	}

	// ----- rules -----

	private Answer putRule(Nsg nsg, String ruleName, JsonNode body) {
		String key = ruleName.toLowerCase(Locale.ROOT);
		String ruleId = nsg.id() + "/securityRules/" + ruleName;
		if (!body.isObject()) {
			throw NsgRuleValidator.parseError("", body.toString(), "SecurityRule");
		}
		ObjectNode props = NsgRuleValidator.normalize(ruleName, body.get("properties"), ruleId, "");
		Rule existing = nsg.rules.get(key);
		Rule rule = new Rule(existing == null ? ruleName : existing.name, props);
		LinkedHashMap<String, Rule> next = new LinkedHashMap<>(nsg.rules);
		next.put(key, rule);
		checkRules(nsg, next, rule);
		nsg.rules.clear();
		nsg.rules.putAll(next);
		nsg.etag = newEtag();
		int status = existing == null ? 201 : 200;
		if (inProgressPolls == 0) {
			return new Answer(status, renderRule(nsg, rule));
		}
		rule.provisioningState = "Updating";
		Answer answer = new Answer(status, renderRule(nsg, rule));
		startOperation(answer, nsg.location, nsg.subscription, () -> rule.provisioningState = "Succeeded", false);
		return answer;
	}

	private Answer deleteRule(Nsg nsg, String ruleName) {
		String key = ruleName.toLowerCase(Locale.ROOT);
		Rule rule = nsg.rules.get(key);
		if (rule == null) {
			return new Answer(204, null);
		}
		Runnable remove = () -> {
			nsg.rules.remove(key);
			nsg.etag = newEtag();
		};
		if (inProgressPolls == 0) {
			remove.run();
			return new Answer(200, null);
		}
		rule.provisioningState = "Deleting";
		Answer answer = new Answer(202, null);
		startOperation(answer, nsg.location, nsg.subscription, remove, true);
		return answer;
	}

	private void checkNsg(Nsg nsg, Rule changed) {
		checkRules(nsg, nsg.rules, changed);
	}

	/** NSG-wide checks: count, prefix totals, priority and direction unique. */
	private static void checkRules(Nsg nsg, Map<String, Rule> rules, Rule changed) {
		if (rules.size() > NsgRuleValidator.RULES_PER_NSG) {
			throw ArmException.badRequest("SecurityRuleCountLimitReached",
					"A security group cannot have more than " + NsgRuleValidator.RULES_PER_NSG + " security rules.");
		}
		for (String side : List.of("source", "destination")) {
			int count = 0;
			for (Rule r : rules.values()) {
				JsonNode many = r.properties.get(side + "AddressPrefixes");
				count += many != null ? many.size() : r.properties.has(side + "AddressPrefix") ? 1 : 0;
			}
			if (count > NsgRuleValidator.PREFIXES_PER_NSG_SIDE) {
				String field = side.equals("source") ? "SourceAddressPrefixes" : "DestinationAddressPrefixes";
				throw ArmException.badRequest("SecurityRuleAddressesOrPortsPerSecurityGroupLimitReached",
						"Network security group " + nsg.id() + " has " + count + " " + field
								+ ". A security group cannot " + "have more than "
								+ NsgRuleValidator.PREFIXES_PER_NSG_SIDE + " " + field
								+ " as per the limit MaxSecurityRuleAddressesOrPortsPerSecurityGroup.");
			}
		}
		Map<String, Rule> seen = new HashMap<>();
		List<Rule> order = new ArrayList<>(rules.values());
		if (changed != null) {
			// the rule being written is the one that conflicts with what is there
			order.remove(changed);
			order.add(changed);
		}
		for (Rule r : order) {
			String key = r.properties.get("direction").stringValue() + "/" + r.properties.get("priority").intValue();
			Rule other = seen.putIfAbsent(key, r);
			if (other != null) {
				throw ArmException.badRequest("SecurityRuleConflict",
						"Security rule " + r.name + " conflicts with rule " + other.name
								+ ". Rules cannot have the same Priority and Direction.");
			}
		}
	}

	// ----- long-running operations -----

	private void startOperation(Answer answer, String location, String sub, Runnable complete, boolean withLocation) {
		String id = UUID.randomUUID().toString();
		operations.put(id, new Operation(inProgressPolls, complete));
		String prefix = base + "/subscriptions/" + sub + "/providers/Microsoft.Network/locations/" + location;
		answer.headers.put("Azure-AsyncOperation", prefix + "/operations/" + id + "?api-version=" + "2025-03-01");
		if (withLocation) {
			answer.headers.put("Location", prefix + "/operationResults/" + id + "?api-version=" + "2025-03-01");
		}
		answer.headers.put("Retry-After", "1");
	}

	/** Advances the operation by one poll; true when it has completed. */
	private boolean advance(Operation op) {
		if (op.done) {
			return true;
		}
		if (op.inProgressLeft > 0) {
			op.inProgressLeft--;
			return false;
		}
		op.complete.run();
		op.done = true;
		return true;
	}

	private Answer operationStatus(String id) {
		Operation op = operations.get(id);
		if (op == null) {
			throw new ArmException(404, "NotFound", "Operation " + id + " not found.");
		}
		ObjectNode status = JSON.createObjectNode();
		status.put("name", id);
		status.put("status", advance(op) ? "Succeeded" : "InProgress");
		Answer answer = new Answer(200, status);
		answer.headers.put("Retry-After", "1");
		return answer;
	}

	private Answer operationResult(String id) {
		Operation op = operations.get(id);
		if (op == null) {
			throw new ArmException(404, "NotFound", "Operation " + id + " not found.");
		}
		if (advance(op)) {
			return new Answer(204, null);
		}
		Answer answer = new Answer(202, null);
		answer.headers.put("Retry-After", "1");
		return answer;
	}

	// ----- rendering -----

	private ObjectNode render(Nsg nsg) {
		ObjectNode out = JSON.createObjectNode();
		out.put("name", nsg.name);
		out.put("id", nsg.id());
		out.put("etag", nsg.etag);
		out.put("type", NSG_TYPE);
		out.put("location", nsg.location);
		if (nsg.tags != null) {
			out.set("tags", nsg.tags.deepCopy());
		}
		ObjectNode properties = out.putObject("properties");
		properties.put("provisioningState", nsg.provisioningState);
		properties.put("resourceGuid", nsg.resourceGuid);
		ArrayNode rules = properties.putArray("securityRules");
		nsg.rules.values().forEach(r -> rules.add(renderRule(nsg, r)));
		ArrayNode defaults = properties.putArray("defaultSecurityRules");
		renderDefaults(nsg).forEach(defaults::add);
		return out;
	}

	private static ObjectNode renderRule(Nsg nsg, Rule rule) {
		ObjectNode out = JSON.createObjectNode();
		out.put("name", rule.name);
		out.put("id", nsg.id() + "/securityRules/" + rule.name);
		out.put("etag", nsg.etag);
		out.put("type", RULE_TYPE);
		ObjectNode properties = out.putObject("properties");
		properties.put("provisioningState", rule.provisioningState);
		properties.setAll(rule.properties);
		// ARM answers the four list fields as [] when unused
		for (String list : List.of("sourcePortRanges", "destinationPortRanges", "sourceAddressPrefixes",
				"destinationAddressPrefixes")) {
			if (!properties.has(list)) {
				properties.putArray(list);
			}
		}
		return out;
	}

	private static List<JsonNode> renderDefaults(Nsg nsg) {
		List<JsonNode> out = new ArrayList<>();
		for (String[] d : DEFAULT_RULES) {
			ObjectNode rule = JSON.createObjectNode();
			rule.put("name", d[0]);
			rule.put("id", nsg.id() + "/defaultSecurityRules/" + d[0]);
			rule.put("etag", nsg.etag);
			rule.put("type", DEFAULT_RULE_TYPE);
			ObjectNode p = rule.putObject("properties");
			p.put("provisioningState", "Succeeded");
			p.put("description", d[1]);
			p.put("protocol", "*");
			p.put("sourcePortRange", "*");
			p.put("destinationPortRange", "*");
			p.put("sourceAddressPrefix", d[5]);
			p.put("destinationAddressPrefix", d[6]);
			p.put("access", d[4]);
			p.put("priority", Integer.parseInt(d[2]));
			p.put("direction", d[3]);
			p.putArray("sourcePortRanges");
			p.putArray("destinationPortRanges");
			p.putArray("sourceAddressPrefixes");
			p.putArray("destinationAddressPrefixes");
			out.add(rule);
		}
		return out;
	}

	private Answer page(List<JsonNode> items, Map<String, String> query, String collectionPath, String apiVersion) {
		int skip = 0;
		String token = query.get("$skipToken");
		if (token != null) {
			try {
				skip = Integer.parseInt(token);
			}
			catch (NumberFormatException e) {
				throw ArmException.badRequest("InvalidSkipToken", "The skip token '" + token + "' is invalid.");
			}
		}
		ObjectNode out = JSON.createObjectNode();
		ArrayNode value = out.putArray("value");
		int end = Math.min(items.size(), skip + pageSize);
		for (int i = Math.max(0, skip); i < end; i++) {
			value.add(items.get(i));
		}
		if (end < items.size()) {
			out.put("nextLink", base + collectionPath + "?api-version=" + apiVersion + "&%24skipToken=" + end);
		}
		return new Answer(200, out);
	}

	// ----- helpers -----

	private LinkedHashMap<String, Nsg> group(String sub, String rg) {
		return groups.computeIfAbsent((sub + "/" + rg).toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>());
	}

	private Nsg find(String sub, String rg, String name) {
		LinkedHashMap<String, Nsg> nsgs = groups.get((sub + "/" + rg).toLowerCase(Locale.ROOT));
		return nsgs == null ? null : nsgs.get(name.toLowerCase(Locale.ROOT));
	}

	private Nsg required(String sub, String rg, String name) {
		Nsg nsg = find(sub, rg, name);
		if (nsg == null) {
			throw new ArmException(404, "ResourceNotFound",
					"The Resource '" + NSG_TYPE + "/" + name + "' under resource group '" + rg
							+ "' was not found. For more details please go to "
							+ "https://aka.ms/ARMResourceNotFoundFix");
		}
		return nsg;
	}

	private static ArmException ruleNotFound(Nsg nsg, String ruleName) {
		return new ArmException(404, "ResourceNotFound", "The Resource '" + RULE_TYPE + "/" + nsg.name + "/" + ruleName
				+ "' under resource group '" + nsg.resourceGroup + "' was not found.");
	}

	private static String nsgCollectionPath(String sub, String rg) {
		return "/subscriptions/" + sub + "/resourceGroups/" + rg + "/providers/" + NSG_TYPE;
	}

	private static JsonNode parse(String body) {
		if (body == null || body.isBlank()) {
			throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid and could not be "
					+ "deserialized: 'The request body is empty.'.");
		}
		try {
			return JSON.readTree(body);
		}
		catch (JacksonException e) {
			throw ArmException.badRequest("InvalidRequestContent", "The request content was invalid and could not be "
					+ "deserialized: '" + e.getOriginalMessage() + "'.");
		}
	}

	private static ArmException notFoundRoute() {
		return new ArmException(404, "NotFound", "The requested path is not served by the ARM NSG fake.");
	}

	private static ArmException methodNotAllowed(String method) {
		return new ArmException(405, "MethodNotAllowed", "The requested method " + method + " is not allowed here.");
	}

	private static ObjectNode error(String code, String message) {
		ObjectNode out = JSON.createObjectNode();
		ObjectNode error = out.putObject("error");
		error.put("code", code);
		error.put("message", message);
		error.putArray("details");
		return out;
	}

	private static String newEtag() {
		return "W/\"" + UUID.randomUUID() + "\"";
	}

	/** Read-only view for tests: the operation ids handed out so far. */
	List<String> operationIds() {
		synchronized (lock) {
			return Collections.unmodifiableList(new ArrayList<>(operations.keySet()));
		}
	}

}
