package dev.polyfence.policy;

import java.util.EnumSet;
import tools.jackson.databind.JsonNode;

/**
 * The steps of {@link DocumentParser#parseRequest(String, boolean)} one at a time, for
 * the benchmarks (they live in this package to reach the package-private steps): text to
 * tree, the JSON Schemas, the semantic checks, and assembly of the model. Each step does
 * what the parser does for a JSON request body; a document with any problem throws.
 */
public final class ParseStages {

	private final TreeReader reader = new TreeReader();

	private final SchemaCheck policySchema = SchemaCheck.load(SchemaCheck.POLICY);

	private final SchemaCheck bindingsSchema = SchemaCheck.load(SchemaCheck.BINDINGS);

	/** The body's tree, read as the parser reads JSON (limits, duplicate keys). */
	public JsonNode read(String json) {
		TreeReader.Tree tree = reader.read(json, TreeReader.Format.JSON);
		tree.duplicateKeys().throwIfAny();
		return tree.root();
	}

	/** The policy and bindings against their JSON Schemas. */
	public void checkSchemas(JsonNode body) {
		ProblemList problems = new ProblemList();
		policySchema.check(body.path("policy"), "/policy", problems);
		bindingsSchema.check(body.path("bindings"), "/bindings", problems);
		problems.throwIfAny();
	}

	/**
	 * The rules the schemas cannot express, for the policy and its bindings; gives the
	 * CIDR blocks they parsed, for {@link #assemble}.
	 */
	public Object checkSemantics(JsonNode body) {
		ProblemList problems = new ProblemList();
		CidrBlocks blocks = new CidrBlocks();
		JsonNode policy = body.path("policy");
		PolicySemantics.check(policy, "/policy", problems, blocks);
		BindingsSemantics.check(body.path("bindings"), "/bindings", PolicySemantics.declaredGroups(policy),
				"/policy/spec/groups", problems, blocks);
		problems.throwIfAny();
		return blocks;
	}

	/**
	 * The model records of a checked body, with the blocks its semantic check parsed.
	 */
	public PolicyRequest assemble(JsonNode body, Object checked) {
		ModelAssembler assembler = new ModelAssembler((CidrBlocks) checked);
		return new PolicyRequest(assembler.policy(body.path("policy")), assembler.bindings(body.path("bindings")),
				EnumSet.noneOf(Cloud.class));
	}

}
