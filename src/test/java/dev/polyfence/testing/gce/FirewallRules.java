package dev.polyfence.testing.gce;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the Compute v1 API checks on a firewall before it accepts an insert, patch or
 * update, as far as the fake knows it (each rule in {@code docs/cloud-facts.md} section
 * 4). Field names are taken from the client's own {@code compute.proto} descriptors, so a
 * field the real API does not know is refused here too.
 */
final class FirewallRules {

	static final Pattern NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

	static final int NAME_MAX = 63;

	static final int SERVICE_ACCOUNTS_MAX = 10;

	/** Protocols by name; a number 0-255 is also accepted. */
	static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp", "esp", "ah", "ipip", "sctp", "all");

	static final Set<String> PORT_PROTOCOLS = Set.of("tcp", "udp", "sctp");

	private static final Pattern PORT = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

	private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[^@\\s]+@[^@\\s]+");

	private static final Descriptor FIREWALL = com.google.cloud.compute.v1.Firewall.getDescriptor();

	private static final Map<String, Descriptor> NESTED = Map.of("allowed",
			com.google.cloud.compute.v1.Allowed.getDescriptor(), "denied",
			com.google.cloud.compute.v1.Denied.getDescriptor(), "logConfig",
			com.google.cloud.compute.v1.FirewallLogConfig.getDescriptor(), "params",
			com.google.cloud.compute.v1.FirewallParams.getDescriptor());

	private static final List<String> STRING_LISTS = List.of("sourceRanges", "destinationRanges", "sourceTags",
			"targetTags", "sourceServiceAccounts", "targetServiceAccounts");

	private FirewallRules() {
	}

	/**
	 * Refuses fields that {@code compute.proto} does not have, at any level, and values
	 * of the wrong JSON type.
	 */
	static void checkShape(JsonNode body) {
		if (body == null || !body.isObject()) {
			throw ComputeApiException
				.badRequest("Invalid JSON payload received. The request body must be a Firewall object.");
		}
		checkKnown(body, FIREWALL, "");
		for (String list : STRING_LISTS) {
			JsonNode value = body.get(list);
			if (value != null && !value.isNull()) {
				if (!value.isArray()) {
					throw ComputeApiException.badRequest("Invalid JSON payload received. Invalid value at 'resource."
							+ list + "': expected a list of strings.");
				}
				for (JsonNode item : value) {
					if (!item.isString()) {
						throw ComputeApiException
							.badRequest("Invalid JSON payload received. Invalid value at 'resource." + list
									+ "': expected a string.");
					}
				}
			}
		}
		JsonNode priority = body.get("priority");
		if (priority != null && !priority.isNull() && !priority.isIntegralNumber()) {
			throw ComputeApiException.badRequest(
					"Invalid JSON payload received. Invalid value at 'resource.priority' (TYPE_INT32), " + priority);
		}
		for (String text : List.of("name", "description", "network", "direction")) {
			JsonNode value = body.get(text);
			if (value != null && !value.isNull() && !value.isString()) {
				throw ComputeApiException.badRequest("Invalid JSON payload received. Invalid value at 'resource." + text
						+ "' (TYPE_STRING), " + value);
			}
		}
	}

	private static void checkKnown(JsonNode node, Descriptor type, String prefix) {
		for (Map.Entry<String, JsonNode> field : node.properties()) {
			FieldDescriptor descriptor = type.findFieldByName(field.getKey());
			if (descriptor == null) {
				descriptor = byJsonName(type, field.getKey());
			}
			if (descriptor == null) {
				throw ComputeApiException.badRequest("Invalid JSON payload received. Unknown name \"" + field.getKey()
						+ "\" at 'resource" + prefix + "': Cannot find field.");
			}
			if (descriptor.getType() == FieldDescriptor.Type.MESSAGE && !field.getValue().isNull()) {
				Descriptor nested = descriptor.getMessageType();
				if (descriptor.isRepeated()) {
					if (!field.getValue().isArray()) {
						throw ComputeApiException.badRequest("Invalid JSON payload received. Invalid value at 'resource"
								+ prefix + "." + field.getKey() + "': expected a list.");
					}
					int i = 0;
					for (JsonNode item : field.getValue()) {
						if (!item.isObject()) {
							throw ComputeApiException
								.badRequest("Invalid JSON payload received. Invalid value at 'resource" + prefix + "."
										+ field.getKey() + "[" + i + "]': expected an object.");
						}
						checkKnown(item, nested, prefix + "." + field.getKey() + "[" + i + "]");
						i++;
					}
				}
				else {
					if (!field.getValue().isObject()) {
						throw ComputeApiException.badRequest("Invalid JSON payload received. Invalid value at 'resource"
								+ prefix + "." + field.getKey() + "': expected an object.");
					}
					checkKnown(field.getValue(), nested, prefix + "." + field.getKey());
				}
			}
		}
	}

	private static FieldDescriptor byJsonName(Descriptor type, String name) {
		for (FieldDescriptor field : type.getFields()) {
			if (field.getJsonName().equals(name)) {
				return field;
			}
		}
		return null;
	}

	/** Every semantic check, on a firewall with the server's defaults already applied. */
	static void check(ObjectNode firewall) {
		String name = text(firewall, "name");
		if (name == null || name.isEmpty()) {
			throw ComputeApiException.required("name");
		}
		if (name.length() > NAME_MAX || !NAME.matcher(name).matches()) {
			throw ComputeApiException.invalidField("name", name,
					"Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
		}
		JsonNode priorityNode = firewall.get("priority");
		if (!priorityNode.canConvertToInt()) {
			throw ComputeApiException.invalidField("priority", priorityNode, "Must be between 0 and 65535 inclusive.");
		}
		int priority = priorityNode.intValue();
		if (priority < 0 || priority > 65535) {
			throw ComputeApiException.invalidField("priority", priority, "Must be between 0 and 65535 inclusive.");
		}
		String direction = text(firewall, "direction");
		if (!"INGRESS".equals(direction) && !"EGRESS".equals(direction)) {
			throw ComputeApiException.invalidField("direction", direction, "Must be one of [EGRESS, INGRESS].");
		}
		boolean hasAllowed = nonEmpty(firewall, "allowed");
		boolean hasDenied = nonEmpty(firewall, "denied");
		if (hasAllowed && hasDenied) {
			throw ComputeApiException.badRequest("Exactly one of 'allowed' or 'denied' must be specified: both are.");
		}
		if (!hasAllowed && !hasDenied) {
			throw ComputeApiException.badRequest("Exactly one of 'allowed' or 'denied' must be specified: neither is.");
		}
		checkProtocols(firewall, hasAllowed ? "allowed" : "denied");
		boolean egress = "EGRESS".equals(direction);
		boolean sourceTags = nonEmpty(firewall, "sourceTags");
		boolean sourceAccounts = nonEmpty(firewall, "sourceServiceAccounts");
		boolean targetTags = nonEmpty(firewall, "targetTags");
		boolean targetAccounts = nonEmpty(firewall, "targetServiceAccounts");
		if (egress && (sourceTags || sourceAccounts)) {
			throw ComputeApiException
				.badRequest("Should not specify source tag or service account for egress direction.");
		}
		if (sourceAccounts && (sourceTags || targetTags)) {
			throw ComputeApiException
				.badRequest("sourceServiceAccounts cannot be used at the same time as sourceTags or targetTags.");
		}
		if (targetAccounts && (targetTags || sourceTags)) {
			throw ComputeApiException
				.badRequest("targetServiceAccounts cannot be used at the same time as targetTags or sourceTags.");
		}
		if (!egress && !sourceTags && !sourceAccounts && !nonEmpty(firewall, "sourceRanges")) {
			throw ComputeApiException
				.badRequest("An INGRESS firewall rule needs one of sourceRanges, sourceTags or sourceServiceAccounts.");
		}
		for (String list : List.of("sourceTags", "targetTags")) {
			for (String tag : strings(firewall, list)) {
				if (tag.length() > NAME_MAX || !NAME.matcher(tag).matches()) {
					throw ComputeApiException.invalidField(list, tag,
							"Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'");
				}
			}
		}
		for (String list : List.of("sourceServiceAccounts", "targetServiceAccounts")) {
			List<String> accounts = strings(firewall, list);
			if (accounts.size() > SERVICE_ACCOUNTS_MAX) {
				throw ComputeApiException.invalidField(list, accounts.size(),
						"At most " + SERVICE_ACCOUNTS_MAX + " service accounts may be specified.");
			}
			for (String account : accounts) {
				if (!SERVICE_ACCOUNT.matcher(account).matches()) {
					throw ComputeApiException.invalidField(list, account, "Must be a service account email.");
				}
			}
		}
		checkRanges(firewall);
		checkLogConfig(firewall);
	}

	/**
	 * {@code metadata} is one of two values, and only with logging enabled (the proto's
	 * field comment).
	 */
	private static void checkLogConfig(ObjectNode firewall) {
		JsonNode log = firewall.get("logConfig");
		String metadata = text(log, "metadata");
		if (metadata == null) {
			return;
		}
		if (!metadata.equals("INCLUDE_ALL_METADATA") && !metadata.equals("EXCLUDE_ALL_METADATA")) {
			throw ComputeApiException.invalidField("logConfig.metadata", metadata,
					"Must be one of [EXCLUDE_ALL_METADATA, INCLUDE_ALL_METADATA].");
		}
		if (!log.path("enable").booleanValue(false)) {
			throw ComputeApiException.invalidField("logConfig.metadata", metadata,
					"Metadata can only be specified if logging is enabled for the rule.");
		}
	}

	private static void checkProtocols(ObjectNode firewall, String field) {
		int i = 0;
		for (JsonNode item : firewall.get(field)) {
			String protocol = text(item, "IPProtocol");
			if (protocol == null || protocol.isEmpty()) {
				throw ComputeApiException.required(field + "[" + i + "].IPProtocol");
			}
			String lower = protocol.toLowerCase(Locale.ROOT);
			if (!PROTOCOLS.contains(lower) && !isProtocolNumber(lower)) {
				throw ComputeApiException.invalidField(field + "[" + i + "].IPProtocol", protocol,
						"Must be one of [tcp, udp, icmp, esp, ah, ipip, sctp, all] or an IP protocol number.");
			}
			List<String> ports = strings(item, "ports");
			if (!ports.isEmpty() && !PORT_PROTOCOLS.contains(lower) && !isPortProtocolNumber(lower)) {
				throw ComputeApiException.invalidField(field + "[" + i + "].ports", String.join(",", ports),
						"Ports may only be specified for tcp, udp or sctp.");
			}
			for (String port : ports) {
				var m = PORT.matcher(port);
				boolean ok = m.matches();
				if (ok) {
					int from = Integer.parseInt(m.group(1));
					int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
					ok = from <= to && to <= 65535;
				}
				if (!ok) {
					throw ComputeApiException.invalidField(field + "[" + i + "].ports", port,
							"Must be a port number or a range of port numbers from 0 to 65535.");
				}
			}
			i++;
		}
	}

	private static boolean isProtocolNumber(String protocol) {
		if (!protocol.matches("\\d{1,3}")) {
			return false;
		}
		return Integer.parseInt(protocol) <= 255;
	}

	/** tcp (6), udp (17) and sctp (132) given by number take ports too. */
	private static boolean isPortProtocolNumber(String protocol) {
		return protocol.equals("6") || protocol.equals("17") || protocol.equals("132");
	}

	private static void checkRanges(ObjectNode firewall) {
		boolean v4 = false;
		boolean v6 = false;
		for (String list : List.of("sourceRanges", "destinationRanges")) {
			for (String range : strings(firewall, list)) {
				IPAddress address = new IPAddressString(range).getAddress();
				if (address == null) {
					throw ComputeApiException.invalidField(list, range, "Must be a CIDR range or an IP address.");
				}
				v4 |= address.isIPv4();
				v6 |= address.isIPv6();
			}
		}
		if (v4 && v6) {
			throw ComputeApiException.badRequest(
					"IPv4 and IPv6 ranges cannot be mixed in one firewall rule: sourceRanges and destinationRanges "
							+ "must all be IPv4 or all IPv6.");
		}
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value == null || value.isNull() ? null : value.asString();
	}

	static boolean nonEmpty(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return value != null && value.isArray() && !value.isEmpty();
	}

	static List<String> strings(JsonNode node, String field) {
		List<String> out = new ArrayList<>();
		JsonNode value = node.get(field);
		if (value != null && value.isArray()) {
			for (JsonNode item : value) {
				out.add(item.asString());
			}
		}
		return out;
	}

}
