package dev.polyfence.testing.db;

import dev.polyfence.store.JdbcAuditTrail;
import dev.polyfence.store.JdbcPlanStore;
import dev.polyfence.store.JdbcTargetLocks;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import tools.jackson.databind.json.JsonMapper;

/** The database-backed ports over one test database, as the service wires them. */
public record Stores(DataSource dataSource, JdbcPlanStore plans, JdbcTargetLocks locks, JdbcAuditTrail audit) {

	public static Stores h2(Clock clock) {
		return over(TestDatabases.h2(), clock);
	}

	public static Stores postgres(Clock clock) {
		return over(TestDatabases.postgres(), clock);
	}

	public static Stores over(DataSource dataSource, Clock clock) {
		return new Stores(dataSource, new JdbcPlanStore(dataSource, JsonMapper.builder().build()),
				new JdbcTargetLocks(dataSource, clock, Duration.ofMinutes(1)), new JdbcAuditTrail(dataSource));
	}
}
