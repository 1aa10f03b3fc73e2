package dev.polyfence.policy;

import static dev.polyfence.policy.Fixtures.PARSER;
import static dev.polyfence.policy.Fixtures.assertProblem;
import static dev.polyfence.policy.Fixtures.invalidBindings;
import static dev.polyfence.policy.Fixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * Mistakes in bindings documents and in request bodies, where pointers are relative to
 * the body.
 */
class BindingsAndRequestErrorsTest {

	private static final String POLICY_JSON = """
			{"apiVersion": "polyfence.dev/v1", "kind": "NetworkPolicy", "metadata": {"name": "shop"},
			 "spec": {"groups": [{"name": "web"}, {"name": "db"}],
			          "rules": [{"name": "r", "action": "allow", "direction": "ingress", "appliesTo": ["db"],
			                     "peers": [{"group": "web"}, {"cidr": "10.0.0.1/8"}]}]}}""";

	private static final String VALID_POLICY_JSON = POLICY_JSON.replace("10.0.0.1/8", "10.0.0.0/8");

	private static InvalidDocumentException invalidRequest(String body, boolean yaml) {
		InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
				() -> PARSER.parseRequest(body, yaml));
		assertThat(e).as("expected the request to be refused").isNotNull();
		return e;
	}

	@Test
	void ephemeralPorts() {
		assertProblem(invalidBindings("aws: {ephemeralPorts: \"2000-1000\"}"), "/aws/ephemeralPorts",
				"port range 2000-1000 runs backwards; did you mean 1000-2000?");
		assertProblem(invalidBindings("aws: {ephemeralPorts: \"1024-70000\"}"), "/aws/ephemeralPorts",
				"port range 1024-70000 is not within 0-65535");
		assertProblem(invalidBindings("aws: {ephemeralPorts: \"1024\"}"), "/aws/ephemeralPorts",
				"'1024' is not a port range: write \"N-M\"");
		InvalidDocumentException number = invalidBindings("aws: {ephemeralPorts: 1024}");
		assertProblem(number, "/aws/ephemeralPorts", "expected a string, found the number 1024");
		assertThat(number.problems().get(0).message()).doesNotContain("quote it");
	}

	@Test
	void gcpGroupNeedsExactlyOneOfTagsAndServiceAccount() {
		InvalidDocumentException e = invalidBindings("""
				gcp:
				  groups:
				    web: {targetTags: [web], serviceAccount: web@p.iam.gserviceaccount.com}
				    db: {cidrs: [10.0.0.0/8]}
				    app: {targetTags: []}
				    ok: {serviceAccount: ok@p.iam.gserviceaccount.com}
				""");

		assertProblem(e, "/gcp/groups/web", "a GCP group is targeted by targetTags or by serviceAccount, not both");
		assertProblem(e, "/gcp/groups/db", "a GCP group needs targetTags or serviceAccount");
		assertProblem(e, "/gcp/groups/app/targetTags", "targetTags must not be empty");
		assertThat(e.problems()).hasSize(3);
	}

	@Test
	void gcpGroupThatIsNotAnObjectGetsOneTypeProblem() {
		InvalidDocumentException e = invalidBindings("gcp: {groups: {web: web-tag}}");

		assertProblem(e, "/gcp/groups/web", "expected an object, found 'web-tag'");
		assertThat(e.problems()).hasSize(1);
	}

	@Test
	void limitsAndFormats() {
		InvalidDocumentException e = invalidBindings("""
				aws: {region: Ireland, vpcId: vpc0a1b, securityGroupRuleQuota: 0, networkAclEntryQuota: 41,
				      groups: {web: {subnetIds: [sn-1], cidrs: [10.0.1.1/24]}}}
				azure: {subscriptionId: not-a-uuid, location: West Europe, priorityBase: 4097,
				        groups: {web: {networkSecurityGroupName: ""}}}
				gcp: {project: P, priorityBase: 65535,
				      groups: {web: {targetTags: [Web], cidrs: [10.0.0.0/8]}, db: {serviceAccount: nobody}}}
				""");

		assertProblem(e, "/aws/region", "'Ireland' is not an AWS region name such as eu-west-1");
		assertProblem(e, "/aws/vpcId", "'vpc0a1b' is not a VPC id");
		assertProblem(e, "/aws/securityGroupRuleQuota", "securityGroupRuleQuota 0 is not within 1-1000");
		assertProblem(e, "/aws/networkAclEntryQuota", "networkAclEntryQuota 41 is not within 1-40");
		assertProblem(e, "/aws/groups/web/subnetIds/0", "'sn-1' is not a subnet id");
		assertProblem(e, "/aws/groups/web/cidrs/0",
				"10.0.1.1/24 is not a canonical CIDR block: its host bits are set;" + " did you mean 10.0.1.0/24?");
		assertProblem(e, "/azure/subscriptionId", "'not-a-uuid' is not a subscription id");
		assertProblem(e, "/azure/location", "'West Europe' is not an Azure location name");
		assertProblem(e, "/azure/priorityBase", "priorityBase 4097 is not within 100-4096");
		assertProblem(e, "/azure/groups/web/networkSecurityGroupName", "networkSecurityGroupName must not be empty");
		assertProblem(e, "/gcp/project", "'P' is not a GCP project id");
		assertProblem(e, "/gcp/priorityBase", "priorityBase 65535 is not within 0-65534");
		assertProblem(e, "/gcp/groups/web/targetTags/0", "'Web' is not a valid network tag");
		assertProblem(e, "/gcp/groups/db/serviceAccount", "'nobody' is not a service account e-mail address");
		assertThat(e.problems()).hasSize(14);
	}

	@Test
	void unknownFieldsInBindings() {
		InvalidDocumentException e = invalidBindings("""
				aws: {groups: {web: {securityGroup: web-sg}}}
				oci: {}
				""");

		assertProblem(e, "/aws/groups/web/securityGroup", "unknown field 'securityGroup'");
		assertProblem(e, "/oci", "unknown field 'oci'");
	}

	@Test
	void standaloneBindingsMayNameAnyGroup() {
		Bindings bindings = PARSER.parseBindings("aws: {groups: {cache: {cidrs: [10.9.0.0/16]}}}");

		assertThat(bindings.aws().group("cache")).isPresent();
	}

	@Test
	void requestBindingsNamingUndeclaredGroups() {
		InvalidDocumentException e = invalidRequest("""
				{"policy": %s,
				 "bindings": {"aws": {"groups": {"web": {}, "cache": {"cidrs": ["10.0.0.1/16"]}}},
				              "gcp": {"groups": {"queue": {"targetTags": ["queue"]}}}}}
				""".formatted(VALID_POLICY_JSON), false);

		assertProblem(e, "/bindings/aws/groups/cache", "group 'cache' is not declared in /policy/spec/groups");
		assertProblem(e, "/bindings/aws/groups/cache/cidrs/0", "did you mean 10.0.0.0/16?");
		assertProblem(e, "/bindings/gcp/groups/queue", "group 'queue' is not declared in /policy/spec/groups");
		assertThat(e.problems()).hasSize(3);
	}

	@Test
	void requestPointersAreRelativeToTheBody() {
		InvalidDocumentException e = invalidRequest("""
				{"policy": %s, "bindings": {"azure": {"priorityBase": 1}}, "target": ["aws"]}
				""".formatted(POLICY_JSON), false);

		assertProblem(e, "/policy/spec/rules/0/peers/1/cidr", "10.0.0.1/8 is not a canonical CIDR block");
		assertProblem(e, "/bindings/azure/priorityBase", "priorityBase 1 is not within 100-4096");
		assertProblem(e, "/target", "unknown field 'target'; did you mean 'targets'?");
		assertThat(e.problems()).hasSize(3);
	}

	@Test
	void requestTargets() {
		assertProblem(invalidRequest("{\"policy\": %s, \"targets\": []}".formatted(VALID_POLICY_JSON), false),
				"/targets", "targets must not be empty");
		assertProblem(invalidRequest("{\"policy\": %s, \"targets\": \"aws\"}".formatted(VALID_POLICY_JSON), false),
				"/targets", "expected a list of clouds (aws, azure, gcp), found 'aws'");
		InvalidDocumentException e = invalidRequest(
				"{\"policy\": %s, \"targets\": [\"aws\", \"oci\", \"aws\", 3]}".formatted(VALID_POLICY_JSON), false);
		assertProblem(e, "/targets/1", "'oci' is not a cloud: use aws, azure or gcp");
		assertProblem(e, "/targets/2", "'aws' is listed twice in targets (also at /targets/0)");
		assertProblem(e, "/targets/3", "the number 3 is not a cloud");
	}

	@Test
	void requestWithoutPolicyOrNotAnObject() {
		assertProblem(invalidRequest("{\"bindings\": {}}", false), "", "required field 'policy' is missing");
		assertProblem(invalidRequest("[1]", false), "",
				"expected an object {policy, bindings?, targets?}, found a list");
		assertProblem(invalidRequest("", false), "", "the document is empty");
		assertProblem(invalidRequest("policy: nonsense\n", true), "/policy", "expected an object, found 'nonsense'");
	}

	@Test
	void requestDefaultsAndNulls() {
		PolicyRequest request = PARSER.parseRequest(
				"{\"policy\": %s, \"bindings\": null, \"targets\": null}".formatted(VALID_POLICY_JSON), false);

		assertThat(request.bindings()).isSameAs(Bindings.NONE);
		assertThat(request.targets()).isEmpty();
	}

	@Test
	void effectiveTargetsFollowSection7() {
		String policy = "{\"policy\": " + VALID_POLICY_JSON;

		assertThat(PARSER.parseRequest(policy + "}", false).effectiveTargets()).containsExactly(Cloud.AWS, Cloud.AZURE,
				Cloud.GCP);
		assertThat(
				PARSER.parseRequest(policy + ", \"bindings\": {\"gcp\": {}, \"aws\": {}}}", false).effectiveTargets())
			.containsExactly(Cloud.AWS, Cloud.GCP);
		assertThat(PARSER.parseRequest(policy + ", \"bindings\": {\"gcp\": {}}, \"targets\": [\"azure\"]}", false)
			.effectiveTargets()).containsExactly(Cloud.AZURE);
	}

	@Test
	void requestInYaml() {
		PolicyRequest request = PARSER
			.parseRequest(DocumentParserFixturesTest.requestYaml("three-tier") + "targets: [azure]\n", true);

		assertThat(request.policy().name()).isEqualTo("shop");
		assertThat(request.bindings().azure().priorityBase()).isEqualTo(1000);
		assertThat(request.targets()).containsExactly(Cloud.AZURE);
		InvalidDocumentException e = invalidRequest(
				"policy:\n" + read("three-tier.yaml").indent(2) + "bindings:\n  gcp: {groups: {web: {}}}\n", true);
		assertProblem(e, "/bindings/gcp/groups/web", "a GCP group needs targetTags or serviceAccount");
	}

	@Test
	void requestAsAnAlreadyParsedTree() {
		PolicyRequest request = PARSER.parseRequest(
				tools.jackson.databind.json.JsonMapper.shared().readTree("{\"policy\": " + VALID_POLICY_JSON + "}"));

		assertThat(request.policy().groups()).containsExactly("web", "db");
		assertThat(request.bindings()).isSameAs(Bindings.NONE);
	}

	@Test
	void duplicateKeysInARequestBody() {
		InvalidDocumentException e = invalidRequest(
				"{\"policy\": %s, \"targets\": [\"aws\"], \"targets\": [\"gcp\"]}".formatted(VALID_POLICY_JSON), false);

		assertProblem(e, "/targets", "'targets' is given twice in the same object");
	}

}
