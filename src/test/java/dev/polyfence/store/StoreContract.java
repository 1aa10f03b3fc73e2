package dev.polyfence.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.AuditEvent;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlannedTarget;
import dev.polyfence.app.RequestDocument;
import dev.polyfence.app.TargetLocks;
import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.FlowChange;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.policy.Cloud;
import dev.polyfence.translate.Finding;
import dev.polyfence.translate.Severity;
import dev.polyfence.translate.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every database behind the store must do, run against H2 and against a real
 * PostgreSQL: plans come back as they were saved, a plan's status changes atomically,
 * apply steps are kept in order as they finish, the audit trail keeps who did what, and
 * target locks are exclusive, all or nothing, released, and taken over only after their
 * lease expired.
 */
abstract class StoreContract {

	private static final Instant T0 = Instant.parse("2026-11-23T12:00:00.123Z");

	private final JsonMapper json = JsonMapper.builder().build();

	private final MovableClock clock = new MovableClock(T0);

	private DataSource database;

	private JdbcPlanStore plans;

	private JdbcAuditTrail audit;

	private JdbcTargetLocks locks;

	/** A new, empty, migrated database. */
	abstract DataSource database();

	@BeforeEach
	void setUp() {
		database = database();
		plans = new JdbcPlanStore(database, json);
		audit = new JdbcAuditTrail(database);
		locks = new JdbcTargetLocks(database, clock, Duration.ofSeconds(30));
	}

	@AfterEach
	void tearDown() {
		locks.close();
	}

	@Test
	void aPlanComesBackAsItWasSavedWithItsRequestAndTargets() {
		Plan plan = plan("p1");
		plans.save(plan);

		Plan found = plans.find("p1").orElseThrow();

		assertThat(json.writeValueAsString(found)).isEqualTo(json.writeValueAsString(plan));
		assertThat(found.request()).isEqualTo(plan.request());
		assertThat(found.planned()).isEqualTo(plan.planned());
		assertThat(found.createdAt()).isEqualTo(T0);
		assertThat(found.aws()).as("the planner's details stay with the instance that planned").isNull();
		assertThat(plans.find("nope")).isEmpty();
	}

	@Test
	void aLargePlanFits() {
		String big = "x".repeat(3_000_000);
		Plan plan = plan("big");
		plans.save(new Plan(plan.id(), plan.status(), plan.policy(), plan.targets(), plan.createdAt(), plan.expiresAt(),
				plan.createdBy(), plan.summary(), plan.changes(), plan.flows(), plan.foreign(),
				List.of(new Finding(Severity.INFO, "NOTE", Target.AWS, null, big)), new RequestDocument(big, true),
				plan.planned(), null, null, null));

		Plan found = plans.find("big").orElseThrow();

		assertThat(found.request().text()).hasSize(big.length());
		assertThat(found.findings().get(0).message()).hasSize(big.length());
	}

	@Test
	void onlyOneOfTwoRacingTransitionsWins() throws Exception {
		plans.save(plan("p1"));
		ExecutorService pool = Executors.newFixedThreadPool(2);
		try {
			Callable<Boolean> start = () -> plans.transition("p1", Plan.PLANNED, Plan.APPLYING);
			List<Future<Boolean>> results = pool.invokeAll(List.of(start, start));
			assertThat(List.of(results.get(0).get(), results.get(1).get())).containsExactlyInAnyOrder(true, false);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(plans.find("p1").orElseThrow().status()).isEqualTo(Plan.APPLYING);
		assertThat(plans.transition("p1", Plan.APPLYING, Plan.APPLIED)).isTrue();
		assertThat(plans.transition("p1", Plan.APPLYING, Plan.FAILED)).isFalse();
	}

	@Test
	void anApplyKeepsItsStepsInOrderAsTheyFinish() {
		plans.save(plan("p1"));
		plans.startApply(new ApplyRecord("a1", "p1", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()),
				"host-1");
		plans.recordStep("a1", step("aws", 0, null));
		plans.recordStep("a1", step("aws", 1, null));

		ApplyRecord running = plans.findApply("a1").orElseThrow();
		assertThat(running.status()).isEqualTo(ApplyRecord.RUNNING);
		assertThat(running.finishedAt()).isNull();
		assertThat(running.steps()).extracting(ApplyRecord.Step::step).containsExactly(0, 1);

		plans.recordStep("a1", step("gcp", 0, null));
		plans.recordStep("a1", step("azure", 0, "AuthorizationFailed: no"));
		plans.finishApply("a1", ApplyRecord.FAILED, T0.plusSeconds(5), null);
		plans.startApply(
				new ApplyRecord("a2", "p1", ApplyRecord.RUNNING, "token:ci", T0.plusSeconds(9), null, null, List.of()),
				"host-2");

		ApplyRecord done = plans.findApply("a1").orElseThrow();
		assertThat(done.status()).isEqualTo(ApplyRecord.FAILED);
		assertThat(done.finishedAt()).isEqualTo(T0.plusSeconds(5));
		assertThat(done.appliedBy()).isEqualTo("token:ci");
		assertThat(done.steps()).extracting(s -> s.cloud() + s.step())
			.containsExactly("aws0", "aws1", "azure0", "gcp0");
		assertThat(done.steps().get(2).error()).isEqualTo("AuthorizationFailed: no");
		assertThat(done.steps().get(0).created()).isEqualTo("sg-0");
		assertThat(plans.appliesOf("p1")).extracting(ApplyRecord::id).containsExactly("a1", "a2");
		assertThat(plans.appliesOf("nope")).isEmpty();
	}

	@Test
	void plansLongExpiredGoWithTheirAppliesButNotOneStillBeingApplied() {
		Instant later = T0.plus(Duration.ofDays(1)).plus(Duration.ofHours(2));
		plans.save(plan("old"));
		plans.save(plan("applying"));
		plans.transition("applying", Plan.PLANNED, Plan.APPLYING);
		plans.startApply(new ApplyRecord("a2", "applying", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()),
				"h");
		JdbcTargetLocks live = new JdbcTargetLocks(database, Clock.fixed(later, ZoneId.of("UTC")),
				Duration.ofMinutes(1));
		TargetLocks.Lease running = live.tryAcquire(keys("aws:r:vpc-1"), "a2").orElseThrow();
		plans.save(plan("also-old"));
		plans.transition("also-old", Plan.PLANNED, Plan.APPLYING);
		plans.startApply(new ApplyRecord("a3", "also-old", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()),
				"died");
		plans.startApply(new ApplyRecord("a1", "old", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()), "h");
		plans.recordStep("a1", step("aws", 0, null));
		audit.record(new AuditEvent(T0, "token:ci", AuditEvent.PLAN, "old", "shop", Plan.PLANNED, null));

		try {
			assertThat(
					new dev.polyfence.app.PlanRetention(plans, Clock.fixed(later, ZoneId.of("UTC")), Duration.ofDays(1))
						.purge())
				.as("old and also-old, whose apply died")
				.isEqualTo(2);
		}
		finally {
			running.close();
			live.close();
		}
		plans.save(plan("later"));

		assertThat(plans.find("old")).isEmpty();
		assertThat(plans.find("also-old")).isEmpty();
		assertThat(plans.findApply("a1")).isEmpty();
		assertThat(plans.find("applying")).isPresent();
		assertThat(plans.find("later")).isPresent();
		assertThat(audit.latest(5)).hasSize(1);
	}

	@Test
	void anApplyWhoseReplicaDiedIsMarkedInterruptedWithItsPlan() {
		plans.save(plan("p1"));
		plans.transition("p1", Plan.PLANNED, Plan.APPLYING);
		plans.startApply(new ApplyRecord("a1", "p1", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()), "h");
		plans.recordStep("a1", step("aws", 0, null));

		ApplyRecord abandoned = plans.abandonApply("a1", T0.plusSeconds(90), "its replica died").orElseThrow();

		assertThat(abandoned.status()).isEqualTo(ApplyRecord.INTERRUPTED);
		assertThat(abandoned.stopReason()).isEqualTo("its replica died");
		assertThat(abandoned.finishedAt()).isEqualTo(T0.plusSeconds(90));
		assertThat(abandoned.steps()).hasSize(1);
		assertThat(plans.find("p1").orElseThrow().status()).isEqualTo(Plan.INTERRUPTED);
		assertThat(plans.abandonApply("a1", T0.plusSeconds(99), "again")).as("only a running apply").isEmpty();
		plans.startApply(new ApplyRecord("a2", "p1", ApplyRecord.RUNNING, "token:ci", T0, null, null, List.of()), "h");
		plans.finishApply("a2", ApplyRecord.SUCCEEDED, T0.plusSeconds(5), null);
		assertThat(plans.abandonApply("a2", T0.plusSeconds(99), "late")).isEmpty();
		assertThat(plans.findApply("a2").orElseThrow().status()).isEqualTo(ApplyRecord.SUCCEEDED);
	}

	@Test
	void theAuditTrailKeepsWhoDidWhatNewestFirst() {
		audit.record(new AuditEvent(T0, "token:ci", AuditEvent.PLAN, "p1", "shop", Plan.PLANNED, "3 changes"));
		audit.record(new AuditEvent(T0.plusSeconds(1), "jwt:https://gitlab.com:project_path:org/repo", AuditEvent.APPLY,
				"p1", "shop", "refused:stale", "y".repeat(5000)));

		List<AuditEvent> latest = audit.latest(10);

		assertThat(latest).extracting(AuditEvent::action).containsExactly(AuditEvent.APPLY, AuditEvent.PLAN);
		assertThat(latest.get(1))
			.isEqualTo(new AuditEvent(T0, "token:ci", AuditEvent.PLAN, "p1", "shop", Plan.PLANNED, "3 changes"));
		assertThat(latest.get(0).detail()).hasSize(JdbcAuditTrail.DETAIL_LENGTH).endsWith("…");
		assertThat(audit.latest(1)).hasSize(1);
	}

	@Test
	void locksAreExclusiveAllOrNothingAndReleased() {
		Optional<TargetLocks.Lease> first = locks.tryAcquire(keys("aws:r:vpc-1", "gcp:p:n"), "a1");
		assertThat(first).isPresent();

		assertThat(locks.tryAcquire(keys("aws:r:vpc-1"), "a2")).isEmpty();
		assertThat(locks.tryAcquire(keys("azure:s:rg", "gcp:p:n"), "a2")).as("all or nothing").isEmpty();
		Optional<TargetLocks.Lease> azure = locks.tryAcquire(keys("azure:s:rg"), "a3");
		assertThat(azure).as("the failed attempt released what it had taken").isPresent();

		first.get().close();
		azure.get().close();
		Optional<TargetLocks.Lease> again = locks.tryAcquire(keys("aws:r:vpc-1", "azure:s:rg", "gcp:p:n"), "a4");
		assertThat(again).isPresent();
		assertThat(again.get().held()).isTrue();
		again.get().close();
	}

	@Test
	void aLapsedLeaseIsTakenOverAndItsHolderLearnsItLostTheLock() throws InterruptedException {
		// The holder stalls: its renewals see a clock that does not move, so its lease
		// lapses for the others.
		JdbcTargetLocks shortLeases = new JdbcTargetLocks(database, Clock.fixed(T0, ZoneId.of("UTC")),
				Duration.ofMillis(600));
		try {
			TargetLocks.Lease dead = shortLeases.tryAcquire(keys("aws:r:vpc-1"), "a1").orElseThrow();
			clock.advance(Duration.ofSeconds(1));
			Optional<TargetLocks.Lease> taker = locks.tryAcquire(keys("aws:r:vpc-1"), "a2");
			assertThat(taker).isPresent();
			assertThat(taker.get().previousHolders()).containsExactly("a1");

			Instant deadline = Instant.now().plusSeconds(10);
			while (dead.held() && Instant.now().isBefore(deadline)) {
				Thread.sleep(50);
			}
			assertThat(dead.held()).as("the renewal noticed the takeover").isFalse();
			dead.close();
			assertThat(locks.tryAcquire(keys("aws:r:vpc-1"), "a3")).as("closing the lost lease freed nothing")
				.isEmpty();
			taker.get().close();
		}
		finally {
			shortLeases.close();
		}
	}

	@Test
	void aHeldLeaseIsRenewedAndNotTakenOver() throws InterruptedException {
		JdbcTargetLocks shortLeases = new JdbcTargetLocks(database, Clock.systemUTC(), Duration.ofMillis(600));
		JdbcTargetLocks others = new JdbcTargetLocks(database, Clock.systemUTC(), Duration.ofMillis(600));
		try (TargetLocks.Lease lease = shortLeases.tryAcquire(keys("aws:r:vpc-1"), "a1").orElseThrow()) {
			Thread.sleep(1500);
			assertThat(others.tryAcquire(keys("aws:r:vpc-1"), "a2")).as("renewed past its first expiry").isEmpty();
			assertThat(lease.held()).isTrue();
		}
		finally {
			shortLeases.close();
			others.close();
		}
	}

	@Test
	void aHolderThatCannotRenewCountsItsLeaseLostBeforeOthersMayTakeIt() throws InterruptedException {
		Unreachable unreachable = new Unreachable(database);
		JdbcTargetLocks cut = new JdbcTargetLocks(unreachable, Clock.systemUTC(), Duration.ofMillis(900));
		try {
			TargetLocks.Lease lease = cut.tryAcquire(keys("aws:r:vpc-1"), "a1").orElseThrow();
			unreachable.down = true;
			Instant deadline = Instant.now().plusSeconds(10);
			while (lease.held() && Instant.now().isBefore(deadline)) {
				Thread.sleep(20);
			}
			Instant lost = Instant.now();
			assertThat(lease.held()).isFalse();
			// The row still says it is held until its expiry, which comes after the
			// holder gave up.
			Instant expires = JdbcClient.create(database)
				.sql("SELECT expires_at FROM target_locks WHERE lock_key = 'aws:r:vpc-1'")
				.query((rs, n) -> Timestamps.read(rs, "expires_at"))
				.single();
			assertThat(lost).isBefore(expires);
		}
		finally {
			cut.close();
		}
	}

	/**
	 * The database, until {@code down}: then every new connection fails, as when the
	 * network is cut.
	 */
	static final class Unreachable extends DelegatingDataSource {

		volatile boolean down;

		Unreachable(DataSource database) {
			super(database);
		}

		@Override
		public Connection getConnection() throws SQLException {
			if (down) {
				throw new SQLException("connection refused (test)", "08001");
			}
			return super.getConnection();
		}

	}

	private static TreeSet<String> keys(String... keys) {
		return new TreeSet<>(List.of(keys));
	}

	private static ApplyRecord.Step step(String cloud, int i, String error) {
		return new ApplyRecord.Step(i, cloud, "step " + i + " on " + cloud, error == null ? "succeeded" : "failed",
				T0.plusMillis(i), T0.plusMillis(i + 1), error == null ? "sg-" + i : null, error);
	}

	private static Plan plan(String id) {
		List<ChangeRow> rows = new ArrayList<>();
		rows.add(new ChangeRow(0, "aws", ChangeRow.CREATE, "security-group", "shop-web", "web", null,
				Map.of("GroupName", "shop-web", "Tags", List.of(Map.of("Key", "polyfence:policy", "Value", "shop")))));
		rows.add(new ChangeRow(1, "gcp", ChangeRow.DELETE, "firewall", "shop-old", null, Map.of("priority", 1000),
				null));
		return new Plan(id, Plan.PLANNED, "shop", List.of("aws", "gcp"), T0, T0.plus(Duration.ofHours(1)), "token:ci",
				Plan.Summary.of(rows), rows,
				List.of(new FlowChange("aws", "allowed", "outside@0.0.0.0", "web@10.0.1.0", "tcp/443", "https")),
				List.of(new ForeignResource("aws", "security-group", "sg-1", "legacy", "not tagged")),
				List.of(new Finding(Severity.WARNING, "RISKY_RULE", Target.POLICY, "ssh", "SSH open to any")),
				new RequestDocument("policy: {}\nü: ünïcödé\n", true),
				List.of(new PlannedTarget(Cloud.AWS, "eu-west-1", "vpc-1", "f".repeat(64), "d".repeat(64)),
						new PlannedTarget(Cloud.GCP, "proj", "net", "e".repeat(64), "c".repeat(64))),
				null, null, null);
	}

	/** A clock the test moves by hand. */
	static final class MovableClock extends Clock {

		private volatile Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration by) {
			now = now.plus(by);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneId.of("UTC");
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
