package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PostgreSQL's dialect passes the contract, and honours the URL's schema where PostgreSQL has one. */
class PostgresContractTest extends DialectContract {
    PostgresContractTest() {
        super(Kind.POSTGRESQL);
    }

    @Test
    void aMissingSchemaIsAMissingTable() throws SQLException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL); Database session = open(db.url("schema=nowhere"), Stop.NONE)) {
            assertEquals(Failure.MISSING_TABLE, failureOf(session.dialect(), session.connection(),
                    "SELECT * FROM " + session.dialect().migrationTable().table()));
            assertEquals(List.of(), session.rows());
        }
    }

    /** Only the URL's schema counts, and not PostGIS's tables, which Prisma ignores. */
    @Test
    void unmanagedTablesAreTheSchemasButPostGisOnes() {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL); Database session = open(db.url("schema=tenant"), Stop.NONE)) {
            db.execute("CREATE SCHEMA tenant", "CREATE TABLE tenant.spatial_ref_sys (id INT)", "CREATE TABLE public.\"Elsewhere\" (id INT)");
            assertTrue(session.unmanagedTables().isEmpty(), session.unmanagedTables().describe());
            db.execute("CREATE TABLE tenant.\"Order\" (id INT)");
            assertEquals(new UnmanagedTables(1, List.of("Order")), session.unmanagedTables());
            db.execute(PrismaTable.ddl(Kind.POSTGRESQL, "tenant"));
            assertTrue(session.unmanagedTables().isEmpty());
        }
    }

    @Test
    void creationMakesTheUrlsSchemaToo() {
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL)) {
            var url = url(db.url("schema=Tenant%20One"));
            assertTrue(DatabaseCreation.create(url, Dialect.of(url)));
            assertFalse(DatabaseCreation.create(url, Dialect.of(url)));
            assertEquals(List.of(List.of("Tenant One")), db.query("SELECT nspname FROM pg_namespace WHERE nspname = 'Tenant One'"));
        }
    }
}
