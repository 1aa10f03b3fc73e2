package dev.polyfence.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The rules of a bindings document that its JSON Schema cannot express: canonical CIDR
 * blocks, a valid ephemeral port range and, when the policy is known, that every bound
 * group is declared by it. (That a GCP group has exactly one of targetTags and
 * serviceAccount is the schema's oneOf.)
 */
final class BindingsSemantics {

	private static final String[] CLOUDS = { "aws", "azure", "gcp" };

	private BindingsSemantics() {
	}

	/**
	 * @param declared the policy's group names, when known
	 * @param groupsPointer where the policy declares them, for the message
	 * @param cidrs where the valid CIDR blocks go, for the model assembly
	 */
	static void check(JsonNode bindings, String base, Optional<Set<String>> declared, String groupsPointer,
			ProblemList problems, CidrBlocks cidrs) {
		JsonNode ephemeral = bindings.path("aws").path("ephemeralPorts");
		if (ephemeral.isString() && ephemeral.asString().matches("[0-9]+-[0-9]+")) {
			Ports.problem(ephemeral.asString())
				.ifPresent(message -> problems.add(base + "/aws/ephemeralPorts", "ephemeralPorts: " + message));
		}
		for (String cloud : CLOUDS) {
			String groupsAt = base + "/" + cloud + "/groups";
			for (Map.Entry<String, JsonNode> group : bindings.path(cloud).path("groups").properties()) {
				String groupAt = Pointers.child(groupsAt, group.getKey());
				if (declared.isPresent() && !declared.get().contains(group.getKey())) {
					problems.add(groupAt, "group '" + group.getKey() + "' is not declared in " + groupsPointer);
				}
				JsonNode blocks = PolicySemantics.list(group.getValue().path("cidrs"));
				for (int i = 0; i < blocks.size(); i++) {
					PolicySemantics.cidr(blocks.get(i), Pointers.child(groupAt + "/cidrs", i), problems, cidrs);
				}
			}
		}
	}

}
