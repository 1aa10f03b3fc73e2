package dev.polyfence.testing.arm;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one security rule as ARM does and returns its stored form: only the writable
 * fields of {@code SecurityRulePropertiesFormat}, enums in ARM's spelling, empty strings
 * and lists dropped.
 *
 * <p>
 * Error codes and messages: {@code SecurityRuleInvalidPriority},
 * {@code SecurityRuleConflict}, {@code SecurityRuleCountLimitReached},
 * {@code ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies},
 * {@code SecurityRuleParametersMissing}, {@code SecurityRuleInvalidAddressPrefix},
 * {@code SecurityRuleAddressesOrPortsPerSecurityGroupLimitReached} and
 * {@code InvalidResourceName} follow messages seen from Azure. {@link #CODE_BOTH_GIVEN}
 * (a single value and a list, or prefixes and application security groups, on one side),
 * {@link #CODE_PARAMETER_MISSING} and {@code SecurityRuleInvalidPortRange} are the fake's
 * own wording: the exact Azure text was not found.
 */
final class NsgRuleValidator {

	static final String CODE_BOTH_GIVEN = "SecurityRuleParametersInvalid";

	static final String CODE_PARAMETER_MISSING = "SecurityRuleParameterMissing";

	static final int PRIORITY_MIN = 100;

	static final int PRIORITY_MAX = 4096;

	static final int RULES_PER_NSG = 1000;

	static final int PREFIXES_PER_NSG_SIDE = 4000;

	/**
	 * NSG and rule names: 1-80, a word character first, a word character or '_' last,
	 * word characters, '.', '-', '_'.
	 */
	static final Pattern NAME = Pattern.compile("^\\w([\\w.\\-]{0,78}[\\w_])?$");

	private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?$");

	private static final Pattern TAG = Pattern.compile("^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9-]+)*$");

	private static final Pattern PORT = Pattern.compile("^(\\d{1,5})(-(\\d{1,5}))?$");

	private static final Pattern ASG_ID = Pattern.compile(
			"(?i)^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\\.Network/applicationSecurityGroups/[^/]+$");

	private static final Map<String, String> PROTOCOLS = Map.of("tcp", "Tcp", "udp", "Udp", "icmp", "Icmp", "esp",
			"Esp", "ah", "Ah", "*", "*");

	private static final Map<String, String> ACCESS = Map.of("allow", "Allow", "deny", "Deny");

	private static final Map<String, String> DIRECTIONS = Map.of("inbound", "Inbound", "outbound", "Outbound");

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private NsgRuleValidator() {
	}

	static void checkName(String name) {
		if (name == null || !NAME.matcher(name).matches()) {
			throw ArmException.badRequest("InvalidResourceName", "Resource name " + name
					+ " is invalid. The name can be up "
					+ "to 80 characters long. It must begin with a word character, and it must end with a word character "
					+ "or with '_'. The name may contain word characters or '.', '-', '_'.");
		}
	}

	/**
	 * @param ruleId the rule's ARM id, for messages
	 * @param jsonPath where the rule sits in the request body
	 * ({@code properties.securityRules[2]}), for parse errors
	 */
	static ObjectNode normalize(String name, JsonNode properties, String ruleId, String jsonPath) {
		checkName(name);
		if (properties == null || !properties.isObject()) {
			throw ArmException.badRequest(CODE_PARAMETER_MISSING, "Security rule " + ruleId + " has no properties.");
		}
		ObjectNode out = NODES.objectNode();
		JsonNode description = properties.get("description");
		if (description != null && !description.isNull()) {
			out.put("description", text(description, jsonPath + ".properties.description", "String"));
		}
		out.put("protocol", enumValue(properties, "protocol", PROTOCOLS, "SecurityRuleProtocol", ruleId, jsonPath));
		out.put("access", enumValue(properties, "access", ACCESS, "SecurityRuleAccess", ruleId, jsonPath));
		out.put("direction", enumValue(properties, "direction", DIRECTIONS, "SecurityRuleDirection", ruleId, jsonPath));
		out.put("priority", priority(properties, ruleId, jsonPath));
		List<String> families = new ArrayList<>();
		for (String side : List.of("source", "destination")) {
			String sideName = side.equals("source") ? "Source" : "Destination";
			String prefix = optionalText(properties, side + "AddressPrefix", jsonPath);
			List<String> prefixes = optionalList(properties, side + "AddressPrefixes", jsonPath);
			JsonNode asgs = properties.get(side + "ApplicationSecurityGroups");
			boolean hasAsgs = asgs != null && asgs.isArray() && !asgs.isEmpty();
			int given = (prefix != null ? 1 : 0) + (prefixes != null ? 1 : 0) + (hasAsgs ? 1 : 0);
			if (given == 0) {
				throw ArmException.badRequest("SecurityRuleParametersMissing",
						"Required security rule parameters are missing for security rule with Id: " + ruleId
								+ ". Security rule must specify " + sideName + "AddressPrefixes, " + sideName
								+ "AddressPrefix, or " + sideName + "ApplicationSecurityGroups.");
			}
			if (given > 1) {
				throw ArmException.badRequest(CODE_BOTH_GIVEN,
						"Security rule " + ruleId + " specifies more than one of " + sideName + "AddressPrefix, "
								+ sideName + "AddressPrefixes and " + sideName
								+ "ApplicationSecurityGroups; give exactly one.");
			}
			if (prefix != null) {
				families.add(family(prefix, ruleId, sideName + "AddressPrefix", false));
				out.put(side + "AddressPrefix", prefix);
			}
			if (prefixes != null) {
				ArrayNode list = out.putArray(side + "AddressPrefixes");
				for (String p : prefixes) {
					families.add(family(p, ruleId, sideName + "AddressPrefixes", true));
					list.add(p);
				}
			}
			if (hasAsgs) {
				ArrayNode list = out.putArray(side + "ApplicationSecurityGroups");
				for (JsonNode ref : asgs) {
					JsonNode id = ref.get("id");
					if (id == null || !id.isString() || !ASG_ID.matcher(id.stringValue()).matches()) {
						throw ArmException.badRequest("LinkedInvalidPropertyId", "Property id '"
								+ (id == null ? "" : id.asString()) + "' at path '" + jsonPath + ".properties." + side
								+ "ApplicationSecurityGroups' is invalid. Expect fully qualified resource Id that start with "
								+ "'/subscriptions/{subscriptionId}' or '/providers/{resourceProviderNamespace}/'.");
					}
					list.addObject().put("id", id.stringValue());
				}
			}
			String port = optionalText(properties, side + "PortRange", jsonPath);
			List<String> ports = optionalList(properties, side + "PortRanges", jsonPath);
			if (port == null && ports == null) {
				throw ArmException.badRequest(CODE_PARAMETER_MISSING, "Security rule " + ruleId + " must specify "
						+ sideName + "PortRange or " + sideName + "PortRanges.");
			}
			if (port != null && ports != null) {
				throw ArmException.badRequest(CODE_BOTH_GIVEN, "Security rule " + ruleId + " specifies both " + sideName
						+ "PortRange and " + sideName + "PortRanges; give exactly one.");
			}
			if (port != null) {
				checkPort(port, ruleId, false);
				out.put(side + "PortRange", port);
			}
			if (ports != null) {
				ArrayNode list = out.putArray(side + "PortRanges");
				for (String p : ports) {
					checkPort(p, ruleId, true);
					list.add(p);
				}
			}
		}
		if (families.contains("4") && families.contains("6")) {
			throw ArmException.badRequest("ResourceCannotContainAddressPrefixesFromDifferentAddressFamilies",
					"Resource " + ruleId
							+ " contains IP addresses or prefixes that belong to different address families. "
							+ "All IP addresses or prefixes in the resource should belong to the same address family.");
		}
		return out;
	}

	/** "4", "6", or "" for '*' and service tags. */
	private static String family(String prefix, String ruleId, String field, boolean inList) {
		if ("*".equals(prefix) || TAG.matcher(prefix).matches()) {
			if (inList && ("*".equals(prefix) || List.of("virtualnetwork", "internet", "azureloadbalancer")
				.contains(prefix.toLowerCase(Locale.ROOT)))) {
				throw ArmException
					.badRequest("SecurityRuleParameterContainsUnsupportedValue", "Security rule parameter " + field
							+ " for rule with Id " + ruleId
							+ " cannot specify existing VIRTUALNETWORK, INTERNET, AZURELOADBALANCER, '*' or system tags. "
							+ "Unsupported value used: " + prefix + ".");
			}
			return "";
		}
		IPAddress address = null;
		if (prefix.contains(":") || IPV4.matcher(prefix).matches()) {
			address = new IPAddressString(prefix).getAddress();
		}
		if (address == null) {
			throw ArmException.badRequest("SecurityRuleInvalidAddressPrefix",
					"Security rule " + ruleId + " has invalid Address prefix. Value provided: " + prefix + ".");
		}
		return address.isIPv4() ? "4" : "6";
	}

	private static void checkPort(String port, String ruleId, boolean inList) {
		if ("*".equals(port) && !inList) {
			return;
		}
		java.util.regex.Matcher m = PORT.matcher(port);
		boolean ok = m.matches();
		if (ok) {
			int low = Integer.parseInt(m.group(1));
			int high = m.group(3) == null ? low : Integer.parseInt(m.group(3));
			ok = low <= high && high <= 65535;
		}
		if (!ok) {
			throw ArmException.badRequest("SecurityRuleInvalidPortRange",
					"Security rule " + ruleId + " has invalid Port range. Value provided: " + port
							+ ". Value should be an integer OR integer range with '-' delimiter. Valid range 0-65535.");
		}
	}

	private static int priority(JsonNode properties, String ruleId, String jsonPath) {
		JsonNode p = properties.get("priority");
		if (p == null || p.isNull()) {
			throw ArmException.badRequest(CODE_PARAMETER_MISSING,
					"Security rule " + ruleId + " must specify Priority.");
		}
		if (!p.isIntegralNumber() || !p.canConvertToInt()) {
			throw parseError(jsonPath + ".properties.priority", p.toString(), "Int32");
		}
		int value = p.intValue();
		if (value < PRIORITY_MIN || value > PRIORITY_MAX) {
			throw ArmException.badRequest("SecurityRuleInvalidPriority",
					"Security rule has invalid Priority. Value provided: " + value + " Allowed range " + PRIORITY_MIN
							+ "-" + PRIORITY_MAX + ".");
		}
		return value;
	}

	private static String enumValue(JsonNode properties, String field, Map<String, String> values, String type,
			String ruleId, String jsonPath) {
		JsonNode v = properties.get(field);
		if (v == null || v.isNull()) {
			throw ArmException.badRequest(CODE_PARAMETER_MISSING, "Security rule " + ruleId + " must specify "
					+ Character.toUpperCase(field.charAt(0)) + field.substring(1) + ".");
		}
		String canonical = v.isString() ? values.get(v.stringValue().toLowerCase(Locale.ROOT)) : null;
		if (canonical == null) {
			throw parseError(jsonPath + ".properties." + field, v.toString(), type);
		}
		return canonical;
	}

	private static String text(JsonNode v, String path, String type) {
		if (!v.isString()) {
			throw parseError(path, v.toString(), type);
		}
		return v.stringValue();
	}

	private static String optionalText(JsonNode properties, String field, String jsonPath) {
		JsonNode v = properties.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		String s = text(v, jsonPath + ".properties." + field, "String");
		return s.isEmpty() ? null : s;
	}

	private static List<String> optionalList(JsonNode properties, String field, String jsonPath) {
		JsonNode v = properties.get(field);
		if (v == null || v.isNull()) {
			return null;
		}
		if (!v.isArray()) {
			throw parseError(jsonPath + ".properties." + field, v.toString(), "List`1");
		}
		List<String> out = new ArrayList<>();
		for (JsonNode item : v) {
			out.add(text(item, jsonPath + ".properties." + field, "String"));
		}
		return out.isEmpty() ? null : out;
	}

	/**
	 * ARM's answer to a body its JSON contract cannot read (a wrong type, an unknown enum
	 * value).
	 */
	static ArmException parseError(String path, String value, String type) {
		return ArmException.badRequest("InvalidRequestFormat", "Cannot parse the request. Error converting value "
				+ value + " to type '" + type + "'. Path '" + path + "'.");
	}

}
