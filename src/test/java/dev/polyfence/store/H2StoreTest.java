package dev.polyfence.store;

import dev.polyfence.testing.db.TestDatabases;
import javax.sql.DataSource;

/** The store contract on H2, the default database. */
class H2StoreTest extends StoreContract {

	@Override
	DataSource database() {
		return TestDatabases.h2();
	}

}
