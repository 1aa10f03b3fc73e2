package dev.polyfence.store;

import dev.polyfence.app.AuditEvent;
import dev.polyfence.app.AuditTrail;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The audit trail as rows, newest last; never updated or deleted by the service. */
public class JdbcAuditTrail implements AuditTrail {

	/**
	 * The column's width; longer details (long error messages) are cut with an ellipsis.
	 */
	static final int DETAIL_LENGTH = 2000;

	private final JdbcClient jdbc;

	public JdbcAuditTrail(DataSource dataSource) {
		this.jdbc = JdbcClient.create(dataSource);
	}

	@Override
	public void record(AuditEvent event) {
		jdbc.sql("""
				INSERT INTO audit_events (at, actor, action, plan_id, policy, outcome, detail)
				VALUES (:at, :actor, :action, :planId, :policy, :outcome, :detail)""")
			.param("at", Timestamps.of(event.at()))
			.param("actor", event.actor())
			.param("action", event.action())
			.param("planId", event.planId())
			.param("policy", event.policy())
			.param("outcome", event.outcome())
			.param("detail", cut(event.detail()))
			.update();
	}

	@Override
	public List<AuditEvent> latest(int limit) {
		return jdbc.sql("SELECT * FROM audit_events ORDER BY id DESC FETCH FIRST :limit ROWS ONLY")
			.param("limit", limit)
			.query((rs, n) -> new AuditEvent(Timestamps.read(rs, "at"), rs.getString("actor"), rs.getString("action"),
					rs.getString("plan_id"), rs.getString("policy"), rs.getString("outcome"), rs.getString("detail")))
			.list();
	}

	private static String cut(String detail) {
		return detail == null || detail.length() <= DETAIL_LENGTH ? detail
				: detail.substring(0, DETAIL_LENGTH - 1) + "…";
	}

}
