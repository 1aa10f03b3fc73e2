package dev.polyfence.bench;

import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.translate.AddressSet;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Seeded request bodies {@code {policy, bindings}} shaped like the policies platform
 * teams write, for the benchmarks: about 15% deny rules spread through the list (CIDR,
 * address-set and group peers), "any" peers, IPv4 and IPv6 ranges up to "anywhere except
 * one /48", multi-port services (tcp 80 and 443, port ranges, udp, ICMP types), both
 * directions, and every group bound in all three clouds: AWS with subnets and IPv4 and
 * IPv6 addresses, Azure with NSG and (mostly) ASG names and addresses, GCP with target
 * tags or (every fourth group) a service account and addresses. The 1,000-rule, 50-group
 * body is about 300 KB of JSON.
 *
 * <p>
 * The same seed always gives the same text. The text goes through the service's own
 * parser, so a generated body is valid by construction or the benchmark stops.
 */
public final class RealisticPolicies {

	/** The benchmark's sizes: rules and groups. */
	public static final List<Size> SIZES = List.of(new Size(10, 5), new Size(100, 20), new Size(1000, 50),
			new Size(5000, 50));

	public static final long SEED = 9;

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private static final String[] ROLES = { "web", "api", "app", "db", "monitoring", "bastion", "cache", "queue",
			"worker", "search", "auth", "payments", "reports", "mail", "batch" };

	/** Ports that services of one tier open to another. */
	private static final String[] TIER_PORTS = { "8080", "8443", "5432", "3306", "6379", "9200-9300", "5672", "27017",
			"11211", "2379-2380", "9092", "50051", "8000-8099", "4317" };

	/** Ports a deny typically shuts. */
	private static final String[] DENIED_PORTS = { "22", "3389", "23", "445", "0-1023", "135-139", "5900-5999",
			"1433" };

	public record Size(int rules, int groups) {

		@Override
		public String toString() {
			return rules + "x" + groups;
		}

		public static Size parse(String text) {
			String[] parts = text.split("x");
			return new Size(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
		}

	}

	/** A generated body as JSON text, and as the service's parser reads it. */
	public record Case(Size size, String json, PolicyRequest request) {
	}

	private final Random random;

	private final List<String> groups = new ArrayList<>();

	private final List<String> scannerSets = new ArrayList<>();

	private final List<String> partnerSets = new ArrayList<>();

	private final List<String> officeSets = new ArrayList<>();

	private final List<String> wideSets = new ArrayList<>();

	private final List<String> cdnSets = new ArrayList<>();

	private RealisticPolicies(long seed) {
		this.random = new Random(seed);
	}

	/**
	 * Writes one body to a file, for the HTTP benchmark. Arguments: size (RULESxGROUPS),
	 * the file, and optionally the targets (comma-separated: aws,azure,gcp).
	 */
	public static void main(String[] args) throws java.io.IOException {
		ObjectNode body = body(Size.parse(args[0]), SEED);
		if (args.length > 2) {
			ArrayNode targets = body.putArray("targets");
			for (String target : args[2].split(",")) {
				targets.add(target);
			}
		}
		java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), JsonMapper.shared().writeValueAsString(body));
	}

	public static Case generate(Size size) {
		return generate(size, SEED);
	}

	public static Case generate(Size size, long seed) {
		String json = json(size, seed);
		return new Case(size, json, new DocumentParser().parseRequest(json, false));
	}

	/** The body {@code {policy, bindings}} as compact JSON. */
	public static String json(Size size, long seed) {
		return JsonMapper.shared().writeValueAsString(body(size, seed));
	}

	public static ObjectNode body(Size size, long seed) {
		return new RealisticPolicies(seed).request(size.rules(), size.groups());
	}

	private ObjectNode request(int ruleCount, int groupCount) {
		for (int g = 0; g < groupCount; g++) {
			String role = ROLES[g % ROLES.length];
			groups.add(g < ROLES.length ? role : role + "-" + (g / ROLES.length + 1));
		}
		ObjectNode body = NODES.objectNode();
		ObjectNode policy = body.putObject("policy");
		policy.put("apiVersion", "polyfence.dev/v1");
		policy.put("kind", "NetworkPolicy");
		ObjectNode metadata = policy.putObject("metadata");
		metadata.put("name", "estate");
		metadata.put("description",
				"Generated benchmark estate: " + ruleCount + " rules over " + groupCount + " groups");
		ObjectNode spec = policy.putObject("spec");
		ObjectNode defaults = spec.putObject("defaults");
		defaults.put("ingress", "deny");
		defaults.put("egress", "allow");
		addressSets(spec.putObject("addressSets"), ruleCount);
		ArrayNode groupList = spec.putArray("groups");
		groups.forEach(name -> groupList.addObject().put("name", name));
		ArrayNode rules = spec.putArray("rules");
		for (int r = 0; r < ruleCount; r++) {
			rules.add(random.nextInt(100) < 16 ? deny(r) : allow(r));
		}
		body.set("bindings", bindings());
		return body;
	}

	private void addressSets(ObjectNode sets, int ruleCount) {
		int n = Math.min(100, 5 + ruleCount / 12);
		for (int i = 0; i < n; i++) {
			ArrayNode blocks = NODES.arrayNode();
			switch (i % 5) {
				case 0 -> {
					scannerSets.add(put(sets, "scanners-" + i, blocks));
					for (int k = 0, m = 2 + random.nextInt(9); k < m; k++) {
						blocks.add(random.nextInt(3) == 0 ? publicV6(32 + 4 * random.nextInt(5))
								: publicV4(16 + random.nextInt(9)));
					}
				}
				case 1 -> {
					partnerSets.add(put(sets, "partner-" + i, blocks));
					for (int k = 0, m = 1 + random.nextInt(10); k < m; k++) {
						blocks.add(random.nextBoolean() ? publicV6(40 + 8 * random.nextInt(3))
								: publicV4(20 + random.nextInt(10)));
					}
				}
				case 2 -> {
					officeSets.add(put(sets, "office-" + i, blocks));
					blocks.add(publicV4(24 + random.nextInt(5)));
					blocks.add(publicV6(48));
				}
				case 3 -> {
					// A CDN's published edge ranges.
					cdnSets.add(put(sets, "cdn-" + i, blocks));
					for (int k = 0, m = 12 + random.nextInt(12); k < m; k++) {
						blocks.add(publicV4(13 + random.nextInt(10)));
					}
					for (int k = 0, m = 4 + random.nextInt(4); k < m; k++) {
						blocks.add(publicV6(29 + random.nextInt(4)));
					}
				}
				default -> {
					// "Anywhere except one /24 and one /48": a wide set written out as
					// CIDR blocks, as the teams that need one do.
					wideSets.add(put(sets, "internet-except-" + i, blocks));
					AddressSet wide = AddressSet.ALL
						.subtract(AddressSet.of(List.of(ip(publicV4(24)), ip(publicV6(48)))));
					wide.cidrs().forEach(blocks::add);
				}
			}
		}
	}

	private static String put(ObjectNode sets, String name, ArrayNode blocks) {
		sets.set(name, blocks);
		return name;
	}

	private ObjectNode deny(int r) {
		boolean ingress = random.nextInt(10) < 7;
		ObjectNode rule = rule("deny", ingress ? "block" : "no-egress", r, ingress);
		appliesTo(rule, random.nextInt(10) < 3);
		ArrayNode peers = rule.putArray("peers");
		for (int k = 0, m = 1 + random.nextInt(4); k < m; k++) {
			switch (random.nextInt(5)) {
				case 0, 1 -> peers.addObject()
					.put("cidr", random.nextInt(3) == 0 ? publicV6(32 + 8 * random.nextInt(3))
							: publicV4(16 + random.nextInt(9)));
				case 2, 3 -> peers.addObject().put("addressSet", pick(scannerSets));
				default -> peers.addObject().put("group", pick(groups));
			}
		}
		if (random.nextInt(4) == 0) {
			rule.put("log", true);
		}
		if (random.nextInt(10) < 6) {
			ObjectNode service = rule.putArray("services").addObject();
			service.put("protocol", random.nextInt(5) == 0 ? "udp" : "tcp");
			ArrayNode ports = service.putArray("ports");
			for (int k = 0, m = 1 + random.nextInt(3); k < m; k++) {
				ports.add(pick(DENIED_PORTS));
			}
		}
		return dedupe(rule);
	}

	private ObjectNode allow(int r) {
		int kind = random.nextInt(100);
		if (kind < 10) {
			// Public web: tcp 80 and 443 (and QUIC) from anywhere, from anywhere but one
			// range, or from the CDN only.
			ObjectNode rule = rule("allow", "web-public", r, true);
			appliesTo(rule, false);
			ArrayNode peers = rule.putArray("peers");
			int from = random.nextInt(4);
			if (from == 0) {
				peers.addObject().put("addressSet", pick(wideSets));
			}
			else if (from == 1) {
				peers.addObject().put("addressSet", pick(cdnSets));
			}
			else {
				peers.addObject().put("any", true);
			}
			ArrayNode services = rule.putArray("services");
			tcp(services, "80", "443");
			if (random.nextInt(3) == 0) {
				services.addObject().put("protocol", "udp").putArray("ports").add("443");
			}
			return rule;
		}
		if (kind < 40) {
			// One tier to another.
			ObjectNode rule = rule("allow", "tier", r, true);
			appliesTo(rule, false);
			ArrayNode peers = rule.putArray("peers");
			for (int k = 0, m = 1 + random.nextInt(4); k < m; k++) {
				peers.addObject().put("group", pick(groups));
			}
			ArrayNode services = rule.putArray("services");
			tierPorts(services);
			return dedupe(rule);
		}
		if (kind < 48) {
			// Administration from the offices and the bastion.
			ObjectNode rule = rule("allow", "admin", r, true);
			appliesTo(rule, random.nextInt(3) == 0);
			ArrayNode peers = rule.putArray("peers");
			peers.addObject().put("addressSet", pick(officeSets));
			if (random.nextBoolean()) {
				peers.addObject().put("group", groups.get(5 % groups.size()));
			}
			tcp(rule.putArray("services"), "22", random.nextInt(4) == 0 ? "3389" : null);
			rule.put("log", true);
			return dedupe(rule);
		}
		if (kind < 55) {
			// Monitoring: node exporters and ping.
			ObjectNode rule = rule("allow", "monitoring", r, true);
			appliesTo(rule, random.nextBoolean());
			ArrayNode peers = rule.putArray("peers");
			if (random.nextBoolean()) {
				peers.addObject().put("group", groups.get(4 % groups.size()));
			}
			else {
				peers.addObject().put("cidr", "10.250." + random.nextInt(256) + ".0/24");
			}
			ArrayNode services = rule.putArray("services");
			tcp(services, "9100", random.nextBoolean() ? "9090-9091" : null);
			services.addObject().put("protocol", "icmp").put("icmpType", 8);
			services.addObject().put("protocol", "icmpv6").put("icmpType", 128);
			return rule;
		}
		if (kind < 70) {
			// Partners and vendors.
			ObjectNode rule = rule("allow", "partner", r, true);
			appliesTo(rule, false);
			ArrayNode peers = rule.putArray("peers");
			peers.addObject().put("addressSet", pick(partnerSets));
			for (int k = 0, m = random.nextInt(5); k < m; k++) {
				peers.addObject().put("cidr", random.nextBoolean() ? publicV4(22 + random.nextInt(8)) : publicV6(48));
			}
			ArrayNode services = rule.putArray("services");
			int from = 1024 * (1 + random.nextInt(40));
			tcp(services, "443", random.nextBoolean() ? from + "-" + (from + 1023) : null);
			if (random.nextInt(4) == 0) {
				services.addObject().put("protocol", "udp").putArray("ports").add("500").add("4500");
			}
			return dedupe(rule);
		}
		if (kind < 85) {
			// Out to the internet and to outside services: HTTPS, DNS, NTP.
			ObjectNode rule = rule("allow", "egress-out", r, false);
			appliesTo(rule, random.nextInt(4) == 0);
			ArrayNode peers = rule.putArray("peers");
			int to = random.nextInt(3);
			if (to == 0) {
				peers.addObject().put("any", true);
			}
			else if (to == 1) {
				peers.addObject().put("addressSet", pick(partnerSets));
			}
			else {
				for (int k = 0, m = 1 + random.nextInt(3); k < m; k++) {
					peers.addObject().put("cidr", publicV4(24 + random.nextInt(5)));
				}
				for (int k = 0, m = 1 + random.nextInt(2); k < m; k++) {
					peers.addObject().put("cidr", publicV6(48 + 8 * random.nextInt(3)));
				}
			}
			ArrayNode services = rule.putArray("services");
			tcp(services, "443", null);
			if (random.nextBoolean()) {
				services.addObject().put("protocol", "udp").putArray("ports").add("53").add("123");
			}
			return rule;
		}
		// Out to another tier.
		ObjectNode rule = rule("allow", "egress-tier", r, false);
		appliesTo(rule, false);
		ArrayNode peers = rule.putArray("peers");
		for (int k = 0, m = 1 + random.nextInt(2); k < m; k++) {
			peers.addObject().put("group", pick(groups));
		}
		tierPorts(rule.putArray("services"));
		return dedupe(rule);
	}

	private ObjectNode rule(String action, String purpose, int r, boolean ingress) {
		ObjectNode rule = NODES.objectNode();
		rule.put("name", action + "-" + purpose + "-" + r);
		rule.put("action", action);
		rule.put("direction", ingress ? "ingress" : "egress");
		return rule;
	}

	/**
	 * Picks the groups a rule applies to, and names the rule after the first (names stay
	 * unique by their index).
	 */
	private void appliesTo(ObjectNode rule, boolean everyGroup) {
		ArrayNode appliesTo = rule.putArray("appliesTo");
		String name = rule.get("name").asString();
		int index = name.lastIndexOf('-');
		if (everyGroup) {
			appliesTo.add("*");
			rule.put("name", name.substring(0, index) + "-all" + name.substring(index));
			return;
		}
		Set<String> chosen = new LinkedHashSet<>();
		for (int k = 0, m = random.nextInt(10) < 4 ? 1 : 2 + random.nextInt(4); k < m; k++) {
			chosen.add(pick(groups));
		}
		chosen.forEach(appliesTo::add);
		rule.put("name", name.substring(0, index) + "-" + chosen.iterator().next() + name.substring(index));
	}

	/** One to three of the ports tiers open to each other, over tcp. */
	private void tierPorts(ArrayNode services) {
		ArrayNode ports = services.addObject().put("protocol", "tcp").putArray("ports");
		for (int k = 0, m = 1 + random.nextInt(3); k < m; k++) {
			ports.add(pick(TIER_PORTS));
		}
	}

	private static void tcp(ArrayNode services, String port, String another) {
		ArrayNode ports = services.addObject().put("protocol", "tcp").putArray("ports");
		ports.add(port);
		if (another != null && !another.equals(port)) {
			ports.add(another);
		}
	}

	/** Peers and ports are lists a person would not repeat items in. */
	private static ObjectNode dedupe(ObjectNode rule) {
		ArrayNode peers = (ArrayNode) rule.get("peers");
		Set<String> seen = new LinkedHashSet<>();
		for (int i = peers.size() - 1; i >= 0; i--) {
			if (!seen.add(peers.get(i).toString())) {
				peers.remove(i);
			}
		}
		if (rule.has("services")) {
			for (var service : rule.get("services")) {
				if (service.has("ports")) {
					ArrayNode ports = (ArrayNode) service.get("ports");
					Set<String> p = new LinkedHashSet<>();
					for (int i = ports.size() - 1; i >= 0; i--) {
						if (!p.add(ports.get(i).asString())) {
							ports.remove(i);
						}
					}
				}
			}
		}
		return rule;
	}

	private ObjectNode bindings() {
		ObjectNode bindings = NODES.objectNode();
		ObjectNode aws = bindings.putObject("aws");
		aws.put("region", "eu-west-1");
		aws.put("vpcId", "vpc-0e1d2c3b4a5f6e7d8");
		ObjectNode awsGroups = aws.putObject("groups");
		ObjectNode azure = bindings.putObject("azure");
		azure.put("subscriptionId", "3f2e1d0c-9b8a-4776-8554-433221100ffe");
		azure.put("resourceGroup", "estate-rg");
		azure.put("location", "westeurope");
		azure.put("priorityBase", 100);
		ObjectNode azureGroups = azure.putObject("groups");
		ObjectNode gcp = bindings.putObject("gcp");
		gcp.put("project", "estate-prod");
		gcp.put("network", "estate-vpc");
		gcp.put("priorityBase", 1000);
		ObjectNode gcpGroups = gcp.putObject("groups");
		for (int g = 0; g < groups.size(); g++) {
			String name = groups.get(g);
			// AWS: a subnet in each of three availability zones, with an IPv4 /24 and an
			// IPv6
			// /64 each; Azure and GCP subnets are regional: two of each per group.
			ObjectNode a = awsGroups.putObject(name);
			a.put("securityGroupName", "estate-" + name);
			a.putArray("subnetIds")
				.add(String.format("subnet-0%07x%09x", g, 0xa))
				.add(String.format("subnet-0%07x%09x", g, 0xb))
				.add(String.format("subnet-0%07x%09x", g, 0xc));
			cidrs(a, 0, g, 3);
			ObjectNode z = azureGroups.putObject(name);
			z.put("networkSecurityGroupName", "estate-" + name + "-nsg");
			if (g % 7 != 6) {
				z.put("applicationSecurityGroupName", "estate-" + name + "-asg");
			}
			cidrs(z, 64, g, 2);
			ObjectNode c = gcpGroups.putObject(name);
			if (g % 4 == 3) {
				c.put("serviceAccount", name + "@estate-prod.iam.gserviceaccount.com");
			}
			else {
				c.putArray("targetTags").add("estate-" + name);
			}
			cidrs(c, 128, g, 2);
		}
		return bindings;
	}

	private static void cidrs(ObjectNode group, int cloud, int g, int zones) {
		ArrayNode cidrs = group.putArray("cidrs");
		for (int zone = 0; zone < zones; zone++) {
			cidrs.add("10." + (cloud + g / 64) + "." + (4 * (g % 64) + zone) + ".0/24");
		}
		for (int zone = 0; zone < zones; zone++) {
			cidrs.add(canonical(String.format("fd%02x:%x:%x:%x::/64", cloud, 0x100 + g, cloud, zone + 1)));
		}
	}

	private String publicV4(int length) {
		int[] firsts = { 23, 31, 45, 52, 64, 80, 91, 104, 146, 151, 185, 193, 198, 203, 212 };
		String address = pick(firsts) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
				+ random.nextInt(256);
		return AddressSet.cidr(ip(address).toPrefixBlock(length));
	}

	private String publicV6(int length) {
		String address = String.format("2a%02x:%x:%x:%x::", random.nextInt(256), random.nextInt(0x10000),
				random.nextInt(0x10000), random.nextInt(0x10000));
		return AddressSet.cidr(ip(address).toPrefixBlock(length));
	}

	private static String canonical(String cidr) {
		return AddressSet.cidr(ip(cidr));
	}

	private static IPAddress ip(String text) {
		return new IPAddressString(text).getAddress();
	}

	private <T> T pick(List<T> items) {
		return items.get(random.nextInt(items.size()));
	}

	private String pick(String[] items) {
		return items[random.nextInt(items.length)];
	}

	private int pick(int[] items) {
		return items[random.nextInt(items.length)];
	}

}
