package dev.polyfence.policy;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The rules of a policy document that its JSON Schema cannot express: unique names,
 * references to declared groups and address sets, canonical CIDR blocks, port numbers,
 * and which service fields go with which protocol. Reads the tree defensively (the schema
 * may have found it ill-typed) and only judges values of the right type; the caller drops
 * what lands where the schema already complained.
 */
final class PolicySemantics {

	private final String spec;

	private final ProblemList problems;

	private final CidrBlocks cidrs;

	private PolicySemantics(String base, ProblemList problems, CidrBlocks cidrs) {
		this.spec = base + "/spec";
		this.problems = problems;
		this.cidrs = cidrs;
	}

	/**
	 * @param cidrs where the valid CIDR blocks go, for the model assembly
	 */
	static void check(JsonNode policy, String base, ProblemList problems, CidrBlocks cidrs) {
		new PolicySemantics(base, problems, cidrs).spec(policy.path("spec"));
	}

	/**
	 * The names of the groups a policy tree declares, or empty when its groups are not a
	 * list.
	 */
	static Optional<Set<String>> declaredGroups(JsonNode policy) {
		JsonNode groups = policy.path("spec").path("groups");
		if (!groups.isArray()) {
			return Optional.empty();
		}
		Set<String> names = new LinkedHashSet<>();
		for (JsonNode group : groups) {
			if (group.path("name").isString()) {
				names.add(group.path("name").asString());
			}
		}
		return Optional.of(names);
	}

	private void spec(JsonNode spec) {
		Set<String> sets = addressSets(spec.path("addressSets"));
		Set<String> groups = groups(spec.path("groups"));
		JsonNode rules = list(spec.path("rules"));
		Map<String, String> ruleNames = new HashMap<>();
		for (int i = 0; i < rules.size(); i++) {
			String rule = Pointers.child(this.spec + "/rules", i);
			unique(rules.get(i).path("name"), rule + "/name", ruleNames, "rule name");
			rule(rules.get(i), rule, groups, sets);
		}
	}

	private Set<String> addressSets(JsonNode sets) {
		String pointer = spec + "/addressSets";
		if (!sets.isObject()) {
			return Set.of();
		}
		for (Map.Entry<String, JsonNode> set : sets.properties()) {
			String setPointer = Pointers.child(pointer, set.getKey());
			JsonNode blocks = list(set.getValue());
			for (int i = 0; i < blocks.size(); i++) {
				cidr(blocks.get(i), Pointers.child(setPointer, i), problems, cidrs);
			}
		}
		return new LinkedHashSet<>(sets.propertyNames());
	}

	private Set<String> groups(JsonNode node) {
		JsonNode groups = list(node);
		Map<String, String> seen = new HashMap<>();
		for (int i = 0; i < groups.size(); i++) {
			unique(groups.get(i).path("name"), Pointers.child(spec + "/groups", i) + "/name", seen, "group name");
		}
		return seen.keySet();
	}

	private void unique(JsonNode name, String pointer, Map<String, String> seen, String what) {
		if (!name.isString()) {
			return;
		}
		String first = seen.putIfAbsent(name.asString(), pointer);
		if (first != null) {
			problems.add(pointer, what + " '" + name.asString() + "' is used twice (also at " + first + ")");
		}
	}

	private void rule(JsonNode rule, String pointer, Set<String> groups, Set<String> sets) {
		JsonNode appliesTo = list(rule.path("appliesTo"));
		boolean star = false;
		boolean names = false;
		for (int i = 0; i < appliesTo.size(); i++) {
			JsonNode group = appliesTo.get(i);
			if (group.isString() && "*".equals(group.asString())) {
				star = true;
			}
			else {
				names = true;
				declared(group, Pointers.child(pointer + "/appliesTo", i), groups);
			}
		}
		if (star && names) {
			problems.add(pointer + "/appliesTo",
					"appliesTo mixes '*' with group names: say [\"*\"] for every group, or list the groups");
		}
		JsonNode peers = list(rule.path("peers"));
		for (int i = 0; i < peers.size(); i++) {
			String peer = Pointers.child(pointer + "/peers", i);
			declared(peers.get(i).path("group"), peer + "/group", groups);
			JsonNode set = peers.get(i).path("addressSet");
			if (set.isString() && !sets.contains(set.asString())) {
				problems.add(peer + "/addressSet",
						"address set '" + set.asString() + "' is not declared in " + spec + "/addressSets");
			}
			cidr(peers.get(i).path("cidr"), peer + "/cidr", problems, cidrs);
		}
		JsonNode services = list(rule.path("services"));
		for (int i = 0; i < services.size(); i++) {
			service(services.get(i), Pointers.child(pointer + "/services", i));
		}
	}

	private void declared(JsonNode group, String pointer, Set<String> groups) {
		if (group.isString() && !groups.contains(group.asString())) {
			problems.add(pointer, "group '" + group.asString() + "' is not declared in " + spec + "/groups");
		}
	}

	private void service(JsonNode service, String pointer) {
		Protocol protocol = protocol(service.path("protocol"));
		JsonNode ports = list(service.path("ports"));
		for (int i = 0; i < ports.size(); i++) {
			JsonNode port = ports.get(i);
			if (port.isString()) {
				String at = Pointers.child(pointer + "/ports", i);
				Ports.problem(port.asString()).ifPresent(message -> problems.add(at, message));
			}
		}
		if (protocol != null && service.has("ports") && !protocol.hasPorts()) {
			problems.add(pointer + "/ports", "ports are only for tcp and udp, not " + name(protocol));
		}
		for (String field : new String[] { "icmpType", "icmpCode" }) {
			if (protocol != null && service.has(field) && !protocol.isIcmp()) {
				problems.add(pointer + "/" + field, field + " is only for icmp and icmpv6, not " + name(protocol));
			}
		}
		if (service.has("icmpCode") && !service.has("icmpType")) {
			problems.add(pointer + "/icmpCode", "icmpCode needs icmpType: say which ICMP type the code belongs to");
		}
	}

	/**
	 * The protocol a valid protocol value names (numbers 6, 17, 1 and 58 are tcp, udp,
	 * icmp and icmpv6); else null.
	 */
	static Protocol protocol(JsonNode value) {
		// A JSON Schema "integer" is any number with a zero fraction, so 6.0 is protocol
		// 6.
		if (value.isNumber() && value.canConvertToExactIntegral() && value.canConvertToInt() && value.asInt() >= 0
				&& value.asInt() <= 255) {
			return new Protocol(value.asInt());
		}
		switch (value.asString("")) {
			case "tcp":
				return Protocol.TCP;
			case "udp":
				return Protocol.UDP;
			case "icmp":
				return Protocol.ICMP;
			case "icmpv6":
				return Protocol.ICMPV6;
			case "any":
				return Protocol.ANY;
			default:
				return null;
		}
	}

	private static String name(Protocol protocol) {
		return protocol.wire().chars().allMatch(Character::isDigit) ? "protocol " + protocol.wire() : protocol.wire();
	}

	/**
	 * The node when it is a list, else an empty node, so that a wrongly typed value is
	 * skipped, not misread.
	 */
	static JsonNode list(JsonNode node) {
		return node.isArray() ? node : MissingNode.getInstance();
	}

	/** Adds what is wrong with a CIDR block, when the value is a string. */
	static void cidr(JsonNode value, String pointer, ProblemList problems, CidrBlocks cidrs) {
		if (value.isString()) {
			cidrs.problem(value.asString()).ifPresent(message -> problems.add(pointer, message));
		}
	}

}
