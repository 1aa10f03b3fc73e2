package dev.polyfence.store;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database-backed ports; Spring Boot makes the DataSource and runs Flyway before
 * these are used.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

	@Bean
	JdbcPlanStore planStore(DataSource dataSource, JsonMapper json) {
		return new JdbcPlanStore(dataSource, json);
	}

	@Bean
	JdbcAuditTrail auditTrail(DataSource dataSource) {
		return new JdbcAuditTrail(dataSource);
	}

	/**
	 * The lease outlives a stalled renewal or two; a dead holder's targets are free after
	 * it.
	 */
	@Bean
	JdbcTargetLocks targetLocks(DataSource dataSource, Clock clock,
			@Value("${polyfence.locks.lease:PT1M}") Duration lease) {
		return new JdbcTargetLocks(dataSource, clock, lease);
	}

}
