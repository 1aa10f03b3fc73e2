package dev.polyfence.policy;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads policy documents, bindings documents and request bodies (spec sections 1, 3 and
 * 7) into the model, or refuses them with an {@link InvalidDocumentException} that lists
 * every problem at once, each at a JSON Pointer relative to the text given.
 *
 * <p>
 * Each document goes through four steps: the text is read into a tree (YAML or JSON;
 * size, depth and alias limits; duplicate keys noted), the tree is checked against the
 * JSON Schema published at {@link #POLICY_SCHEMA} or {@link #BINDINGS_SCHEMA}, then
 * against the rules a schema cannot express (unique names, declared references, canonical
 * CIDR blocks, ports and protocols), and only a document without any problem is built
 * into records.
 *
 * <p>
 * Immutable and thread-safe: build one and share it.
 */
public final class DocumentParser {

	/** Classpath resource of the policy document's JSON Schema (draft 2020-12). */
	public static final String POLICY_SCHEMA = SchemaCheck.POLICY;

	/** Classpath resource of the bindings document's JSON Schema (draft 2020-12). */
	public static final String BINDINGS_SCHEMA = SchemaCheck.BINDINGS;

	private static final List<String> REQUEST_FIELDS = List.of("policy", "bindings", "targets");

	private final TreeReader reader = new TreeReader();

	private final SchemaCheck policySchema = SchemaCheck.load(POLICY_SCHEMA);

	private final SchemaCheck bindingsSchema = SchemaCheck.load(BINDINGS_SCHEMA);

	/**
	 * A policy document, YAML or JSON (told apart by its first character, '{' or '[' for
	 * JSON).
	 */
	public Policy parsePolicy(String text) {
		TreeReader.Tree tree = reader.read(text, TreeReader.Format.DETECT);
		ProblemList problems = new ProblemList();
		problems.addAll(tree.duplicateKeys());
		JsonNode root = present(tree.root(), "expected a NetworkPolicy with apiVersion, kind, metadata and spec");
		CidrBlocks blocks = new CidrBlocks();
		checkPolicy(root, "", problems, blocks);
		problems.throwIfAny();
		return new ModelAssembler(blocks).policy(root);
	}

	/**
	 * A bindings document on its own, YAML or JSON. Its groups cannot be matched against
	 * a policy here; {@link #parseRequest} does that when both are given.
	 */
	public Bindings parseBindings(String text) {
		TreeReader.Tree tree = reader.read(text, TreeReader.Format.DETECT);
		ProblemList problems = new ProblemList();
		problems.addAll(tree.duplicateKeys());
		JsonNode root = present(tree.root(), "write {} for no bindings");
		CidrBlocks blocks = new CidrBlocks();
		checkBindings(root, "", Optional.empty(), problems, blocks);
		problems.throwIfAny();
		return new ModelAssembler(blocks).bindings(root);
	}

	/**
	 * A request body {@code {policy, bindings?, targets?}}, in JSON or (when
	 * {@code yaml}) in YAML. Pointers are relative to the body: /policy/spec/...,
	 * /bindings/aws/..., /targets/1.
	 */
	public PolicyRequest parseRequest(String body, boolean yaml) {
		TreeReader.Tree tree = reader.read(body, yaml ? TreeReader.Format.YAML : TreeReader.Format.JSON);
		JsonNode root = present(tree.root(), "expected {policy, bindings?, targets?}");
		return request(root, tree.duplicateKeys());
	}

	/**
	 * A request body that something else has already read into a tree (for example a web
	 * framework). Everything is checked as for text, except what only the text shows:
	 * duplicate keys and YAML limits.
	 */
	public PolicyRequest parseRequest(JsonNode body) {
		return request(present(body, "expected {policy, bindings?, targets?}"), new ProblemList());
	}

	private PolicyRequest request(JsonNode body, ProblemList duplicateKeys) {
		ProblemList problems = new ProblemList();
		problems.addAll(duplicateKeys);
		CidrBlocks blocks = new CidrBlocks();
		if (!body.isObject()) {
			problems.add("", "expected an object {policy, bindings?, targets?}, found " + Wording.describe(body));
			problems.throwIfAny();
		}
		for (String field : body.propertyNames()) {
			if (!REQUEST_FIELDS.contains(field)) {
				problems.add(Pointers.child("", field),
						"unknown field '" + field + "'" + Wording.suggestion(field, REQUEST_FIELDS));
			}
		}
		JsonNode policy = body.path("policy");
		if (policy.isMissingNode() || policy.isNull()) {
			problems.add("", "required field 'policy' is missing");
		}
		else {
			checkPolicy(policy, "/policy", problems, blocks);
		}
		JsonNode bindings = body.path("bindings");
		boolean hasBindings = !bindings.isMissingNode() && !bindings.isNull();
		if (hasBindings) {
			checkBindings(bindings, "/bindings", PolicySemantics.declaredGroups(policy), problems, blocks);
		}
		Set<Cloud> targets = targets(body.path("targets"), problems);
		problems.throwIfAny();
		ModelAssembler assembler = new ModelAssembler(blocks);
		return new PolicyRequest(assembler.policy(policy), hasBindings ? assembler.bindings(bindings) : Bindings.NONE,
				targets);
	}

	private void checkPolicy(JsonNode policy, String base, ProblemList problems, CidrBlocks blocks) {
		ProblemList found = new ProblemList();
		policySchema.check(policy, base, found);
		ProblemList semantic = new ProblemList();
		PolicySemantics.check(policy, base, semantic, blocks);
		found.addWhereClean(semantic);
		problems.addAll(found);
	}

	private void checkBindings(JsonNode bindings, String base, Optional<Set<String>> declared, ProblemList problems,
			CidrBlocks blocks) {
		ProblemList found = new ProblemList();
		bindingsSchema.check(bindings, base, found);
		ProblemList semantic = new ProblemList();
		BindingsSemantics.check(bindings, base, declared, "/policy/spec/groups", semantic, blocks);
		found.addWhereClean(semantic);
		problems.addAll(found);
	}

	/** The clouds a request names; null or absent means not given (empty). */
	private static Set<Cloud> targets(JsonNode targets, ProblemList problems) {
		Set<Cloud> clouds = EnumSet.noneOf(Cloud.class);
		if (targets.isMissingNode() || targets.isNull()) {
			return clouds;
		}
		if (!targets.isArray()) {
			problems.add("/targets", "expected a list of clouds (aws, azure, gcp), found " + Wording.describe(targets));
			return clouds;
		}
		if (targets.isEmpty()) {
			problems.add("/targets", "targets must not be empty: leave targets out for every bound cloud");
		}
		Map<String, String> seen = new HashMap<>();
		for (int i = 0; i < targets.size(); i++) {
			String pointer = Pointers.child("/targets", i);
			Cloud cloud = cloud(targets.get(i));
			if (cloud == null) {
				problems.add(pointer, Wording.describe(targets.get(i)) + " is not a cloud: use aws, azure or gcp");
				continue;
			}
			String first = seen.putIfAbsent(cloud.wire(), pointer);
			if (first != null) {
				problems.add(pointer, "'" + cloud.wire() + "' is listed twice in targets (also at " + first + ")");
			}
			clouds.add(cloud);
		}
		return clouds;
	}

	private static Cloud cloud(JsonNode value) {
		for (Cloud cloud : Cloud.values()) {
			if (value.isString() && cloud.wire().equals(value.asString())) {
				return cloud;
			}
		}
		return null;
	}

	private static JsonNode present(JsonNode root, String expected) {
		if (root == null || root.isMissingNode()) {
			throw new InvalidDocumentException(InvalidDocumentException.Kind.INVALID,
					List.of(new Problem("", "the document is empty: " + expected)));
		}
		return root;
	}

}
