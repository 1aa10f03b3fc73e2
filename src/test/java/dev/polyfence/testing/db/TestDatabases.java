package dev.polyfence.testing.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Fresh, migrated databases for tests: H2 in memory, and a real PostgreSQL (zonky's
 * embedded binaries, started once per test JVM on 127.0.0.1) with a new database per
 * call. Both get the service's own Flyway migrations, so the tests see the schema
 * production runs.
 */
public final class TestDatabases {

	private static EmbeddedPostgres postgres;

	private TestDatabases() {
	}

	/** A new, empty H2 database in memory, migrated. */
	public static DataSource h2() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		h2.setUser("sa");
		return migrated(h2, "h2");
	}

	/** A new, empty database in the shared embedded PostgreSQL, migrated. */
	public static DataSource postgres() {
		String name = "test_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + name);
		}
		catch (SQLException e) {
			throw new IllegalStateException("could not create database " + name, e);
		}
		return migrated(server().getDatabase("postgres", name), "postgresql");
	}

	/**
	 * The JDBC URL of a database that {@link #postgres()} made, for a Spring application
	 * to use.
	 */
	public static String jdbcUrl(DataSource postgresDatabase) {
		try (Connection c = postgresDatabase.getConnection()) {
			return c.getMetaData().getURL();
		}
		catch (SQLException e) {
			throw new IllegalStateException(e);
		}
	}

	private static synchronized EmbeddedPostgres server() {
		if (postgres == null) {
			try {
				postgres = EmbeddedPostgres.builder().start();
			}
			catch (IOException e) {
				throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					postgres.close();
				}
				catch (IOException e) {
					// The JVM is going away; the server's directory is temporary.
				}
			}));
		}
		return postgres;
	}

	private static DataSource migrated(DataSource dataSource, String vendor) {
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + vendor).load().migrate();
		return dataSource;
	}

}
