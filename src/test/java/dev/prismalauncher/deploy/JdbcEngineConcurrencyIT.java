package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three launchers with DEPLOY_ENGINE=jdbc and one real `prisma migrate deploy`, started at once on
 * an empty database: every migration is applied exactly once. The launchers order themselves by the
 * launcher lock; against Prisma only Prisma's own advisory lock, which the engine holds while it
 * applies, keeps the two from running the same migration.
 */
class JdbcEngineConcurrencyIT {
    private static final Kind PG = Kind.POSTGRESQL;

    @TempDir
    Path dir;

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void threeLaunchersAndPrismaApplyEachMigrationOnce() {
        List<String> names = Histories.names("umami-postgresql");
        Project project = Histories.project(PG, "umami-postgresql", names.size(), dir.resolve("p"));
        try (TestDatabase db = TestDatabase.create(PG)) {
            List<CompletableFuture<Launch.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Launch launch = project.launch(db).env("DEPLOY_ENGINE", "jdbc");
                runs.add(CompletableFuture.supplyAsync(() -> launch.run("migrate")));
            }
            CompletableFuture<Launch.Result> prisma = CompletableFuture.supplyAsync(() -> project.prisma(db, "migrate", "deploy"));
            for (CompletableFuture<Launch.Result> run : runs) {
                Launch.Result r = run.join();
                assertEquals(0, r.exit(), r.toString());
            }
            Launch.Result p = prisma.join();
            // Prisma waits 10 s for its lock; past that it gives up with P1002 having applied nothing: still exactly once
            assertTrue(p.exit() == 0 || (p.stdout() + p.stderr()).contains("P1002"), p.toString());

            assertEquals(names.size(), db.query("SELECT 1 FROM _prisma_migrations").size(), "a migration was applied twice");
            assertEquals(List.of(), db.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NULL"
                    + " OR rolled_back_at IS NOT NULL OR applied_steps_count <> 1"));
            assertEquals(names, db.query("SELECT migration_name FROM _prisma_migrations ORDER BY started_at").stream()
                    .map(List::getFirst).toList());
        }
    }

    /** Prisma's advisory lock (72707369) is held by the launcher while a script runs, and let go after. */
    @Test
    void prismasAdvisoryLockIsHeldWhileApplying() throws Exception {
        Project project = Project.create(PG, dir.resolve("slow"));
        project.write("20250104000000_slow", "SELECT pg_sleep(3);\n");
        try (TestDatabase db = TestDatabase.create(PG)) {
            CompletableFuture<Launch.Result> run = CompletableFuture.supplyAsync(() -> project.launch(db).env("DEPLOY_ENGINE", "jdbc").run("migrate"));
            String lock = "SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'"
                    + " AND l.objid = 72707369 AND l.granted AND a.datname = current_database()";
            boolean held = false;
            for (int i = 0; i < 200 && !held && !run.isDone(); i++) {
                held = !db.query(lock + " AND EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%'"
                        + " AND state = 'active')").isEmpty();
                Thread.sleep(25);
            }
            Launch.Result r = run.join();
            assertEquals(0, r.exit(), r.toString());
            assertTrue(held, "Prisma's advisory lock was not held while the script ran");
            assertEquals(List.of(), db.query(lock), "released afterwards");
        }
    }
}
