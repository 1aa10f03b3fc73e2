package dev.polyfence.store;

import dev.polyfence.testing.db.TestDatabases;
import javax.sql.DataSource;

/** The store contract on a real PostgreSQL (zonky's embedded binaries on 127.0.0.1). */
class PostgresStoreTest extends StoreContract {

	@Override
	DataSource database() {
		return TestDatabases.postgres();
	}

}
