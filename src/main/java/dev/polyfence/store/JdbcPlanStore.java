package dev.polyfence.store;

import dev.polyfence.app.ApplyRecord;
import dev.polyfence.app.Plan;
import dev.polyfence.app.PlanStore;
import dev.polyfence.app.PlannedTarget;
import dev.polyfence.app.RequestDocument;
import dev.polyfence.plan.ChangeRow;
import dev.polyfence.plan.FlowChange;
import dev.polyfence.plan.ForeignResource;
import dev.polyfence.policy.Cloud;
import dev.polyfence.translate.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plans and applies in the database. A plan's scalar fields are columns; what callers see
 * of its changes, flows, foreign resources and findings is one JSON document, written
 * with the same mapper that writes the HTTP answers so a plan read back renders as it did
 * when it was made.
 */
public class JdbcPlanStore implements PlanStore {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final JsonMapper json;

	public JdbcPlanStore(DataSource dataSource, JsonMapper json) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.json = json;
	}

	/** What callers see of a plan besides its columns. */
	record View(List<String> targets, Plan.Summary summary, List<ChangeRow> changes, List<FlowChange> flows,
			List<ForeignResource> foreign, List<Finding> findings) {
	}

	@Override
	public void save(Plan plan) {
		String view = json.writeValueAsString(new View(plan.targets(), plan.summary(), plan.changes(), plan.flows(),
				plan.foreign(), plan.findings()));
		transactions.executeWithoutResult(status -> {
			jdbc.sql("""
					INSERT INTO plans (id, policy, status, created_at, expires_at, created_by, request_yaml,
					                   request_text, view_json)
					VALUES (:id, :policy, :status, :createdAt, :expiresAt, :createdBy, :yaml, :text, :view)""")
				.param("id", plan.id())
				.param("policy", plan.policy())
				.param("status", plan.status())
				.param("createdAt", Timestamps.of(plan.createdAt()))
				.param("expiresAt", Timestamps.of(plan.expiresAt()))
				.param("createdBy", plan.createdBy())
				.param("yaml", plan.request().yaml())
				.param("text", plan.request().text())
				.param("view", view)
				.update();
			for (PlannedTarget target : plan.planned()) {
				jdbc.sql("""
						INSERT INTO plan_targets (plan_id, cloud, account, scope, fingerprint, operations_digest)
						VALUES (:planId, :cloud, :account, :scope, :fingerprint, :digest)""")
					.param("planId", plan.id())
					.param("cloud", target.cloud().wire())
					.param("account", target.account())
					.param("scope", target.scope())
					.param("fingerprint", target.fingerprint())
					.param("digest", target.operationsDigest())
					.update();
			}
		});
	}

	@Override
	public Optional<Plan> find(String id) {
		List<PlannedTarget> planned = jdbc.sql("""
				SELECT cloud, account, scope, fingerprint, operations_digest FROM plan_targets
				WHERE plan_id = :id ORDER BY cloud""")
			.param("id", id)
			.query((rs, n) -> new PlannedTarget(Cloud.valueOf(rs.getString("cloud").toUpperCase(Locale.ROOT)),
					rs.getString("account"), rs.getString("scope"), rs.getString("fingerprint"),
					rs.getString("operations_digest")))
			.list();
		return jdbc.sql("SELECT * FROM plans WHERE id = :id").param("id", id).query((rs, n) -> {
			View view = json.readValue(rs.getString("view_json"), View.class);
			return new Plan(rs.getString("id"), rs.getString("status"), rs.getString("policy"), view.targets(),
					Timestamps.read(rs, "created_at"), Timestamps.read(rs, "expires_at"), rs.getString("created_by"),
					view.summary(), view.changes(), view.flows(), view.foreign(), view.findings(),
					new RequestDocument(rs.getString("request_text"), rs.getBoolean("request_yaml")), planned, null,
					null, null);
		}).optional();
	}

	@Override
	public boolean transition(String id, String from, String to) {
		return jdbc.sql("UPDATE plans SET status = :to WHERE id = :id AND status = :from")
			.param("to", to)
			.param("id", id)
			.param("from", from)
			.update() == 1;
	}

	@Override
	public void startApply(ApplyRecord record, String instanceId) {
		jdbc.sql("""
				INSERT INTO applies (id, plan_id, status, applied_by, instance_id, started_at)
				VALUES (:id, :planId, :status, :appliedBy, :instance, :startedAt)""")
			.param("id", record.id())
			.param("planId", record.planId())
			.param("status", record.status())
			.param("appliedBy", record.appliedBy())
			.param("instance", instanceId)
			.param("startedAt", Timestamps.of(record.startedAt()))
			.update();
	}

	@Override
	public void recordStep(String applyId, ApplyRecord.Step step) {
		jdbc.sql("""
				INSERT INTO apply_steps (apply_id, cloud, step, description, status, started_at, finished_at, created,
				                         error)
				VALUES (:applyId, :cloud, :step, :description, :status, :startedAt, :finishedAt, :created, :error)""")
			.param("applyId", applyId)
			.param("cloud", step.cloud())
			.param("step", step.step())
			.param("description", step.description())
			.param("status", step.status())
			.param("startedAt", Timestamps.of(step.startedAt()))
			.param("finishedAt", Timestamps.of(step.finishedAt()))
			.param("created", step.created())
			.param("error", step.error())
			.update();
	}

	@Override
	public void finishApply(String applyId, String status, Instant finishedAt, String stopReason) {
		jdbc.sql("UPDATE applies SET status = :status, finished_at = :finishedAt, stop_reason = :reason WHERE id = :id")
			.param("status", status)
			.param("finishedAt", Timestamps.of(finishedAt))
			.param("reason", stopReason)
			.param("id", applyId)
			.update();
	}

	@Override
	public Optional<ApplyRecord> abandonApply(String applyId, Instant at, String reason) {
		return transactions.execute(status -> {
			int abandoned = jdbc.sql("""
					UPDATE applies SET status = :interrupted, finished_at = :at, stop_reason = :reason
					WHERE id = :id AND status = :running""")
				.param("interrupted", ApplyRecord.INTERRUPTED)
				.param("at", Timestamps.of(at))
				.param("reason", reason)
				.param("id", applyId)
				.param("running", ApplyRecord.RUNNING)
				.update();
			if (abandoned == 0) {
				return Optional.<ApplyRecord>empty();
			}
			jdbc.sql("""
					UPDATE plans SET status = :interrupted
					WHERE status = :applying AND id = (SELECT plan_id FROM applies WHERE id = :id)""")
				.param("interrupted", Plan.INTERRUPTED)
				.param("applying", Plan.APPLYING)
				.param("id", applyId)
				.update();
			return findApply(applyId);
		});
	}

	@Override
	public Optional<ApplyRecord> findApply(String applyId) {
		return applies("SELECT * FROM applies WHERE id = :id", applyId).stream().findFirst();
	}

	@Override
	public List<ApplyRecord> appliesOf(String planId) {
		return applies("SELECT * FROM applies WHERE plan_id = :id ORDER BY started_at, id", planId);
	}

	/**
	 * Applies and their steps go with their plan (ON DELETE CASCADE). An apply runs while
	 * it holds an unexpired lock (its id is the lock's holder); one that died holds none,
	 * so its plan goes too.
	 */
	@Override
	public int purgeExpiredBefore(Instant cutoff, Instant now) {
		return jdbc.sql("""
				DELETE FROM plans WHERE expires_at < :cutoff AND NOT EXISTS (
				  SELECT 1 FROM applies a JOIN target_locks l ON l.holder = a.id
				  WHERE a.plan_id = plans.id AND l.expires_at >= :now)""")
			.param("cutoff", Timestamps.of(cutoff))
			.param("now", Timestamps.of(now))
			.update();
	}

	private List<ApplyRecord> applies(String sql, String id) {
		return jdbc.sql(sql)
			.param("id", id)
			.query((rs, n) -> new ApplyRecord(rs.getString("id"), rs.getString("plan_id"), rs.getString("status"),
					rs.getString("applied_by"), Timestamps.read(rs, "started_at"), Timestamps.read(rs, "finished_at"),
					rs.getString("stop_reason"), List.of()))
			.list()
			.stream()
			.map(a -> new ApplyRecord(a.id(), a.planId(), a.status(), a.appliedBy(), a.startedAt(), a.finishedAt(),
					a.stopReason(), steps(a.id())))
			.toList();
	}

	/**
	 * In the order they ran: clouds in plan order (aws, azure, gcp sort so), steps by
	 * index.
	 */
	private List<ApplyRecord.Step> steps(String applyId) {
		return jdbc.sql("SELECT * FROM apply_steps WHERE apply_id = :id ORDER BY cloud, step")
			.param("id", applyId)
			.query((rs, n) -> new ApplyRecord.Step(rs.getInt("step"), rs.getString("cloud"),
					rs.getString("description"), rs.getString("status"), Timestamps.read(rs, "started_at"),
					Timestamps.read(rs, "finished_at"), rs.getString("created"), rs.getString("error")))
			.list();
	}

}
