package dev.prismalauncher.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PostgresServers;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole start-up against real databases and the real Prisma CLI (PostgreSQL) or its MySQL
 * stand-in: break a migration the way users do, then start the launcher. Every resolve is
 * checked against a twin database on which Prisma's own `migrate resolve` did the same.
 */
class PipelineIT {
    static final String NOT_NULL = "20250104000000_not_null_email";
    static final String SYNTAX = "20250104000000_syntax_error";
    static final String AFTER = "20250105000000_after";

    @TempDir
    Path dir;

    static List<Arguments> brokenMigrations() {
        return List.of(
                Arguments.of(Kind.POSTGRESQL, NOT_NULL), Arguments.of(Kind.POSTGRESQL, SYNTAX),
                Arguments.of(Kind.MYSQL, NOT_NULL), Arguments.of(Kind.MYSQL, SYNTAX));
    }

    /** The app: prints its PID and leaves a marker, so tests see whether it was exec'd. */
    private String[] app() {
        return new String[] {"run", "--", "sh", "-c", "echo $$; touch " + dir.resolve("app-ran")};
    }

    private boolean appRan() {
        return Files.exists(dir.resolve("app-ran"));
    }

    /** Deploys the good migrations, then the broken one and the one after it: a failed row, as in production. */
    private static Project breakable(Kind kind, Path dir, String broken, TestDatabase... dbs) {
        Project project = Project.create(kind, dir.resolve("project"));
        for (TestDatabase db : dbs) {
            Launch.Result good = project.prisma(db, "migrate", "deploy");
            assertEquals(0, good.exit(), good.toString());
        }
        project.add(broken);
        project.add(AFTER);
        for (TestDatabase db : dbs) {
            Launch.Result bad = project.prisma(db, "migrate", "deploy");
            assertEquals(1, bad.exit(), "the broken migration must fail: " + bad);
        }
        return project;
    }

    private static List<List<String>> allRows(TestDatabase db) {
        return db.query("SELECT * FROM _prisma_migrations ORDER BY started_at, id");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void createsTheDatabaseDeploysAndExecsThenSkipsPrismaWhenCurrent(Kind kind) throws Exception {
        Project project = Project.create(kind, dir.resolve("project"));
        try (TestDatabase db = TestDatabase.reserve(kind)) {
            Launch.Result first = project.launch(db).run(app());
            assertEquals(0, first.exit(), first.toString());
            assertEquals(first.pid() + "\n", first.stdout(), "the app runs as the launcher's PID, stdout untouched");
            assertTrue(appRan());
            assertTrue(db.exists());
            assertTrue(first.stderr().contains("database does not exist yet; 0 applied, 3 pending"), first.stderr());
            assertEquals(3, db.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL").size());

            // Current: Prisma is not started at all (a recording stand-in proves it).
            Path calls = dir.resolve("calls");
            Path recorder = Launch.script(dir.resolve("recording-prisma"), "echo \"$@\" >> " + calls + "; exit 1");
            Launch.Result second = project.launch(db).env("PRISMA_COMMAND", recorder.toString()).run(app());
            assertEquals(0, second.exit(), second.toString());
            assertFalse(Files.exists(calls), "prisma was started although nothing was pending");
            assertTrue(second.stderr().contains("3 applied"), second.stderr());

            // --always-deploy starts it anyway.
            Launch.Result forced = project.launch(db).env("PRISMA_COMMAND", recorder.toString()).run("migrate", "--always-deploy");
            assertEquals(5, forced.exit(), forced.toString());
            assertEquals("migrate deploy\n", Files.readString(calls));
        }
    }

    @ParameterizedTest
    @MethodSource("brokenMigrations")
    void withoutAStrategyAFailedMigrationStopsTheStartAndNothingIsWritten(Kind kind, String broken) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = breakable(kind, dir, broken, db);
            List<List<String>> before = allRows(db);

            Launch.Result r = project.launch(db).run(app());
            assertEquals(4, r.exit(), r.toString());
            assertTrue(r.stderr().contains("1 failed migration: " + broken), r.stderr());
            assertTrue(r.stderr().contains("MIGRATION_RESOLVE_STRATEGY=rolled-back"), r.stderr());
            assertFalse(appRan());
            assertEquals(before, allRows(db));

            Launch.Result status = project.launch(db).run("status", "--json");
            assertEquals(4, status.exit(), status.toString());
            assertTrue(status.stdout().contains("\"name\" : \"" + broken + "\",\n    \"state\" : \"failed\""), status.stdout());
            assertTrue(status.stdout().contains("\"upToDate\" : false"), status.stdout());
        }
    }

    @ParameterizedTest
    @MethodSource("brokenMigrations")
    void rolledBackRetriesTheFixedMigrationExactlyAsPrismaResolveWould(Kind kind, String broken) {
        try (TestDatabase ours = TestDatabase.create(kind); TestDatabase twin = TestDatabase.create(kind)) {
            Project project = breakable(kind, dir, broken, ours, twin);

            // The developer fixes the migration and ships it; the next start resolves and deploys.
            project.write(broken, fixedSql(kind, broken));
            Launch.Result twinResolve = project.prisma(twin, "migrate", "resolve", "--rolled-back", broken);
            assertEquals(0, twinResolve.exit(), twinResolve.toString());
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());

            Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run(app());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(appRan());
            assertTrue(r.stderr().contains("1 failed: " + broken), r.stderr());
            assertTrue(r.stderr().contains("strategy rolled-back: " + broken + ": marked row"), r.stderr());

            assertEquals(twin.query(PrismaTable.comparableRows(kind, null)), ours.query(PrismaTable.comparableRows(kind, null)));
            assertPrismaAgreesUpToDate(project, ours);
        }
    }

    @ParameterizedTest
    @MethodSource("brokenMigrations")
    void appliedRecordsTheHandFixedMigrationExactlyAsPrismaResolveWould(Kind kind, String broken) {
        try (TestDatabase ours = TestDatabase.create(kind); TestDatabase twin = TestDatabase.create(kind)) {
            Project project = breakable(kind, dir, broken, ours, twin);

            // An operator completes the migration by hand on both (the hotfix case).
            ours.execute(handFix(kind, broken));
            twin.execute(handFix(kind, broken));
            assertEquals(0, project.prisma(twin, "migrate", "resolve", "--applied", broken).exit());
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());

            Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "applied").run(app());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(appRan());
            assertTrue(r.stderr().contains("recorded as applied"), r.stderr());

            assertEquals(twin.query(PrismaTable.comparableRows(kind, null)), ours.query(PrismaTable.comparableRows(kind, null)));
            List<List<String>> inserted = ours.query("SELECT logs, applied_steps_count FROM _prisma_migrations"
                    + " WHERE migration_name = '" + broken + "' AND rolled_back_at IS NULL");
            assertEquals(List.of(List.of("", "0")), inserted, "resolve --applied writes logs '' and 0 steps");
            assertPrismaAgreesUpToDate(project, ours);
        }
    }

    @ParameterizedTest
    @MethodSource("brokenMigrations")
    void aMigrationThatFailsAgainAfterRollbackIsExit5AndTheAppDoesNotStart(Kind kind, String broken) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = breakable(kind, dir, broken, db);

            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run(app());
            assertEquals(5, r.exit(), r.toString());
            assertFalse(appRan());
            // one rolled-back row from us, one new failed row from the retry
            assertEquals(List.of(List.of("1", "1")), db.query("SELECT SUM(CASE WHEN rolled_back_at IS NOT NULL THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN rolled_back_at IS NULL AND finished_at IS NULL THEN 1 ELSE 0 END)"
                    + " FROM _prisma_migrations WHERE migration_name = '" + broken + "'"));
        }
    }

    static boolean secondPass() {
        return Launch.customLaunchForm();
    }

    /**
     * The core start on the oldest and newest PostgreSQL majors (13 and 17, started by the test set-up;
     * the local 15 runs every other test here and in AutoIT): the database created and migrated, the app
     * exec'd; then a failed migration, which auto's trial refuses while it would fail and resolves once
     * fixed; deploy, verify, exec.
     */
    @DisabledIf("secondPass") // the launch form changes nothing here: the first pass (java -jar) runs it on each major
    @ParameterizedTest
    @MethodSource("dev.prismalauncher.testing.PostgresServers#others")
    void theCoreStartOnEachPostgresMajor(PostgresServers.Pg pg) throws Exception {
        Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
        try (TestDatabase db = TestDatabase.reserve(pg)) {
            Launch.Result first = project.launch(db).run(app());
            assertEquals(0, first.exit(), pg + ": " + first);
            assertTrue(appRan());
            Files.delete(dir.resolve("app-ran"));

            project.add(NOT_NULL);
            project.add(AFTER);
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            List<List<String>> before = allRows(db);
            Launch.Result refused = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run(app());
            assertEquals(4, refused.exit(), pg + ": " + refused);
            assertTrue(refused.stderr().contains("refuse: fails now") && refused.stderr().contains("23502"), refused.stderr());
            assertEquals(before, allRows(db));
            assertFalse(appRan());

            project.write(NOT_NULL, fixedSql(Kind.POSTGRESQL, NOT_NULL));
            Launch.Result fixed = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run(app());
            assertEquals(0, fixed.exit(), pg + ": " + fixed);
            assertTrue(fixed.stderr().contains("decided rolled-back"), fixed.stderr());
            assertTrue(appRan());
            assertPrismaAgreesUpToDate(project, db);
        }
    }

    /** What `prisma migrate status` says (real CLI on PostgreSQL; our own status elsewhere). */
    private static void assertPrismaAgreesUpToDate(Project project, TestDatabase db) {
        if (db.kind() == Kind.POSTGRESQL) {
            Launch.Result status = project.prisma(db, "migrate", "status");
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.stdout().contains("Database schema is up to date!"), status.toString());
        }
        Launch.Result ours = project.launch(db).run("status");
        assertEquals(0, ours.exit(), ours.toString());
    }

    static String fixedSql(Kind kind, String broken) {
        Sql sql = Sql.of(kind);
        if (broken.equals(NOT_NULL)) {
            return "ALTER TABLE " + sql.quote("User") + " ADD COLUMN " + sql.quote("email") + " " + sql.stringType() + " NOT NULL DEFAULT 'unknown';\n";
        }
        return "CREATE TABLE " + sql.quote("Comment") + " (" + sql.serialId() + ");\n";
    }

    static String[] handFix(Kind kind, String broken) {
        return new String[] {fixedSql(kind, broken).replace("'unknown'", "''")};
    }
}
