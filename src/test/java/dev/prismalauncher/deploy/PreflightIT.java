package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEPLOY_PREFLIGHT=trial (PostgreSQL, both engines): a migration that would fail is refused before
 * anything is written (no row, no schema change, no resolve, Prisma not run, the app not started),
 * and the next start tries again; what passes deploys; what the trial cannot judge deploys as usual.
 */
class PreflightIT {
    private static final Kind PG = Kind.POSTGRESQL;
    private static final String NOT_NULL = "20250104000000_not_null_email";

    @TempDir
    Path dir;

    /** The fixture's three migrations applied and a user in "User": the broken fixture migration then fails. */
    private Project deployed(TestDatabase db) {
        Project p = Project.create(PG, dir.resolve("p" + db.name()));
        Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").run("migrate");
        assertEquals(0, r.exit(), r.toString());
        db.execute("INSERT INTO \"User\" (\"name\") VALUES ('ada')");
        return p;
    }

    private static List<List<String>> rows(TestDatabase db) {
        return db.query("SELECT migration_name, finished_at IS NULL, rolled_back_at IS NULL FROM _prisma_migrations ORDER BY started_at");
    }

    private static List<List<String>> userColumns(TestDatabase db) {
        return db.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'User' ORDER BY ordinal_position");
    }

    @Test
    void aMigrationThatWouldFailIsRefusedWithNothingWrittenAndPrismaNeverRun() {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = deployed(db);
            p.add(NOT_NULL);
            Path used = dir.resolve("prisma-used");
            Path prisma = Launch.script(dir.resolve("bin/prisma"), "echo \"$*\" >> '" + used + "'\nexit 1");
            Path app = dir.resolve("app-ran");
            List<List<String>> before = rows(db);
            List<List<String>> columns = userColumns(db);
            for (int start = 1; start <= 2; start++) { // the next start tries again, and refuses again
                Launch.Result r = p.launch(db).env("DEPLOY_PREFLIGHT", "trial").env("PRISMA_COMMAND", prisma.toString())
                        .run("run", "--", "touch", app.toString());
                assertEquals(5, r.exit(), r.toString());
                assertTrue(r.stderr().contains("preflight (DEPLOY_PREFLIGHT=trial): " + NOT_NULL + " would fail at statement 1"), r.stderr());
                assertTrue(r.stderr().contains("database error 23502"), r.stderr());
                assertTrue(r.stderr().contains("Nothing was written"), r.stderr());
                assertEquals(before, rows(db), "a row was written");
                assertEquals(columns, userColumns(db), "the schema changed");
                assertFalse(Files.exists(used), "Prisma was run");
                assertFalse(Files.exists(app), "the app was started");
            }
        }
    }

    /** A failed row and rolled-back: the re-run is trialled before the resolve is written; still broken, the row is left as it was. */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void theResolveIsNotWrittenWhenTheRerunWouldFailAndIsWhenItWouldPass() throws Exception {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = deployed(db);
            p.add(NOT_NULL);
            Launch.Result failing = p.launch(db).env("DEPLOY_ENGINE", "jdbc").run("migrate");
            assertEquals(5, failing.exit(), failing.toString());
            List<List<String>> failedRow = rows(db);
            assertEquals(List.of(NOT_NULL, "t", "t"), failedRow.getLast());

            Launch.Result refused = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DEPLOY_PREFLIGHT", "trial")
                    .env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
            assertEquals(5, refused.exit(), refused.toString());
            assertTrue(refused.stderr().contains(NOT_NULL + " would fail"), refused.stderr());
            assertEquals(failedRow, rows(db), "the failed row was resolved although the re-run would fail");

            Files.writeString(p.migrations().resolve(NOT_NULL).resolve("migration.sql"),
                    "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT '';\n");
            Launch.Result fixed = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DEPLOY_PREFLIGHT", "trial")
                    .env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
            assertEquals(0, fixed.exit(), fixed.toString());
            assertTrue(fixed.stderr().contains("preflight: " + NOT_NULL + " ran without error"), fixed.stderr());
            assertEquals(List.of(List.of(NOT_NULL, "t", "f"), List.of(NOT_NULL, "f", "t")), rows(db).subList(3, 5));
        }
    }

    /** What passes is deployed by either engine, the real Prisma CLI included. */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void whatPassesIsDeployedByEitherEngine() {
        for (String engine : List.of("prisma", "jdbc")) {
            try (TestDatabase db = TestDatabase.create(PG)) {
                Project p = deployed(db);
                p.write("20250104000000_nick", "ALTER TABLE \"User\" ADD COLUMN \"nick\" TEXT;\nUPDATE \"User\" SET \"nick\" = \"name\";\n");
                Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", engine).env("DEPLOY_PREFLIGHT", "trial").run("migrate");
                assertEquals(0, r.exit(), engine + ": " + r);
                assertTrue(r.stderr().contains("preflight: 20250104000000_nick ran without error"), r.stderr());
                assertEquals(List.of(List.of("0")), db.query("SELECT count(*) FROM \"User\" WHERE \"nick\" IS DISTINCT FROM \"name\""));
                assertEquals(List.of(List.of("20250104000000_nick", "1")), db.query("SELECT migration_name, applied_steps_count"
                        + " FROM _prisma_migrations WHERE migration_name = '20250104000000_nick' AND finished_at IS NOT NULL"));
            }
        }
    }

    /** A migration a transaction cannot hold is not judged: said plainly, deployed as usual. */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void whatTheTrialCannotHoldIsNotJudgedAndDeploysAsUsual() {
        try (TestDatabase db = TestDatabase.create(PG)) {
            Project p = deployed(db);
            p.write("20250104000000_concurrently", "CREATE INDEX CONCURRENTLY \"User_name_idx\" ON \"User\"(\"name\");\n");
            Launch.Result r = p.launch(db).env("DEPLOY_ENGINE", "jdbc").env("DEPLOY_PREFLIGHT", "trial").run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("preflight: not judged"), r.stderr());
            assertTrue(r.stderr().contains("deploying as usual"), r.stderr());
            assertEquals(1, db.query("SELECT 1 FROM pg_indexes WHERE indexname = 'User_name_idx'").size());
        }
    }
}
