package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC engine's script never outlives its bounds: DEPLOY_TIMEOUT cancels it on the server, and
 * so does a stop signal mid-script (the server would otherwise run it to its end and commit it,
 * with nobody left to record it).
 */
class EngineBoundsIT {
    private static final Kind PG = Kind.POSTGRESQL;
    private static final String SLOW = "20250104000000_slow";
    private static final String SLEEPING = "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'CREATE TABLE \"late\"%' AND state = 'active'";

    @TempDir
    Path dir;

    private Project project() {
        Project p = Project.create(PG, dir.resolve("p"));
        p.write(SLOW, "CREATE TABLE \"late\" (\"id\" INTEGER);\nSELECT pg_sleep(30);\n");
        return p;
    }

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void theDeployTimeoutCancelsTheScriptOnTheServer() {
        try (TestDatabase db = TestDatabase.create(PG)) {
            long start = System.nanoTime();
            Launch.Result r = project().launch(db).env("DEPLOY_ENGINE", "jdbc").env("DEPLOY_TIMEOUT", "2s").run("migrate");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertEquals(5, r.exit(), r.toString());
            assertTrue(seconds < 20, "took " + seconds + " s");
            assertTrue(r.stderr().contains(SLOW + " did not finish within DEPLOY_TIMEOUT=2 s and was cancelled"), r.stderr());
            assertEquals(List.of(), db.query(SLEEPING), "the statement still runs on the server");
            assertEquals(List.of(), db.query("SELECT 1 FROM pg_class WHERE relname = 'late'"));
            String logs = db.query("SELECT logs FROM _prisma_migrations WHERE migration_name = '" + SLOW + "'").getFirst().getFirst();
            assertTrue(logs.contains("Database error code: 57014"), logs);
        }
    }

    @Test
    void aStopSignalMidScriptCancelsItOnTheServer() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Process p = project().launch(db).env("DEPLOY_ENGINE", "jdbc").start("migrate");
            boolean running = false;
            for (int i = 0; i < 400 && !running; i++) {
                running = !db.query(SLEEPING).isEmpty();
                Thread.sleep(25);
            }
            assertTrue(running, "the script never started");
            p.destroy(); // SIGTERM
            Launch.Result r = Launch.finish(p, "migrate");
            assertEquals(143, r.exit(), r.toString());
            boolean gone = false;
            for (int i = 0; i < 80 && !gone; i++) {
                gone = db.query(SLEEPING).isEmpty();
                Thread.sleep(25);
            }
            assertTrue(gone, "the statement outlived the launcher");
            assertEquals(List.of(), db.query("SELECT 1 FROM pg_class WHERE relname = 'late'"), "the script committed after the stop");
        }
    }
}
