package dev.prismalauncher.database;

import dev.prismalauncher.testing.TestDatabase.Kind;

/** MySQL's dialect passes the contract against the local MariaDB (or Testcontainers' MySQL). */
class MySqlContractTest extends DialectContract {
    MySqlContractTest() {
        super(Kind.MYSQL);
    }
}
