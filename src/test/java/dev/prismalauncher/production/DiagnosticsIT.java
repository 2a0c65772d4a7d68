package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the launcher says while it waits and when it gives up (issue 8.12), and big logs columns (8.5). */
class DiagnosticsIT {
    static final String FAILED = "20250103000000_add_index";

    @TempDir
    Path dir;

    /** A failed row for the last fixture migration, laid out by SQL as Prisma leaves it. */
    private static void failedRow(TestDatabase db, String logsExpression) {
        db.execute(PrismaTable.ddl(db.kind(), null),
                "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at) VALUES"
                        + " ('00000000-0000-4000-8000-000000000001', 'x', '" + FAILED + "', " + logsExpression + ", "
                        + Sql.of(db.kind()).now() + ")");
    }

    /** Takes Prisma's own lock from a test session; returns how the launcher should name that session. */
    private static String holdPrismaLock(Connection holder, Kind kind) throws Exception {
        try (Statement s = holder.createStatement()) {
            if (kind == Kind.POSTGRESQL) {
                s.execute("SET application_name = 'diag-holder'");
                s.execute("SELECT pg_advisory_lock(72707369)");
                return "application_name 'diag-holder'";
            }
            // MySQL's named locks are server-wide, not per database: another test's launcher may still
            // be letting go of it, so wait for it a little rather than fail at once.
            try (ResultSet r = s.executeQuery("SELECT GET_LOCK('prisma_migrate', 20), CONNECTION_ID()")) {
                r.next();
                assertEquals(1, r.getInt(1));
                return "connection " + r.getLong(2);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void waitingForPrismasLockNamesTheHolderAndTimesOutWithExit7(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection holder = db.connect()) {
            Project project = Project.create(kind, dir.resolve("project"));
            failedRow(db, "'boom'");
            String who = holdPrismaLock(holder, kind);
            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").env("LOCK_TIMEOUT", "3s")
                    .env("LOG_FORMAT", "json").run("migrate");
            assertEquals(7, r.exit(), r.toString());
            assertTrue(r.stderr().contains("\"event\":\"prisma-lock-wait\""), r.stderr());
            String exitLine = r.stderr().lines().filter(l -> l.contains("was held for more than 3 s")).findFirst().orElse("");
            assertTrue(exitLine.contains(who), "exit 7 names the holder (" + who + "):\n" + r.stderr());
            assertTrue(r.stderr().lines().anyMatch(l -> l.contains("prisma-lock-wait") && l.contains(who)), r.stderr());
        }
    }

    /** The server ends the launcher's session while it waits (a restart, a failover): exit 3, not 1. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSessionEndedWhileWaitingForPrismasLockIsExit3(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection holder = db.connect(); Connection admin = db.connect()) {
            Project project = Project.create(kind, dir.resolve("project"));
            failedRow(db, "'boom'");
            holdPrismaLock(holder, kind);
            Running launcher = new Running(project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back")
                    .env("LOCK_TIMEOUT", "60s").start("migrate"));
            launcher.awaitStderr("waiting for Prisma's migration lock", Duration.ofSeconds(60));
            try (Statement s = admin.createStatement()) {
                if (kind == Kind.POSTGRESQL) {
                    s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name()
                            + "' AND application_name = 'prisma-launcher'");
                } else {
                    long id;
                    try (ResultSet r = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '" + db.name() + "'")) {
                        assertTrue(r.next(), "the launcher's session");
                        id = r.getLong(1);
                    }
                    s.execute("KILL " + id);
                }
            }
            Launch.Result r = launcher.await(Duration.ofSeconds(30));
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.stderr().contains("lost the connection"), r.stderr());
        }
    }

    /**
     * A failed row whose logs column holds 40 MB, under the shipped 128 MB heap: only the head of
     * a failed row's logs is read, so status still reports it (exit 4) instead of running out of memory.
     */
    @Test
    void aFortyMegabyteLogsColumnDoesNotExhaustTheShippedHeap() {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            // one character outside Latin-1 makes Java hold the text as UTF-16: twice its size
            failedRow(db, "'ERROR: boom \u6f22' || repeat('x', 40000000)");
            Launch.Result r = project.launch(db).env("JAVA_TOOL_OPTIONS", "-Xmx128m").run("status");
            assertEquals(4, r.exit(), r.toString().substring(0, Math.min(4000, r.toString().length())));
            assertTrue(r.stdout().contains(FAILED), r.stdout());
        }
    }
}
