package dev.polyfence.cloud.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.ApplyService;
import dev.polyfence.app.AwsEnvironment;
import dev.polyfence.app.Clouds;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.verify.PolicyDocument;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanException;
import dev.polyfence.app.PlanService;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.TranslationService;
import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.AwsLiveView;
import dev.polyfence.translate.aws.AwsOutput;
import dev.polyfence.translate.aws.AwsTranslator;
import dev.polyfence.verify.AwsEvaluator;
import dev.polyfence.verify.CloudVerdict;
import dev.polyfence.verify.Flow;
import dev.polyfence.verify.RepresentativeFlows;
import inet.ipaddr.IPAddress;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.moto.MotoProxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;

/**
 * Plan and apply end to end against an EC2 API, through the real SDK: the use cases of
 * the service over {@link Ec2AwsEnvironment}, with a proxy in front of the API to inject
 * throttling and failures. Run against moto ({@link PlanApplyMotoTest}) and, where Docker
 * is available, LocalStack ({@link PlanApplyLocalStackTest}).
 */
abstract class PlanApplyContract {

	/** Where the EC2 API under test answers. */
	abstract URI endpoint();

	/** Client settings for that API, pointed at {@code endpoint}. */
	abstract Ec2ClientSettings settings(URI endpoint);

	abstract String region();

	private static final String POLICY = """
			apiVersion: polyfence.dev/v1
			kind: NetworkPolicy
			metadata: {name: shop}
			spec:
			  defaults: {ingress: deny, egress: allow}
			  addressSets:
			    partners: [198.51.100.0/24]
			  groups: [{name: web}, {name: app}, {name: db}]
			  rules:
			    - {name: block-scanners, action: deny, direction: ingress, appliesTo: ["*"], peers: [{cidr: 203.0.113.0/24}]}
			    - {name: https, action: allow, direction: ingress, appliesTo: [web], peers: [{any: true}],
			       services: [{protocol: tcp, ports: ["443"]}]}
			    - {name: web-to-app, action: allow, direction: ingress, appliesTo: [app], peers: [{group: web}],
			       services: [{protocol: tcp, ports: ["8080"]}]}
			    - {name: app-to-db, action: allow, direction: ingress, appliesTo: [db],
			       peers: [{group: app}, {addressSet: partners}], services: [{protocol: tcp, ports: ["5432"]}]}
			    - {name: db-stays-in, action: deny, direction: egress, appliesTo: [db], peers: [{any: true}]}
			""";

	private Ec2Client ec2;

	private MotoProxy proxy;

	private String vpcId;

	private List<String> subnets;

	private PlanStore store;

	private Stores stores;

	private PlanService plans;

	private ApplyService applies;

	private AtomicInteger armAt;

	@BeforeEach
	void setUp() {
		proxy = MotoProxy.to(endpoint());
		ec2 = Ec2Clients.create(settings(endpoint()));
		vpcId = ec2.createVpc(v -> v.cidrBlock("10.0.0.0/16")).vpc().vpcId();
		subnets = List.of("10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24")
			.stream()
			.map(cidr -> ec2.createSubnet(s -> s.vpcId(vpcId).cidrBlock(cidr)).subnet().subnetId())
			.toList();
		armAt = new AtomicInteger(-1);
		Ec2AwsEnvironment real = new Ec2AwsEnvironment(region -> settings(proxy.endpoint()));
		AwsEnvironment withFaults = new AwsEnvironment() {
			@Override
			public AwsLiveState read(String region, String vpc) {
				return real.read(region, vpc);
			}

			@Override
			public ChangeRunner runner(String region, String vpc, String policy, AwsLiveState seen) {
				ChangeRunner runner = real.runner(region, vpc, policy, seen);
				AtomicInteger calls = new AtomicInteger();
				return change -> {
					if (calls.getAndIncrement() == armAt.get()) {
						proxy.failNext(10, MotoProxy.Fault.SERVER_ERROR);
					}
					return runner.run(change);
				};
			}
		};
		stores = Stores.h2(Clock.systemUTC());
		store = stores.plans();
		DocumentParser parser = new DocumentParser();
		plans = new PlanService(parser, new TranslationService(), Clouds.aws(withFaults), store, stores.audit(),
				Clock.systemUTC(), Duration.ofHours(1));
		applies = new ApplyService(parser, new TranslationService(), Clouds.aws(withFaults), store, stores.locks(),
				stores.audit(), Clock.systemUTC(), "test");
	}

	@AfterEach
	void tearDown() {
		stores.locks().close();
		proxy.close();
		ec2.close();
	}

	@Test
	void planOnAnEmptyVpcApplyAndTheNextPlanIsEmpty() {
		Plan plan = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		assertThat(plan.hasErrors()).as("%s", plan.findings()).isFalse();
		assertThat(plan.summary().create()).isPositive();

		ApplyRecord record = applies.apply(plan.id(), "test");

		assertThat(record.status()).as("%s", record.steps()).isEqualTo("succeeded");
		Plan again = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		assertThat(again.changes()).as("changes after apply: %s", again.changes()).isEmpty();
	}

	@Test
	void aForeignSecurityGroupIsListedAndNeverTouched() {
		String legacy = ec2.createSecurityGroup(g -> g.vpcId(vpcId).groupName("legacy").description("legacy"))
			.groupId();
		ec2.authorizeSecurityGroupIngress(a -> a.groupId(legacy)
			.ipPermissions(IpPermission.builder()
				.ipProtocol("tcp")
				.fromPort(22)
				.toPort(22)
				.ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
				.build()));
		var before = ec2.describeSecurityGroupRules(r -> r.filters(f -> f.name("group-id").values(legacy)))
			.securityGroupRules();

		Plan plan = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		assertThat(plan.foreign()).anyMatch(f -> f.id().equals(legacy));
		assertThat(applies.apply(plan.id(), "test").status()).isEqualTo("succeeded");

		assertThat(ec2.describeSecurityGroupRules(r -> r.filters(f -> f.name("group-id").values(legacy)))
			.securityGroupRules()).containsExactlyInAnyOrderElementsOf(before);
	}

	@Test
	void driftMadeOutOfBandIsShownAndRepaired() {
		applies.apply(plans.plan(PolicyDocument.document(request(POLICY)), "test").id(), "test");
		String web = ec2.describeSecurityGroups(d -> d.filters(f -> f.name("group-name").values("shop-web")))
			.securityGroups()
			.get(0)
			.groupId();
		ec2.authorizeSecurityGroupIngress(a -> a.groupId(web)
			.ipPermissions(IpPermission.builder()
				.ipProtocol("tcp")
				.fromPort(22)
				.toPort(22)
				.ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build())
				.build()));

		Plan repair = plans.plan(PolicyDocument.document(request(POLICY)), "test");

		assertThat(repair.changes()).singleElement().satisfies(c -> {
			assertThat(c.action()).isEqualTo("delete");
			assertThat(c.resource()).contains("tcp 22 from 0.0.0.0/0");
		});
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request(POLICY)), "test").changes()).isEmpty();
	}

	@Test
	void aPlanIsRefusedWhenTheLiveStateChangedSinceItWasMade() {
		Plan plan = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		ec2.createSecurityGroup(g -> g.vpcId(vpcId).groupName("shop-app").description("made by hand"));

		assertThatThrownBy(() -> applies.apply(plan.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.STALE));
	}

	@Test
	void aQuotaBreachIsAnErrorFindingAndNothingIsCalled() {
		StringBuilder many = new StringBuilder();
		for (int i = 0; i < 70; i++) {
			many.append("{cidr: 192.0.2.").append(2 * i).append("/32}, ");
		}
		String policy = POLICY + """
				    - {name: too-many, action: allow, direction: ingress, appliesTo: [app], peers: [%s],
				       services: [{protocol: tcp, ports: ["9000"]}]}
				""".formatted(many.substring(0, many.length() - 2));
		Plan plan = plans.plan(PolicyDocument.document(request(policy)), "test");
		assertThat(plan.findings()).anyMatch(f -> f.code().equals("AWS_SG_RULE_QUOTA"));
		int calls = proxy.forwarded();

		assertThatThrownBy(() -> applies.apply(plan.id(), "test")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.HAS_ERRORS));
		assertThat(proxy.forwarded()).as("calls to EC2 after the refusal").isEqualTo(calls);
	}

	@Test
	void throttlingDuringAnApplyIsRetriedWithBackoff() {
		Plan plan = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		proxy.failNext(2, MotoProxy.Fault.THROTTLE);

		ApplyRecord record = applies.apply(plan.id(), "test");

		assertThat(record.status()).isEqualTo("succeeded");
		assertThat(proxy.faultsSent()).isEqualTo(2);
		assertThat(plans.plan(PolicyDocument.document(request(POLICY)), "test").changes()).isEmpty();
	}

	@Test
	void aFailureMidwayIsRecordedAndAFreshPlanAndApplyRepairIt() {
		Plan plan = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		int operations = plan.aws().plan().operations().size();
		armAt.set(operations / 2);

		ApplyRecord failed = applies.apply(plan.id(), "test");

		assertThat(failed.status()).isEqualTo("failed");
		assertThat(failed.steps().get(failed.steps().size() - 1).error()).isNotBlank();
		armAt.set(-1);
		proxy.failNext(0, MotoProxy.Fault.SERVER_ERROR);
		Plan repair = plans.plan(PolicyDocument.document(request(POLICY)), "test");
		assertThat(repair.hasErrors()).isFalse();
		assertThat(applies.apply(repair.id(), "test").status()).isEqualTo("succeeded");
		assertThat(plans.plan(PolicyDocument.document(request(POLICY)), "test").changes()).isEmpty();
	}

	/**
	 * After every single operation of an apply that changes the policy (a rule gone, a
	 * deny put first, the ACLs changed), the live rules read back from the API still
	 * allow every representative flow that both the old and the new translation allow,
	 * replies included, and still deny every one that both deny.
	 */
	@Test
	void everyApplyStepKeepsTheFlowsBothVersionsAllowAndDeny() {
		applies.apply(plans.plan(PolicyDocument.document(request(POLICY)), "test").id(), "test");
		String changed = POLICY
			.replace("    - {name: block-scanners,",
					"    - {name: no-8080-from-half-of-web, action: deny, direction: ingress, appliesTo: [app],\n"
							+ "       peers: [{cidr: 10.0.1.0/25}], services: [{protocol: tcp, ports: [\"8080\"]}]}\n"
							+ "    - {name: block-scanners,")
			.replace("peers: [{group: app}, {addressSet: partners}]", "peers: [{group: app}]");
		assertThat(changed).isNotEqualTo(POLICY).contains("no-8080-from-half-of-web");
		Plan plan = plans.plan(PolicyDocument.document(request(changed)), "test");
		assertThat(plan.aws().plan().operations()).hasSizeGreaterThan(1);

		applyStepByStep(request(POLICY), request(changed), plan);
	}

	/**
	 * Narrowing a blocked range changes the ACL entry that carries it in place: one
	 * ReplaceNetworkAclEntry per ACL, shown as an update, with no entry deleted and
	 * created, and safe both ways at every step against the API.
	 */
	@Test
	void aNarrowedDenyIsReplacedInPlaceSafelyBothWays() {
		applies.apply(plans.plan(PolicyDocument.document(request(POLICY)), "test").id(), "test");
		String changed = POLICY.replace("peers: [{cidr: 203.0.113.0/24}]", "peers: [{cidr: 203.0.113.0/25}]");
		Plan plan = plans.plan(PolicyDocument.document(request(changed)), "test");
		assertThat(plan.hasErrors()).isFalse();
		List<AwsChange> operations = plan.aws().plan().operations();

		assertThat(operations).filteredOn(c -> c instanceof AwsChange.ReplaceNetworkAclEntry)
			.isNotEmpty()
			.allSatisfy(c -> {
				AwsChange.ReplaceNetworkAclEntry replace = (AwsChange.ReplaceNetworkAclEntry) c;
				assertThat(replace.before().cidrBlock()).isEqualTo("203.0.113.0/24");
				assertThat(replace.after().cidrBlock()).isEqualTo("203.0.113.0/25");
			});
		assertThat(operations).noneMatch(
				c -> c instanceof AwsChange.CreateNetworkAclEntry || c instanceof AwsChange.DeleteNetworkAclEntry);
		assertThat(plan.changes()).filteredOn(r -> r.resourceType().equals("network-acl-entry"))
			.allSatisfy(r -> assertThat(r.action()).isEqualTo("update"));

		applyStepByStep(request(POLICY), request(changed), plan);
	}

	/**
	 * Runs a plan's operations one at a time through the adapter, reading the VPC back
	 * after each and judging representative flows of both versions; then the next plan
	 * must be empty.
	 */
	private void applyStepByStep(PolicyRequest before, PolicyRequest after, Plan plan) {
		assertThat(plan.hasErrors()).isFalse();
		AwsOutput old = new AwsTranslator().translate(before.policy(), before.bindings()).output();
		AwsOutput next = plan.aws().desired();
		AwsEvaluator oldRules = new AwsEvaluator(before.policy(), before.bindings(), old);
		AwsEvaluator newRules = new AwsEvaluator(after.policy(), after.bindings(), next);
		Map<String, List<IPAddress>> cidrs = new LinkedHashMap<>();
		after.bindings().aws().groups().forEach((g, b) -> cidrs.put(g, b.cidrs()));
		Set<Flow> flows = new LinkedHashSet<>(RepresentativeFlows.of(before.policy(), cidrs, 500));
		flows.addAll(RepresentativeFlows.of(after.policy(), cidrs, 500));
		List<Flow> kept = flows.stream()
			.filter(f -> oldRules.evaluate(f).allowedWithReplies() && newRules.evaluate(f).allowedWithReplies())
			.toList();
		List<Flow> closed = flows.stream()
			.filter(f -> !oldRules.evaluate(f).allowed() && !newRules.evaluate(f).allowed())
			.toList();
		assertThat(kept).isNotEmpty();
		assertThat(closed).isNotEmpty();

		Ec2AwsEnvironment env = new Ec2AwsEnvironment(region -> settings(endpoint()));
		AwsLiveState seen = env.read(region(), vpcId);
		AwsEnvironment.ChangeRunner runner = env.runner(region(), vpcId, after.policy().name(), seen);
		List<AwsChange> operations = plan.aws().plan().operations();
		for (int step = 0; step < operations.size(); step++) {
			runner.run(operations.get(step));
			AwsOutput live = AwsLiveView.of(after.policy(), after.bindings().aws(), env.read(region(), vpcId));
			AwsEvaluator now = new AwsEvaluator(after.policy(), after.bindings(), live);
			for (Flow flow : kept) {
				CloudVerdict verdict = now.evaluate(flow);
				assertThat(verdict.allowedWithReplies())
					.as("after step %d of %d (%s): %s: %s", step + 1, operations.size(), operations.get(step), flow,
							verdict.explanation())
					.isTrue();
			}
			for (Flow flow : closed) {
				CloudVerdict verdict = now.evaluate(flow);
				assertThat(verdict.allowed())
					.as("after step %d of %d (%s): %s is denied before and after: %s", step + 1, operations.size(),
							operations.get(step), flow, verdict.explanation())
					.isFalse();
			}
		}
		env.close();
		assertThat(plans.plan(PolicyDocument.document(after), "test").changes()).isEmpty();
	}

	private PolicyRequest request(String policy) {
		String bindings = """
				aws:
				  region: %s
				  vpcId: %s
				  groups:
				    web: {subnetIds: [%s], cidrs: [10.0.1.0/24]}
				    app: {subnetIds: [%s], cidrs: [10.0.2.0/24]}
				    db: {subnetIds: [%s], cidrs: [10.0.3.0/24]}
				""".formatted(region(), vpcId, subnets.get(0), subnets.get(1), subnets.get(2));
		return new DocumentParser().parseRequest("policy:\n" + indent(policy) + "bindings:\n" + indent(bindings), true);
	}

	private static String indent(String yaml) {
		return yaml.lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
	}

}
