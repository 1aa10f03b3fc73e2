package dev.polyfence.policy;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * Builds the model records from a document tree that has passed the schema and the
 * semantic checks; it does not check again, and fails loudly if handed a tree that did
 * not pass. CIDR blocks come from the checks ({@link CidrBlocks}), not parsed again.
 */
final class ModelAssembler {

	private final CidrBlocks blocks;

	ModelAssembler(CidrBlocks blocks) {
		this.blocks = blocks;
	}

	Policy policy(JsonNode document) {
		JsonNode metadata = document.path("metadata");
		JsonNode spec = document.path("spec");
		JsonNode defaults = spec.path("defaults");
		Map<String, List<IPAddress>> addressSets = new LinkedHashMap<>();
		spec.path("addressSets").properties().forEach(set -> addressSets.put(set.getKey(), cidrs(set.getValue())));
		List<String> groups = new ArrayList<>();
		spec.path("groups").forEach(group -> groups.add(group.path("name").asString()));
		List<Rule> rules = new ArrayList<>();
		spec.path("rules").forEach(rule -> rules.add(rule(rule)));
		Defaults decisions = new Defaults(action(defaults.path("ingress"), Action.DENY),
				action(defaults.path("egress"), Action.ALLOW));
		return new Policy(metadata.path("name").asString(), metadata.path("description").asString(null), decisions,
				addressSets, groups, rules);
	}

	private Rule rule(JsonNode rule) {
		List<String> appliesTo = strings(rule.path("appliesTo"));
		if (appliesTo.equals(List.of("*"))) {
			appliesTo = List.of();
		}
		return new Rule(rule.path("name").asString(), action(rule.path("action"), null),
				Direction.valueOf(rule.path("direction").asString().toUpperCase(Locale.ROOT)), appliesTo,
				list(rule.path("peers"), this::peer), list(rule.path("services"), ModelAssembler::service),
				rule.path("log").asBoolean(false));
	}

	private Peer peer(JsonNode peer) {
		if (peer.has("cidr")) {
			return new Peer.Cidr(blocks.block(peer.path("cidr").asString()));
		}
		if (peer.has("group")) {
			return new Peer.Group(peer.path("group").asString());
		}
		if (peer.has("addressSet")) {
			return new Peer.AddressSet(peer.path("addressSet").asString());
		}
		return Peer.ANY;
	}

	private static Service service(JsonNode service) {
		return new Service(PolicySemantics.protocol(service.path("protocol")),
				list(service.path("ports"), port -> Ports.parse(port.asString())), integer(service.path("icmpType")),
				integer(service.path("icmpCode")));
	}

	Bindings bindings(JsonNode document) {
		return new Bindings(aws(document.path("aws")), azure(document.path("azure")), gcp(document.path("gcp")));
	}

	private Bindings.Aws aws(JsonNode aws) {
		if (aws.isMissingNode()) {
			return null;
		}
		JsonNode ephemeral = aws.path("ephemeralPorts");
		return new Bindings.Aws(aws.path("region").asString(null), aws.path("vpcId").asString(null),
				ephemeral.isMissingNode() ? null : Ports.parse(ephemeral.asString()),
				integer(aws.path("securityGroupRuleQuota")), integer(aws.path("networkAclEntryQuota")),
				!"none".equals(aws.path("networkAcls").asString(null)),
				groups(aws, group -> new Bindings.AwsGroup(group.path("securityGroupName").asString(null),
						strings(group.path("subnetIds")), cidrs(group.path("cidrs")))));
	}

	private Bindings.Azure azure(JsonNode azure) {
		if (azure.isMissingNode()) {
			return null;
		}
		return new Bindings.Azure(azure.path("subscriptionId").asString(null),
				azure.path("resourceGroup").asString(null), azure.path("location").asString(null),
				integer(azure.path("priorityBase")),
				groups(azure, group -> new Bindings.AzureGroup(group.path("networkSecurityGroupName").asString(null),
						group.path("applicationSecurityGroupName").asString(null), cidrs(group.path("cidrs")))));
	}

	private Bindings.Gcp gcp(JsonNode gcp) {
		if (gcp.isMissingNode()) {
			return null;
		}
		return new Bindings.Gcp(gcp.path("project").asString(null), gcp.path("network").asString(null),
				integer(gcp.path("priorityBase")),
				groups(gcp, group -> new Bindings.GcpGroup(strings(group.path("targetTags")),
						group.path("serviceAccount").asString(null), cidrs(group.path("cidrs")))));
	}

	private static <T> Map<String, T> groups(JsonNode cloud, Function<JsonNode, T> group) {
		Map<String, T> groups = new LinkedHashMap<>();
		cloud.path("groups").properties().forEach(entry -> groups.put(entry.getKey(), group.apply(entry.getValue())));
		return groups;
	}

	private static Action action(JsonNode value, Action absent) {
		return value.isMissingNode() ? absent : Action.valueOf(value.asString().toUpperCase(Locale.ROOT));
	}

	private static Integer integer(JsonNode value) {
		return value.isMissingNode() ? null : value.asInt();
	}

	private static List<String> strings(JsonNode array) {
		return list(array, JsonNode::asString);
	}

	private List<IPAddress> cidrs(JsonNode array) {
		return list(array, cidr -> blocks.block(cidr.asString()));
	}

	private static <T> List<T> list(JsonNode array, Function<JsonNode, T> item) {
		List<T> list = new ArrayList<>();
		array.forEach(element -> list.add(item.apply(element)));
		return list;
	}

}
