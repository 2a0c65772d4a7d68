package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.migrations.FailureLog;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proof of identity (PostgreSQL, the real Prisma CLI as the oracle): on twin databases, real
 * histories deployed by `prisma migrate deploy` on one and by DEPLOY_ENGINE=jdbc on the other end
 * with the same rows (every column but ids and times), the same schema (pg_dump), and a `prisma
 * migrate status` that says the same of both; a migration that fails leaves a row the real CLI
 * then treats as failed (P3009) and resolves.
 *
 * <p>Langfuse's history is bounded to its first {@link #LANGFUSE} migrations (its own BEGIN/COMMIT
 * scripts and single-statement CREATE INDEX CONCURRENTLY ones among them); {@code
 * -Dhistories.full=true} runs all 434. The sweeps run on one launch form (the jar): what they prove
 * is the engine's, not the start command's; umami's small history runs on both.
 */
class JdbcEngineIdentityIT {
    private static final Kind PG = Kind.POSTGRESQL;
    static final int LANGFUSE = 140;

    @TempDir
    Path dir;

    private static Launch jdbc(Project p, TestDatabase db) {
        return p.launch(db).env("DEPLOY_ENGINE", "jdbc");
    }

    /** Deploys the project with Prisma on one new database and with the launcher on another; both must agree. */
    private void sameAsPrisma(Project project) {
        try (TestDatabase ours = TestDatabase.reserve(PG); TestDatabase twin = TestDatabase.reserve(PG)) {
            Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result r = jdbc(project, ours).run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("DEPLOY_ENGINE=jdbc"), r.stderr());
            assertEquals(Histories.rows(twin), Histories.rows(ours), "rows differ from Prisma's");
            Histories.assertIdsAndTimes(ours);
            assertEquals(Histories.schema(twin), Histories.schema(ours), "pg_dump --schema-only differs from Prisma's");
            assertSameStatus(project, ours, twin);
        }
    }

    /** `prisma migrate status` says the same of both databases (their names aside). */
    private static void assertSameStatus(Project project, TestDatabase ours, TestDatabase twin) {
        Launch.Result mine = project.prisma(ours, "migrate", "status");
        Launch.Result theirs = project.prisma(twin, "migrate", "status");
        assertEquals(theirs.exit(), mine.exit(), mine + "\n" + theirs);
        assertEquals(theirs.stdout().replace(twin.name(), "DB"), mine.stdout().replace(ours.name(), "DB"));
    }

    @Test
    void umamisHistoryDeploysAsPrismaDeploysIt() {
        sameAsPrisma(Histories.project(PG, "umami-postgresql", Histories.names("umami-postgresql").size(), dir.resolve("p")));
    }

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void langfusesHistoryDeploysAsPrismaDeploysIt() {
        int count = Boolean.getBoolean("histories.full") ? Histories.names("langfuse").size() : LANGFUSE;
        sameAsPrisma(Histories.project(PG, "langfuse", count, dir.resolve("p")));
    }

    /** One pending migration on a database Prisma kept so far: the launcher takes over where Prisma stopped. */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void pendingMigrationsAfterPrismasOwnAreAppliedAsPrismaAppliesThem() {
        List<String> names = Histories.names("umami-postgresql");
        Project project = Histories.project(PG, "umami-postgresql", names.size() - 3, dir.resolve("p"));
        try (TestDatabase base = TestDatabase.create(PG)) {
            assertEquals(0, project.prisma(base, "migrate", "deploy").exit());
            Histories.add(project, "umami-postgresql", names.subList(names.size() - 3, names.size()));
            try (TestDatabase ours = base.copy(); TestDatabase twin = base.copy()) {
                assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
                Launch.Result r = jdbc(project, ours).run("migrate");
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.stderr().contains("applied 3 migration(s)"), r.stderr());
                assertEquals(Histories.rows(twin), Histories.rows(ours));
                assertEquals(Histories.schema(twin), Histories.schema(ours));
                assertSameStatus(project, ours, twin);
            }
        }
    }

    /**
     * A run-time failure (no position from PostgreSQL) in the third statement: exit 5 naming it, the
     * script rolled back whole, a failed row whose logs hold the error in Prisma's shape, which the
     * real CLI then reports as P3009 and resolves; Prisma's own failure on the twin leaves the same row.
     */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void aFailedMigrationLeavesTheRowPrismaLeavesAndPrismaResolvesIt() {
        Project project = Histories.project(PG, "umami-postgresql", 3, dir.resolve("p"));
        String name = "20990101000000_not_null";
        project.write(name, "-- a run-time failure: PostgreSQL gives no position for it\nCREATE TABLE \"probe\" (\"id\" INTEGER);\n"
                + "INSERT INTO \"probe\" VALUES (NULL);\nALTER TABLE \"probe\" ALTER COLUMN \"id\" SET NOT NULL;\n");
        try (TestDatabase ours = TestDatabase.create(PG); TestDatabase twin = TestDatabase.create(PG)) {
            Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
            assertNotEquals(0, prisma.exit(), prisma.toString());
            Launch.Result r = jdbc(project, ours).run("migrate");
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.stderr().contains("migration " + name + " failed: database error 23502"), r.stderr());
            assertTrue(r.stderr().contains("at statement 3 (line 4): ALTER TABLE \"probe\" ALTER COLUMN \"id\" SET NOT NULL"), r.stderr());
            assertTrue(r.stderr().contains("rolled it back: nothing of it is applied"), r.stderr());
            assertEquals(List.of(), ours.query("SELECT 1 FROM pg_class WHERE relname = 'probe'"), "the script was not rolled back");

            // the same row as Prisma's own failure, but for the logs' form (the offline engine writes its adapter's text)
            assertEquals(Histories.withoutLogs(Histories.rows(twin)), Histories.withoutLogs(Histories.rows(ours)));
            String logs = ours.query("SELECT logs FROM _prisma_migrations WHERE migration_name = '" + name + "'").getFirst().getFirst();
            assertTrue(logs.startsWith("A migration failed to apply."), logs);
            FailureLog parsed = FailureLog.parse(logs);
            assertNotNull(parsed);
            assertEquals("23502", parsed.code());
            assertTrue(parsed.error().contains("column \"id\" of relation \"probe\" contains null values"), parsed.error());
            String theirs = twin.query("SELECT logs FROM _prisma_migrations WHERE migration_name = '" + name + "'").getFirst().getFirst();
            assertTrue(theirs.contains("contains null values") || theirs.contains("Null constraint"), theirs);

            Launch.Result deploy = project.prisma(ours, "migrate", "deploy");
            assertNotEquals(0, deploy.exit(), deploy.toString());
            assertTrue((deploy.stdout() + deploy.stderr()).contains("P3009"), deploy.toString());
            assertTrue((deploy.stdout() + deploy.stderr()).contains(name), deploy.toString());
            assertSameStatus(project, ours, twin);
            for (TestDatabase db : List.of(ours, twin)) {
                Launch.Result resolve = project.prisma(db, "migrate", "resolve", "--rolled-back", name);
                assertEquals(0, resolve.exit(), resolve.toString());
            }
            assertEquals(Histories.withoutLogs(Histories.rows(twin)), Histories.withoutLogs(Histories.rows(ours)));
            assertSameStatus(project, ours, twin);
        }
    }

    /**
     * The URL's schema: the table, the migrations' objects and the scripts' search_path are
     * Prisma's (search_path = "tenant" alone); and a script sees its own started row, committed
     * before it runs, with finished_at still NULL.
     */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void aSchemaOtherThanPublicAndTheStartedRowAreAsPrismas() {
        Project project = Project.create(PG, dir.resolve("p"));
        String name = "20250104000000_sees_itself";
        project.write(name, "DO $$ BEGIN\n  IF current_schemas(false) <> ARRAY['tenant']::name[] THEN RAISE EXCEPTION 'search_path %',"
                + " current_schemas(false); END IF;\n  IF NOT EXISTS (SELECT 1 FROM _prisma_migrations WHERE migration_name = '" + name + "'"
                + " AND finished_at IS NULL AND applied_steps_count = 0) THEN RAISE EXCEPTION 'no started row'; END IF;\nEND $$;\n"
                + "CREATE TABLE \"seen\" (\"id\" INTEGER);\n");
        // existing databases without the schema: Prisma creates it when it connects, and so must the engine
        try (TestDatabase ours = TestDatabase.create(PG); TestDatabase twin = TestDatabase.create(PG)) {
            Launch.Result prisma = project.launch(twin).env("DATABASE_URL", twin.url("schema=tenant"))
                    .exec(List.of(project.prismaCommand().getFirst(), "migrate", "deploy"));
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result r = jdbc(project, ours).env("DATABASE_URL", ours.url("schema=tenant")).run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(twin.query("SELECT migration_name, checksum, logs, applied_steps_count FROM tenant._prisma_migrations ORDER BY started_at"),
                    ours.query("SELECT migration_name, checksum, logs, applied_steps_count FROM tenant._prisma_migrations ORDER BY started_at"));
            assertEquals(List.of(List.of("tenant")), ours.query("SELECT table_schema FROM information_schema.tables WHERE table_name = 'seen'"));
            assertEquals(Histories.schema(twin), Histories.schema(ours));
        }
    }

    /**
     * A script's result that depends on the session's TimeZone (Prisma's own `SET DATA TYPE TIMESTAMPTZ`
     * reads a timestamp in it) is Prisma's, whatever time zone the launcher's JVM runs in: the
     * JDBC driver would otherwise give the session the JVM's.
     */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void theSessionTimeZoneIsPrismasNotTheJvms() {
        Project project = Project.create(PG, dir.resolve("p"));
        project.write("20250104000000_at", "CREATE TABLE \"At\" (\"at\" TIMESTAMP(3) NOT NULL);\n"
                + "INSERT INTO \"At\" VALUES ('2025-01-01 12:00:00');\n"
                + "ALTER TABLE \"At\" ALTER COLUMN \"at\" SET DATA TYPE TIMESTAMPTZ(3);\n");
        try (TestDatabase ours = TestDatabase.reserve(PG); TestDatabase twin = TestDatabase.reserve(PG)) {
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
            Launch.Result r = jdbc(project, ours).env("TZ", "Pacific/Kiritimati").run("migrate");
            assertEquals(0, r.exit(), r.toString());
            String instant = "SELECT extract(epoch FROM \"at\")::bigint FROM \"At\"";
            assertEquals(twin.query(instant), ours.query(instant));
        }
    }

}
