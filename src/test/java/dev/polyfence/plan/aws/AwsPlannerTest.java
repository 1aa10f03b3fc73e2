package dev.polyfence.plan.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.ManagedTags;
import dev.polyfence.policy.Bindings;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.Policy;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.translate.aws.NetworkAclEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AwsPlannerTest {

	private static final List<String> SUBNETS = List.of("subnet-05a4b301", "subnet-05a4b311", "subnet-05a4b302",
			"subnet-05a4b303", "subnet-other");

	private final DocumentParser parser = new DocumentParser();

	private final AwsPlanner planner = new AwsPlanner();

	private Policy policy;

	private Bindings.Aws aws;

	private SimulatedVpc vpc;

	@BeforeEach
	void setUp() throws IOException {
		policy = parser.parsePolicy(resource("/policies/three-tier.yaml"));
		aws = parser.parseBindings(resource("/policies/three-tier-bindings.yaml")).aws();
		vpc = new SimulatedVpc(aws.vpcId(), SUBNETS);
	}

	@Test
	void planOnAnEmptyVpcCreatesEverythingAddsBeforeItRemovesAndTouchesNothingElse() {
		AwsPlan plan = plan(policy);

		assertThat(plan.findings()).noneMatch(f -> f.severity() == Severity.ERROR);
		assertThat(rows(plan, "create", "security-group")).hasSize(3);
		assertThat(rows(plan, "create", "network-acl")).hasSize(3);
		assertThat(rows(plan, "update", "network-acl-association")).hasSize(4);
		assertThat(plan.rows()).noneMatch(r -> r.resource().contains("subnet-other"));
		assertThat(plan.foreign()).extracting(f -> f.name()).contains("default");
		List<Class<?>> order = plan.operations().stream().<Class<?>>map(Object::getClass).toList();
		assertThat(order.indexOf(AwsChange.AuthorizeRules.class))
			.isGreaterThan(order.lastIndexOf(AwsChange.CreateSecurityGroup.class));
		assertThat(order.lastIndexOf(AwsChange.AssociateSubnet.class))
			.isGreaterThan(order.lastIndexOf(AwsChange.CreateNetworkAclEntry.class));
		assertThat(plan.operations()).filteredOn(c -> c instanceof AwsChange.AuthorizeRules)
			.as("one authorize call per group and direction")
			.hasSizeLessThanOrEqualTo(6);
	}

	@Test
	void aPlanMadeRightAfterAnApplyIsEmpty() {
		applyAll(plan(policy));

		AwsPlan again = plan(policy);

		assertThat(again.operations()).isEmpty();
		assertThat(again.rows()).isEmpty();
	}

	@Test
	void driftMadeOutOfBandIsShownAndRepaired() {
		applyAll(plan(policy));
		var web = vpc.state().securityGroupNamed("shop-web").orElseThrow();
		List<AwsLiveState.LiveRule> drifted = new ArrayList<>(web.rules().subList(1, web.rules().size()));
		drifted.add(new AwsLiveState.LiveRule("sgr-drift", false, "tcp", 22, 22, "0.0.0.0/0", null, null, null));
		vpc.replaceGroup(new AwsLiveState.LiveSecurityGroup(web.groupId(), web.groupName(), web.description(),
				web.tags(), drifted));

		AwsPlan repair = plan(policy);

		assertThat(rows(repair, "create", "security-group-rule")).hasSize(1);
		assertThat(rows(repair, "delete", "security-group-rule")).singleElement()
			.satisfies(r -> assertThat(r.resource()).contains("tcp 22 from 0.0.0.0/0"));
		applyAll(repair);
		assertThat(plan(policy).operations()).isEmpty();
	}

	@Test
	void aGroupNameHeldByAnUnmanagedSecurityGroupIsAnErrorAndThatGroupIsLeftAlone() {
		vpc.apply(new AwsChange.CreateSecurityGroup("x", "shop-web", "someone else's", Map.of("team", "other")));

		AwsPlan plan = plan(policy);

		assertThat(plan.findings()).anyMatch(f -> f.code().equals("NAME_TAKEN") && f.severity() == Severity.ERROR);
		assertThat(plan.rows())
			.noneMatch(r -> "web".equals(r.group()) && r.resourceType().startsWith("security-group"));
		assertThat(plan.foreign()).anyMatch(f -> f.name().equals("shop-web"));
	}

	/**
	 * A pull request that narrows the blocked range and adds a port: a handful of ACL
	 * rows, each entry the edit does not touch keeping its number, and no row showing an
	 * entry that stays (the blocking deny among them) as deleted.
	 */
	@Test
	void aTwoRuleEditChangesAFewAclEntriesInPlaceAndTheNextPlanIsEmpty() throws IOException {
		applyAll(plan(policy));
		Map<String, List<NetworkAclEntry>> before = aclEntries();
		Policy next = parser.parsePolicy(resource("/policies/three-tier.yaml")
			.replace("peers: [{cidr: 203.0.113.0/24}]\n    - name: block-bad-range-out",
					"peers: [{cidr: 203.0.113.0/25}]\n    - name: block-bad-range-out")
			.replace("ports: [\"80\", \"443\"]", "ports: [\"80\", \"443\", \"8443\"]"));

		AwsPlan plan = plan(next);

		List<ChangeRow> aclRows = plan.rows()
			.stream()
			.filter(r -> r.resourceType().equals("network-acl-entry"))
			.toList();
		assertThat(aclRows).hasSizeBetween(1, 4);
		assertThat(aclRows).filteredOn(r -> r.action().equals(ChangeRow.UPDATE))
			.singleElement()
			.satisfies(r -> assertThat(r.resource()).isEqualTo("network ACL of web: 100 in deny protocol -1 from "
					+ "203.0.113.0/24 → 100 in deny protocol -1 from 203.0.113.0/25"));
		assertThat(plan.operations()).filteredOn(c -> c instanceof AwsChange.ReplaceNetworkAclEntry).hasSize(1);
		assertThat(aclRows).filteredOn(r -> r.action().equals(ChangeRow.DELETE))
			.allSatisfy(r -> assertThat(wanted(next, r.group())).doesNotContain(content((NetworkAclEntry) r.before())));
		assertThat(plan.findings()).noneMatch(f -> f.code().equals("UNSAFE_ORDER"));
		applyAll(plan);
		Map<String, List<NetworkAclEntry>> after = aclEntries();
		before.forEach((acl, entries) -> {
			long kept = entries.stream().filter(after.get(acl)::contains).count();
			assertThat(kept).as("entries of %s that keep their number", acl).isGreaterThanOrEqualTo(entries.size() - 3);
		});
		assertThat(plan(next).operations()).isEmpty();
	}

	private Map<String, List<NetworkAclEntry>> aclEntries() {
		Map<String, List<NetworkAclEntry>> entries = new java.util.TreeMap<>();
		vpc.state()
			.networkAcls()
			.stream()
			.filter(a -> !a.isDefault())
			.forEach(a -> entries.put(a.networkAclId(), a.entries()));
		return entries;
	}

	/** The contents of the entries the translation wants in one group's ACL. */
	private List<NetworkAclEntry> wanted(Policy p, String group) {
		return new AwsTranslator().translate(p, new Bindings(aws, null, null))
			.output()
			.networkAcls()
			.stream()
			.filter(a -> a.group().equals(group))
			.flatMap(a -> a.entries().stream())
			.map(AwsPlannerTest::content)
			.toList();
	}

	private static NetworkAclEntry content(NetworkAclEntry e) {
		return new NetworkAclEntry(0, e.protocol(), e.ruleAction(), e.egress(), e.cidrBlock(), e.ipv6CidrBlock(),
				e.portRange(), e.icmpTypeCode());
	}

	@Test
	void fingerprintIgnoresUnrelatedResourcesButNotManagedOnes() {
		AwsPlan before = plan(policy);
		vpc.apply(new AwsChange.CreateSecurityGroup("x", "unrelated", "not ours", Map.of()));
		assertThat(plan(policy).fingerprint()).isEqualTo(before.fingerprint());
		applyAll(plan(policy));
		assertThat(plan(policy).fingerprint()).isNotEqualTo(before.fingerprint());
		assertThat(ManagedTags.groupOf(vpc.state().securityGroupNamed("shop-db").orElseThrow().tags(), "shop"))
			.isEqualTo("db");
	}

	private AwsPlan plan(Policy p) {
		AwsOutput desired = new AwsTranslator().translate(p, new Bindings(aws, null, null)).output();
		return planner.plan(p, aws, desired, vpc.state());
	}

	private void applyAll(AwsPlan plan) {
		plan.operations().forEach(vpc::apply);
	}

	private static List<ChangeRow> rows(AwsPlan plan, String action, String type) {
		return plan.rows().stream().filter(r -> r.action().equals(action) && r.resourceType().equals(type)).toList();
	}

	private static String resource(String path) throws IOException {
		try (InputStream in = AwsPlannerTest.class.getResourceAsStream(path)) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
