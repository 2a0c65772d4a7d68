package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The dialects against the real servers: reads, writes, locks, missing things, secrets. */
class DatabaseTest {

    private static Database open(TestDatabase db, String query) {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", db.url(query));
        return Database.open(url, Dialect.of(url), Stop.NONE).orElseThrow();
    }

    private static void failedState(TestDatabase db) {
        String now = Sql.of(db.kind()).now();
        db.execute(PrismaTable.ddl(db.kind(), null),
                "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)"
                        + " VALUES ('a1', 'c1', " + now + ", '20250101000000_init', NULL, " + now + ", 1)",
                "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count)"
                        + " VALUES ('b1', 'c2', NULL, '20250102000000_bad', 'ERROR: boom', " + now + ", 0)");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsRowsAndWritesResolveChangesInOneTransaction(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind)) {
            failedState(db);
            Instant at = Instant.parse("2025-03-04T05:06:07.123Z");
            try (Database database = open(db, "")) {
                List<MigrationRow> rows = database.rows();
                assertEquals(2, rows.size());
                assertTrue(rows.stream().anyMatch(r -> r.migrationName().equals("20250102000000_bad") && r.isFailed()));
                database.write(List.of(
                        new RowChange.MarkRolledBack("b1", "20250102000000_bad", at),
                        new RowChange.InsertApplied("0b9e7a58-6f4e-4a59-9d2b-3c1f7f0c1a2b", "20250102000000_bad", "f".repeat(64), at)));
                List<MigrationRow> after = database.rows();
                MigrationRow marked = after.stream().filter(r -> r.id().equals("b1")).findFirst().orElseThrow();
                assertEquals(at, marked.rolledBackAt());
                MigrationRow inserted = after.stream().filter(r -> r.id().startsWith("0b9e")).findFirst().orElseThrow();
                assertNull(inserted.logs(), "only failed rows' logs are read (a logs column can hold megabytes)");
                assertEquals(List.of(List.of("")), db.query("SELECT logs FROM _prisma_migrations WHERE id = '" + inserted.id() + "'"));
                assertEquals(at, inserted.startedAt());
                assertEquals(at, inserted.finishedAt());
                assertNull(inserted.rolledBackAt());
                assertEquals(0, inserted.appliedStepsCount());

                // a change that cannot apply rolls the whole batch back
                assertThrows(SQLException.class, () -> database.write(List.of(
                        new RowChange.MarkRolledBack("a1", "20250101000000_init", at),
                        new RowChange.MarkRolledBack("no-such-id", "x", at))));
                assertNull(database.rows().stream().filter(r -> r.id().equals("a1")).findFirst().orElseThrow().rolledBackAt());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aMissingTableOrDatabaseIsNotAnError(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            try (Database database = open(db, "")) {
                assertEquals(List.of(), database.rows());
            }
        }
        try (TestDatabase db = TestDatabase.reserve(kind)) {
            // the app's user may create the database but it is not there yet: 3D000 / 1049
            DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", db.url());
            assertEquals(Optional.empty(), Database.open(url, Dialect.of(url), Stop.NONE));
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void unreachableIsExit3WithoutThePassword(Kind kind) {
        String scheme = Sql.of(kind).scheme();
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", scheme + "://u:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:1/db?connect_timeout=2");
        LauncherException e = assertThrows(LauncherException.class, () -> Database.open(url, Dialect.of(url), Stop.NONE));
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertFalse(e.getMessage().contains(TestDatabase.PASSWORD), e.getMessage());
        assertFalse(e.getMessage().contains(TestDatabase.PASSWORD_ENCODED), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void waitsForPrismasLockAndGivesUpWithExit7(Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database database = open(db, "")) {
            try (Connection other = db.connect(); Statement s = other.createStatement()) {
                s.execute(Sql.of(kind).holdPrismaLock());
                LauncherException e = assertThrows(LauncherException.class,
                        () -> database.withPrismaLock(Duration.ofMillis(600), () -> "never"));
                assertEquals(ExitCode.LOCK_TIMEOUT, e.exitCode());
            }
            // the other session is gone: the lock is free, and ours is released after the work
            assertEquals("done", database.withPrismaLock(Duration.ofSeconds(5), () -> "done"));
            try (Connection other = db.connect(); Statement s = other.createStatement()) {
                var r = s.executeQuery(Sql.of(kind).tryPrismaLock());
                assertTrue(r.next());
                assertTrue(r.getBoolean(1), "lock still held after withPrismaLock");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = "POSTGRESQL")
    void theSchemaParameterIsHonoured(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            db.execute("CREATE SCHEMA \"Tenant One\"", PrismaTable.ddl(kind, "Tenant One"),
                    "INSERT INTO \"Tenant One\"._prisma_migrations (id, checksum, migration_name) VALUES ('x', 'c', 'm')");
            try (Database tenant = open(db, "schema=Tenant%20One"); Database pub = open(db, "")) {
                assertEquals(1, tenant.rows().size());
                assertNotNull(tenant.rows().getFirst().startedAt());
                assertEquals(0, pub.rows().size());
            }
        }
    }
}
