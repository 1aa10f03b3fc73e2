package dev.polyfence.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.polyfence.plan.aws.AwsChange;
import dev.polyfence.plan.aws.AwsLiveState;
import dev.polyfence.plan.aws.SimulatedVpc;
import dev.polyfence.policy.DocumentParser;
import dev.polyfence.policy.PolicyRequest;
import dev.polyfence.testing.db.Stores;
import dev.polyfence.verify.PolicyDocument;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The plan and apply use cases over a VPC simulated in memory (the EC2 adapter is tested
 * against moto).
 */
class ApplyServiceTest {

	private final DocumentParser parser = new DocumentParser();

	private SimulatedVpc vpc;

	private FakeAws aws;

	private MutableClock clock;

	private PlanStore store;

	private TargetLocks locks;

	private PlanService plans;

	private ApplyService applies;

	private RequestDocument request;

	private PolicyRequest parsed;

	private Stores stores;

	@BeforeEach
	void setUp() {
		request = ThreeTierRequest.aws();
		parsed = parser.parseRequest(request.text(), true);
		vpc = new SimulatedVpc("vpc-05a4b3c2",
				List.of("subnet-05a4b301", "subnet-05a4b311", "subnet-05a4b302", "subnet-05a4b303"));
		aws = new FakeAws();
		clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
		stores = Stores.h2(clock);
		store = stores.plans();
		locks = stores.locks();
		plans = new PlanService(parser, new TranslationService(), Clouds.aws(aws), store, stores.audit(), clock,
				Duration.ofHours(1));
		applies = new ApplyService(parser, new TranslationService(), Clouds.aws(aws), store, locks, stores.audit(),
				clock, "test");
	}

	@AfterEach
	void closeLocks() {
		stores.locks().close();
	}

	@Test
	void appliesEveryStepInOrderAndAFreshPlanIsThenEmpty() {
		Plan plan = plans.plan(request, "alice");
		assertThat(plan.hasErrors()).isFalse();
		assertThat(plan.changes()).isNotEmpty();
		assertThat(plan.flows()).as("nothing is managed yet: the policy's allows are new").anySatisfy(f -> {
			assertThat(f.change()).isEqualTo("allowed");
			assertThat(f.destination()).startsWith("db@");
			assertThat(f.service()).isEqualTo("tcp/5432");
			assertThat(f.rule()).isEqualTo("db-from-partners");
		}).noneMatch(f -> f.change().equals("blocked"));

		ApplyRecord record = applies.apply(plan.id(), "bob");

		assertThat(record.status()).isEqualTo("succeeded");
		assertThat(record.steps()).hasSize(plan.aws().plan().operations().size())
			.allMatch(s -> s.status().equals("succeeded"));
		assertThat(store.find(plan.id()).orElseThrow().status()).isEqualTo(Plan.APPLIED);
		assertThat(plans.plan(request, "alice").changes()).isEmpty();
		assertThatThrownBy(() -> applies.apply(plan.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.ALREADY_APPLIED));
	}

	@Test
	void aPlanSaysWhichFlowsItBlocksWhenARuleGoes() {
		applies.apply(plans.plan(request, "alice").id(), "bob");
		RequestDocument without = PolicyDocument.document(withoutRule(parsed.policy(), "db-from-partners"),
				parsed.bindings(), parsed.targets());

		Plan plan = plans.plan(without, "alice");

		assertThat(plan.flows()).isNotEmpty().allSatisfy(f -> {
			assertThat(f.change()).isEqualTo("blocked");
			assertThat(f.destination()).startsWith("db@");
		});
		assertThat(plan.flows()).anyMatch(f -> f.source().startsWith("outside@198.51.100.0"));
		if (Boolean.getBoolean("print.markdown")) {
			System.out
				.println(dev.polyfence.plan.MarkdownReport.render(new dev.polyfence.plan.MarkdownReport.Input(plan.id(),
						plan.policy(), plan.status(), plan.createdAt(), plan.expiresAt(), plan.changes(), plan.flows(),
						plan.foreign(), plan.findings())));
		}
	}

	private static dev.polyfence.policy.Policy withoutRule(dev.polyfence.policy.Policy p, String name) {
		return new dev.polyfence.policy.Policy(p.name(), p.description(), p.defaults(), p.addressSets(), p.groups(),
				p.rules().stream().filter(r -> !r.name().equals(name)).toList());
	}

	@Test
	void plansAndAppliesAwsAndAzureTogetherAndBothThenMatch() throws IOException {
		FakeAzure azure = new FakeAzure();
		Clouds clouds = new Clouds(aws, azure, null);
		PlanService both = new PlanService(parser, new TranslationService(), clouds, store, stores.audit(), clock,
				Duration.ofHours(1));
		ApplyService applyBoth = new ApplyService(parser, new TranslationService(), clouds, store, locks,
				stores.audit(), clock, "test");
		RequestDocument twoClouds = PolicyDocument.document(parsed.policy(), parsed.bindings(),
				java.util.EnumSet.of(dev.polyfence.policy.Cloud.AWS, dev.polyfence.policy.Cloud.AZURE));

		Plan plan = both.plan(twoClouds, "alice");
		assertThat(plan.hasErrors()).as("%s", plan.findings()).isFalse();
		assertThat(plan.changes()).anyMatch(c -> c.cloud().equals("azure")).anyMatch(c -> c.cloud().equals("aws"));

		ApplyRecord record = applyBoth.apply(plan.id(), "bob");

		assertThat(record.status()).isEqualTo("succeeded");
		assertThat(record.steps()).anyMatch(s -> s.cloud().equals("azure")).anyMatch(s -> s.cloud().equals("aws"));
		assertThat(azure.nsgs).containsKeys("shop-web", "shop-app", "shop-db");
		assertThat(both.plan(twoClouds, "alice").changes()).isEmpty();
	}

	/** An Azure resource group in memory: a PUT replaces the NSG whole, as ARM does. */
	private static final class FakeAzure implements AzureEnvironment {

		final Map<String, dev.polyfence.plan.azure.AzureLiveState.LiveNsg> nsgs = new java.util.TreeMap<>();

		@Override
		public dev.polyfence.plan.azure.AzureLiveState read(String subscriptionId, String resourceGroup) {
			return new dev.polyfence.plan.azure.AzureLiveState(subscriptionId, resourceGroup,
					List.copyOf(nsgs.values()));
		}

		@Override
		public ChangeRunner runner(String subscriptionId, String resourceGroup) {
			return change -> {
				var put = (dev.polyfence.plan.azure.AzureChange.PutNetworkSecurityGroup) change;
				String id = "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
						+ "/providers/Microsoft.Network/networkSecurityGroups/" + put.name();
				nsgs.put(put.name(), new dev.polyfence.plan.azure.AzureLiveState.LiveNsg(id, put.name(), put.location(),
						put.tags(), put.rules()));
				return id;
			};
		}

	}

	@Test
	void refusesAPlanWhoseLiveStateChanged() {
		Plan plan = plans.plan(request, "alice");
		vpc.apply(new AwsChange.CreateSecurityGroup("web", "shop-web", "made by hand", Map.of()));

		assertThatThrownBy(() -> applies.apply(plan.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.STALE));
		assertThat(aws.calls.get()).isZero();
	}

	@Test
	void refusesWhileAnotherApplyHoldsTheTarget() {
		Plan plan = plans.plan(request, "alice");
		var held = locks.tryAcquire(new java.util.TreeSet<>(List.of(plan.planned().get(0).lockKey())), "other");
		assertThat(held).isPresent();

		assertThatThrownBy(() -> applies.apply(plan.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.TARGET_LOCKED));
	}

	@Test
	void refusesAnExpiredPlanAndAnUnknownOne() {
		Plan plan = plans.plan(request, "alice");
		clock.now = clock.now.plus(Duration.ofHours(2));

		assertThatThrownBy(() -> applies.apply(plan.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.EXPIRED));
		assertThatThrownBy(() -> applies.apply("nope", "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.NOT_FOUND));
	}

	@Test
	void refusesAPlanWithErrorFindingsBeforeAnyCall() {
		vpc.apply(new AwsChange.CreateSecurityGroup("x", "shop-db", "someone else's", Map.of()));
		Plan plan = plans.plan(request, "alice");
		assertThat(plan.hasErrors()).isTrue();

		assertThatThrownBy(() -> applies.apply(plan.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.HAS_ERRORS));
		assertThat(aws.calls.get()).isZero();
	}

	@Test
	void aFailureMidwayIsRecordedAndAFreshPlanAndApplyRepairIt() {
		Plan plan = plans.plan(request, "alice");
		int total = plan.aws().plan().operations().size();
		aws.failAt = total / 2;

		ApplyRecord failed = applies.apply(plan.id(), "bob");

		assertThat(failed.status()).isEqualTo("failed");
		assertThat(failed.steps()).hasSize(total / 2 + 1);
		assertThat(failed.steps().get(total / 2).error()).contains("injected");
		assertThat(store.find(plan.id()).orElseThrow().status()).isEqualTo(Plan.FAILED);
		aws.failAt = -1;
		Plan repair = plans.plan(request, "alice");
		assertThat(repair.changes()).isNotEmpty().hasSizeLessThan(plan.changes().size());
		assertThat(applies.apply(repair.id(), "bob").status()).isEqualTo("succeeded");
		assertThat(plans.plan(request, "alice").changes()).isEmpty();
	}

	@Test
	void aShutdownStopsARunningApplyBetweenTwoStepsAndRecordsWhere() {
		Plan plan = plans.plan(request, "alice");
		aws.onCall = i -> {
			if (i == 3) {
				applies.shutdown(Duration.ZERO);
			}
		};

		ApplyRecord record = applies.apply(plan.id(), "bob");

		assertThat(record.status()).isEqualTo(ApplyRecord.INTERRUPTED);
		assertThat(record.steps()).hasSize(4).allMatch(s -> s.status().equals("succeeded"));
		assertThat(record.stopReason()).contains("shut down after 4 steps");
		assertThat(record.finishedAt()).isNotNull();
		assertThat(store.find(plan.id()).orElseThrow().status()).isEqualTo(Plan.INTERRUPTED);
		assertThat(stores.audit().latest(1)).singleElement()
			.satisfies(e -> assertThat(e.outcome()).isEqualTo(ApplyRecord.INTERRUPTED));
		assertThat(locks.tryAcquire(new java.util.TreeSet<>(List.of(plan.planned().get(0).lockKey())), "next"))
			.as("the lock was released")
			.isPresent();
		Plan another = plans.plan(request, "alice");
		assertThatThrownBy(() -> applies.apply(another.id(), "bob")).isInstanceOfSatisfying(PlanException.class,
				e -> assertThat(e.kind()).isEqualTo(PlanException.Kind.SHUTTING_DOWN));
	}

	@Test
	void afterAnInterruptedApplyAFreshPlanOnAnotherInstanceFinishesTheJob() {
		Plan plan = plans.plan(request, "alice");
		aws.onCall = i -> {
			if (i == 2) {
				applies.shutdown(Duration.ZERO);
			}
		};
		assertThat(applies.apply(plan.id(), "bob").status()).isEqualTo(ApplyRecord.INTERRUPTED);
		aws.onCall = i -> {
		};
		ApplyService restarted = new ApplyService(parser, new TranslationService(), Clouds.aws(aws), store,
				stores.locks(), stores.audit(), clock, "test-2");

		Plan repair = plans.plan(request, "alice");
		assertThat(repair.changes()).isNotEmpty().hasSizeLessThan(plan.changes().size());
		assertThat(restarted.apply(repair.id(), "bob").status()).isEqualTo(ApplyRecord.SUCCEEDED);
		assertThat(plans.plan(request, "alice").changes()).isEmpty();
	}

	@Test
	void anApplyWhoseReplicaDiedIsMarkedInterruptedWhenAnotherTakesOverItsTarget() {
		Plan dead = plans.plan(request, "alice");
		String key = dead.planned().get(0).lockKey();
		// What a replica that died midway leaves: its plan applying, its apply running,
		// its lock lapsing.
		store.transition(dead.id(), Plan.PLANNED, Plan.APPLYING);
		store.startApply(new ApplyRecord("dead-apply", dead.id(), ApplyRecord.RUNNING, "carol", clock.now, null, null,
				List.of()), "replica-that-died");
		dev.polyfence.store.JdbcTargetLocks deadReplica = new dev.polyfence.store.JdbcTargetLocks(stores.dataSource(),
				Clock.fixed(clock.now.minus(Duration.ofMinutes(5)), ZoneOffset.UTC), Duration.ofMinutes(1));
		try {
			assertThat(deadReplica.tryAcquire(new java.util.TreeSet<>(List.of(key)), "dead-apply")).isPresent();
			Plan next = plans.plan(request, "alice");

			assertThat(applies.apply(next.id(), "bob").status()).isEqualTo(ApplyRecord.SUCCEEDED);

			ApplyRecord abandoned = store.findApply("dead-apply").orElseThrow();
			assertThat(abandoned.status()).isEqualTo(ApplyRecord.INTERRUPTED);
			assertThat(abandoned.stopReason()).contains("stopped renewing its lock");
			assertThat(store.find(dead.id()).orElseThrow().status()).isEqualTo(Plan.INTERRUPTED);
			assertThat(stores.audit().latest(10)).anySatisfy(e -> {
				assertThat(e.actor()).isEqualTo("carol");
				assertThat(e.planId()).isEqualTo(dead.id());
				assertThat(e.outcome()).isEqualTo(ApplyRecord.INTERRUPTED);
			});
		}
		finally {
			deadReplica.close();
		}
	}

	@Test
	void everyPlanAndApplyIsInTheAuditTrailWithWhoDidIt() {
		Plan plan = plans.plan(request, "alice");
		applies.apply(plan.id(), "bob");
		assertThatThrownBy(() -> applies.apply(plan.id(), "mallory")).isInstanceOf(PlanException.class);

		assertThat(stores.audit().latest(10)).extracting(e -> e.actor() + " " + e.action() + " " + e.outcome())
			.containsExactly("mallory apply refused:already-applied", "bob apply succeeded", "alice plan planned");
		assertThat(store.appliesOf(plan.id())).singleElement().satisfies(a -> {
			assertThat(a.appliedBy()).isEqualTo("bob");
			assertThat(a.steps()).hasSize(plan.changes().stream().mapToInt(c -> c.step()).max().orElseThrow() + 1);
		});
		assertThat(store.find(plan.id()).orElseThrow().createdBy()).isEqualTo("alice");
	}

	/** AWS as a simulated VPC, with a failure injected at one call when asked. */
	private final class FakeAws implements AwsEnvironment {

		final AtomicInteger calls = new AtomicInteger();

		int failAt = -1;

		java.util.function.IntConsumer onCall = i -> {
		};

		@Override
		public AwsLiveState read(String region, String vpcId) {
			return vpc.state();
		}

		@Override
		public ChangeRunner runner(String region, String vpcId, String policyName, AwsLiveState seen) {
			seen.securityGroups().forEach(g -> {
				String group = dev.polyfence.plan.ManagedTags.groupOf(g.tags(), policyName);
				if (group != null) {
					vpc.learn(group, g.groupId(), null);
				}
			});
			seen.networkAcls().forEach(a -> {
				String group = dev.polyfence.plan.ManagedTags.groupOf(a.tags(), policyName);
				if (group != null) {
					vpc.learn(group, null, a.networkAclId());
				}
			});
			return change -> {
				onCall.accept(calls.get());
				if (calls.getAndIncrement() == failAt) {
					throw new IllegalStateException("RequestLimitExceeded (injected): retries exhausted");
				}
				vpc.apply(change);
				return null;
			};
		}

	}

	private static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
