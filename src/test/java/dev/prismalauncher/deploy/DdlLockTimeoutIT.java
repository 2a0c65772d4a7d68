package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * DDL_LOCK_TIMEOUT with the JDBC engine on PostgreSQL: a migration queued behind another session's
 * lock gives up after the timeout instead of holding up every query behind it; its transaction is
 * rolled back whole, it is retried with backoff, and if it never gets its locks it is still pending
 * (no row at all) and the launcher stops with exit 7 naming the session in its way.
 */
class DdlLockTimeoutIT {
    private static final Kind PG = Kind.POSTGRESQL;
    private static final String ALTER = "20250102000000_add_column";

    @TempDir
    Path dir;

    /** A project whose second migration needs an ACCESS EXCLUSIVE lock on "t"; the first is applied. */
    private Project project(TestDatabase db, String second) {
        Project p = Project.create(PG, dir.resolve("p"));
        Histories.deleteRecursively(p.migrations());
        p.write("20250101000000_init", "CREATE TABLE \"t\" (\"id\" INTEGER);\n");
        Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").run("migrate");
        assertEquals(0, r.exit(), r.toString());
        p.write(ALTER, second);
        return p;
    }

    /** A session that reads "t" in an open transaction: its ACCESS SHARE lock blocks any ALTER TABLE "t". */
    private static Connection blocker(TestDatabase db) throws Exception {
        Connection c = db.connect();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("SELECT * FROM \"t\"");
        }
        return c;
    }

    private static int pid(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
            r.next();
            return r.getInt(1);
        }
    }

    @Test
    void aMigrationThatNeverGetsItsLocksStaysPendingAndNamesTheBlocker() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = project(db, "ALTER TABLE \"t\" ADD COLUMN \"c\" INTEGER;\n");
            try (Connection blocker = blocker(db)) {
                Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DDL_LOCK_TIMEOUT", "200ms").run("migrate");
                assertEquals(7, r.exit(), r.toString());
                assertTrue(r.stderr().contains(ALTER + " could not get its locks within DDL_LOCK_TIMEOUT=200 ms in 4 attempts"), r.stderr());
                assertTrue(r.stderr().contains("backend pid " + pid(blocker)), r.stderr());
                assertTrue(r.stderr().contains("still pending, not failed"), r.stderr());
                assertEquals(3, r.stderr().split("retrying in", -1).length - 1, r.stderr());
            }
            assertEquals(List.of(), db.query("SELECT 1 FROM _prisma_migrations WHERE migration_name = '" + ALTER + "'"), "a row was left");
            assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'"));
            Launch.Result again = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DDL_LOCK_TIMEOUT", "200ms").run("migrate");
            assertEquals(0, again.exit(), again.toString());
            assertEquals(List.of(List.of("1", "f")), db.query("SELECT applied_steps_count, finished_at IS NULL FROM _prisma_migrations"
                    + " WHERE migration_name = '" + ALTER + "'"));
        }
    }

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void aLockReleasedDuringTheRetriesLetsTheMigrationThroughWithOneRow() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = project(db, "ALTER TABLE \"t\" ADD COLUMN \"c\" INTEGER;\n");
            Connection blocker = blocker(db);
            String waiting = "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'ALTER TABLE \"t\"%' AND wait_event_type = 'Lock'";
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                // let go only once the first attempt has waited and timed out (however slowly the launcher starts)
                try (blocker) {
                    until(() -> !db.query(waiting).isEmpty());
                    until(() -> db.query(waiting).isEmpty());
                    blocker.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DDL_LOCK_TIMEOUT", "300ms").run("migrate");
            release.join();
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("retrying in"), r.stderr());
            assertEquals(List.of(List.of("1", "f")), db.query("SELECT applied_steps_count, finished_at IS NULL FROM _prisma_migrations"
                    + " WHERE migration_name = '" + ALTER + "'"), "exactly one finished row, none from the rolled-back attempts");
        }
    }

    /** A script that commits by itself may have kept part of its work: it is not retried, it fails as Prisma would record it. */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void aScriptWithItsOwnCommitIsNotRetried() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = project(db, "CREATE TABLE \"u\" (\"id\" INTEGER);\nCOMMIT;\nBEGIN;\nALTER TABLE \"t\" ADD COLUMN \"c\" INTEGER;\nCOMMIT;\n");
            try (Connection ignored = blocker(db)) {
                Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DDL_LOCK_TIMEOUT", "200ms").run("migrate");
                assertEquals(5, r.exit(), r.toString());
                assertTrue(r.stderr().contains("database error 55P03"), r.stderr());
                assertTrue(r.stderr().contains("controls its own transactions"), r.stderr());
            }
            assertEquals(List.of(List.of("t")), db.query("SELECT finished_at IS NULL FROM _prisma_migrations WHERE migration_name = '" + ALTER + "'"));
            assertEquals(1, db.query("SELECT 1 FROM pg_class WHERE relname = 'u'").size(), "the part before its COMMIT stays");
        }
    }

    private static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 3000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(20);
        }
    }
}
