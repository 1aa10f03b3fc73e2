package dev.polyfence.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants as {@code TIMESTAMP WITH TIME ZONE}, which both H2 and PostgreSQL map to
 * OffsetDateTime.
 */
final class Timestamps {

	private Timestamps() {
	}

	static OffsetDateTime of(Instant instant) {
		return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	static Instant read(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
