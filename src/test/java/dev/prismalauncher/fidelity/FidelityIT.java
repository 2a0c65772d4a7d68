package dev.prismalauncher.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle: for each edge of Prisma 7's rules, the state is built once (with the real Prisma
 * CLI), cloned to twin databases, the launcher runs on one and `prisma migrate status | deploy |
 * resolve` on the other, and both must end the same way: same refusal or same success, same rows
 * (all columns but ids and timestamps), same order.
 */
class FidelityIT {
    private static final Kind PG = Kind.POSTGRESQL;
    /** The fixture's three migrations, deployed once by Prisma: every case starts from a copy. */
    private static TestDatabase base;
    private static Path baseDir;

    @TempDir
    Path dir;

    @BeforeAll
    static void deployOnce() throws IOException {
        baseDir = Files.createTempDirectory("fidelity");
        base = TestDatabase.create(PG);
        Launch.Result r = Project.create(PG, baseDir.resolve("project")).prisma(base, "migrate", "deploy");
        assertEquals(0, r.exit(), r.toString());
    }

    @AfterAll
    static void dropBase() throws IOException {
        if (base != null) {
            base.close();
        }
        deleteRecursively(baseDir);
    }

    private Project project() {
        return Project.create(PG, dir.resolve("project"));
    }

    private static List<List<String>> rows(TestDatabase db) {
        return db.query(PrismaTable.comparableRows(PG, null));
    }

    private static String[] app(Path marker) {
        return new String[] {"run", "--", "touch", marker.toString()};
    }

    /** Runs `prisma migrate deploy` on one twin and the launcher's `run` on the other; both must agree. */
    private Launch.Result sameOutcomeAsDeploy(Project project, TestDatabase ours, TestDatabase twin) {
        Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
        Path marker = dir.resolve("app-ran");
        Launch.Result launcher = project.launch(ours).run(app(marker));
        assertEquals(prisma.exit() == 0, launcher.exit() == 0,
                "prisma migrate deploy and the launcher disagree:\nprisma: " + prisma + "\nlauncher: " + launcher);
        assertEquals(launcher.exit() == 0, Files.exists(marker), launcher.toString());
        assertEquals(rows(twin), rows(ours), "rows differ from Prisma's");
        return launcher;
    }

    @Test
    void aSymlinkedFolderIsNoMigrationAsForPrisma() throws IOException {
        Project project = project();
        Path elsewhere = dir.resolve("shared/20250104000000_linked");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("migration.sql"), "CREATE TABLE \"Linked\" (id INT);\n");
        Files.createSymbolicLink(project.migrations().resolve("20250104000000_linked"), elsewhere);
        try (TestDatabase ours = base.copy(); TestDatabase twin = base.copy()) {
            Launch.Result r = sameOutcomeAsDeploy(project, ours, twin);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("20250104000000_linked is a symbolic link"), r.stderr());
            assertTrue(r.stderr().contains("prisma migrate deploy not needed"), r.stderr());
        }
    }

    @Test
    void migrationsRunAndAreListedInPrismasOrder() throws IOException {
        Project project = project();
        deleteFolders(project);
        List<String> names = List.of("2_Zeta", "10_users", "2_alpha", "1_init", "2-beta", "2_beta");
        for (String n : names) {
            project.write(n, "CREATE TABLE \"t_" + n + "\" (id INT);\n");
        }
        try (TestDatabase ours = TestDatabase.create(PG); TestDatabase twin = ours.copy()) {
            Launch.Result prismaStatus = project.prisma(twin, "migrate", "status");
            List<String> prismaListed = listedAfter(prismaStatus.stdout(), "have not yet been applied:");
            Launch.Result ourStatus = project.launch(ours).run("status", "--json");
            Launch.Result plan = project.launch(ours).run("migrate", "--dry-run");
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
            List<String> applied = twin.query("SELECT migration_name FROM _prisma_migrations ORDER BY started_at").stream()
                    .map(List::getFirst).toList();
            assertEquals(List.of("1_init", "10_users", "2_alpha", "2_beta", "2_Zeta", "2-beta"), applied, "the order prisma applied");
            assertEquals(applied, prismaListed, prismaStatus.toString());
            assertEquals(applied, jsonNames(ourStatus.stdout()), ourStatus.toString());
            assertTrue(plan.stdout().contains("would apply: " + String.join(", ", applied)), plan.toString());
            Launch.Result r = project.launch(ours).run(app(dir.resolve("ran")));
            assertEquals(0, r.exit(), r.toString());
            assertEquals(rows(twin), rows(ours));
        }
    }

    @Test
    void appliedRecordsTheChecksumOfTheTextPrismaReads() throws IOException {
        Project project = project();
        String name = "20250104000000_latin1";
        // not valid UTF-8 (a Latin-1 é), and fails on apply: a failed row on both twins
        Files.createDirectories(project.migrations().resolve(name));
        Files.write(project.migrations().resolve(name).resolve("migration.sql"),
                "-- caf\u00e9 au lait\nSELECT 1/0;\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        try (TestDatabase failed = base.copy()) {
            assertEquals(1, project.prisma(failed, "migrate", "deploy").exit());
            try (TestDatabase ours = failed.copy(); TestDatabase twin = failed.copy()) {
                assertEquals(0, project.prisma(twin, "migrate", "resolve", "--applied", name).exit());
                Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "applied").run(app(dir.resolve("ran")));
                assertEquals(0, r.exit(), r.toString());
                assertEquals(rows(twin), rows(ours), "the checksum differs from Prisma's");
                // and both sides now call it unmodified
                Launch.Result status = project.launch(ours).run("status", "--json");
                assertTrue(status.stdout().contains("\"modifiedAfterApply\" : 0"), status.stdout());
                Launch.Result prismaStatus = project.prisma(ours, "migrate", "status");
                assertEquals(0, prismaStatus.exit(), prismaStatus.toString());
            }
        }
    }

    @Test
    void lockFilesPrismaRefusesAreRefusedWithP3019() throws IOException {
        Project project = project();
        Path lock = project.migrations().resolve("migration_lock.toml");
        List<String> refused = List.of("", "# Please do not edit this file manually\n", "provider=\"postgresql\"\n",
                "  provider = \"postgresql\"\n", "provider = 'postgresql'\n", "provider = \"cockroachdb\"\n");
        try (TestDatabase ours = base.copy(); TestDatabase twin = base.copy()) {
            for (String content : refused) {
                Files.writeString(lock, content);
                Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
                assertEquals(1, prisma.exit(), "prisma accepted " + content + ": " + prisma);
                assertTrue((prisma.stdout() + prisma.stderr()).contains("P3019"), prisma.toString());
                Launch.Result r = project.launch(ours).run(app(dir.resolve("ran")));
                assertEquals(2, r.exit(), "lock file " + content + ": " + r);
                assertTrue(r.stderr().contains("P3019"), r.stderr());
            }
            assertFalse(Files.exists(dir.resolve("ran")));
            // no lock file at all: Prisma does not check, and neither does the launcher
            Files.delete(lock);
            Launch.Result r = sameOutcomeAsDeploy(project, ours, twin);
            assertEquals(0, r.exit(), r.toString());
        }
    }

    @Test
    void anAppliedFolderWithoutItsScriptAndOddNamesProceedAsWithPrisma() throws IOException {
        Project project = project();
        Files.delete(project.migrations().resolve("20250101000000_init/migration.sql"));
        for (String n : List.of("20250104000000_it's", "20250105000000_back\\slash", "20250106000000_tab\there")) {
            project.write(n, "CREATE TABLE \"t" + n.substring(15, 17) + "\" (id INT);\n");
        }
        try (TestDatabase ours = base.copy(); TestDatabase twin = base.copy()) {
            Launch.Result r = sameOutcomeAsDeploy(project, ours, twin);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("20250101000000_init has no migration.sql"), r.stderr());
            assertTrue(r.stderr().contains("20250106000000_tab\\u0009here"), "control characters are escaped in the log: " + r.stderr());
            assertEquals(6, ours.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL").size());
        }
    }

    @Test
    void nonAsciiFolderNamesNeedAUtf8Locale() {
        Project project = project();
        project.write("20250104000000_café", "CREATE TABLE \"Café\" (id INT);\n");
        try (TestDatabase ours = base.copy(); TestDatabase twin = base.copy()) {
            Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result r;
            if (Launch.launcherCommand().getLast().endsWith("entrypoint")) {
                // the entrypoint gives the JVM LC_CTYPE=C.UTF-8 when the container sets no locale: read as node reads it
                r = project.launch(ours).env("LANG", null).env("LC_ALL", null).env("LC_CTYPE", null).run(app(dir.resolve("ran")));
            } else {
                // java -jar without a UTF-8 locale cannot read the name as node does: refused, naming the fix
                Launch.Result ascii = project.launch(ours).env("LANG", null).env("LC_ALL", null).env("LC_CTYPE", null).run(app(dir.resolve("x")));
                assertEquals(2, ascii.exit(), ascii.toString());
                assertTrue(ascii.stderr().contains("set LANG=C.UTF-8"), ascii.stderr());
                r = project.launch(ours).env("LANG", "C.UTF-8").run(app(dir.resolve("ran")));
            }
            assertEquals(0, r.exit(), r.toString());
            assertEquals(rows(twin), rows(ours));
        }
    }

    @Test
    void theDryRunPromisesWhatDeployDoes() throws IOException {
        Project project = project();
        String gone = "20250104000000_gone";
        project.write(gone, "SELECT 1/0;\n");
        try (TestDatabase failed = base.copy()) {
            assertEquals(1, project.prisma(failed, "migrate", "deploy").exit());
            // the folder of the failed migration is deleted, and a new one is added
            deleteRecursively(project.migrations().resolve(gone));
            project.write("20250105000000_next", "CREATE TABLE \"Next\" (id INT);\n");
            try (TestDatabase ours = failed.copy(); TestDatabase twin = failed.copy()) {
                Launch.Result plan = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate", "--dry-run");
                assertEquals(0, plan.exit(), plan.toString());
                assertEquals(0, project.prisma(twin, "migrate", "resolve", "--rolled-back", gone).exit());
                assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
                List<String> deployed = twin.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL"
                        + " AND migration_name > '20250104' ORDER BY started_at").stream().map(List::getFirst).toList();
                assertEquals(List.of("20250105000000_next"), deployed);
                assertTrue(plan.stdout().contains("would apply: 20250105000000_next\n"), plan.stdout());
                Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run(app(dir.resolve("ran")));
                assertEquals(0, r.exit(), r.toString());
                assertEquals(rows(twin), rows(ours));
            }
        }
    }

    /** No database yet: the dry run and status say so and what deploy would apply, and create nothing; Prisma then does as promised. */
    @Test
    void aDatabaseNotThereYetIsPlannedAndReportedWithoutCreatingIt() {
        Project project = project();
        try (TestDatabase ours = TestDatabase.reserve(PG); TestDatabase twin = TestDatabase.reserve(PG)) {
            Launch.Result plan = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate", "--dry-run");
            assertEquals(0, plan.exit(), plan.toString());
            assertTrue(plan.stdout().contains("  the database would be created by prisma migrate deploy\n"), plan.stdout());
            assertTrue(plan.stdout().contains(" would apply: 20250101000000_init, 20250102000000_add_post, 20250103000000_add_index\n"),
                    plan.stdout());
            Launch.Result status = project.launch(ours).run("status");
            assertEquals(6, status.exit(), status.toString());
            assertTrue(status.stdout().contains("(does not exist yet)"), status.stdout());
            assertFalse(ours.exists(), "a dry run and status create nothing");
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
            assertEquals(List.of(List.of("20250101000000_init"), List.of("20250102000000_add_post"), List.of("20250103000000_add_index")),
                    twin.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY started_at"));
        }
    }

    // --- issue 18 item 5: the last divergences from Prisma's own decisions ---------------------------

    private static boolean hasMigrationsTable(TestDatabase db) {
        return db.query("SELECT count(*) FROM information_schema.tables WHERE table_name = '_prisma_migrations'")
                .getFirst().getFirst().equals("1");
    }

    /**
     * No _prisma_migrations and nothing pending: Prisma's deploy creates the table, so does the
     * launcher's start (both engines). Before, it skipped the deploy, and once the app had made a
     * table of its own, the first migration of the next release met P3005 on every start.
     */
    @Test
    void aMissingMigrationsTableIsCreatedAsPrismaCreatesIt() throws IOException {
        Project project = project();
        deleteFolders(project);
        try (TestDatabase ours = TestDatabase.create(PG); TestDatabase jdbc = TestDatabase.create(PG); TestDatabase twin = TestDatabase.create(PG)) {
            Launch.Result plan = project.launch(ours).run("migrate", "--dry-run");
            assertEquals(0, plan.exit(), plan.toString());
            assertTrue(plan.stdout().contains("_prisma_migrations would be created by `"), plan.stdout());
            assertFalse(hasMigrationsTable(ours), "a dry run changes nothing");

            Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
            assertEquals(0, prisma.exit(), prisma.toString());
            assertTrue(hasMigrationsTable(twin), "Prisma 7.10.1 creates the table with nothing to apply: " + prisma);
            Path marker = dir.resolve("app-ran");
            Launch.Result r = project.launch(ours).run(app(marker));
            assertEquals(0, r.exit(), r.toString());
            assertTrue(Files.exists(marker));
            assertTrue(hasMigrationsTable(ours), r.toString());
            Launch.Result engine = project.launch(jdbc).env("DEPLOY_ENGINE", "jdbc").run("migrate");
            assertEquals(0, engine.exit(), engine.toString());
            assertTrue(hasMigrationsTable(jdbc), "the JDBC engine's initialize creates it too: " + engine);
            assertEquals(rows(twin), rows(ours));
            assertEquals(rows(twin), rows(jdbc));

            // the next release: the app has made a table of its own meanwhile; its first migration applies, no P3005
            for (TestDatabase db : List.of(ours, jdbc, twin)) {
                db.execute("CREATE TABLE app_own (id INT)");
            }
            project.write("20250101000000_first", "CREATE TABLE \"First\" (id INT);\n");
            Launch.Result next = sameOutcomeAsDeploy(project, ours, twin);
            assertEquals(0, next.exit(), next.toString());
            Launch.Result nextJdbc = project.launch(jdbc).env("DEPLOY_ENGINE", "jdbc").run("migrate");
            assertEquals(0, nextJdbc.exit(), nextJdbc.toString());
            assertEquals(rows(twin), rows(jdbc));
        }
    }

    /**
     * A failed row beside an applied row of the same name: `prisma migrate resolve --rolled-back`
     * marks the failed row, and deploy does not run the migration again (it has an applied row).
     * The dry run must promise that, not a re-run; the start must end with Prisma's rows.
     */
    @Test
    void aFailedRowBesideAnAppliedOneIsNotRunAgain() throws IOException {
        Project project = project();
        String twice = "20250103000000_add_index";
        project.write("20250104000000_next", "CREATE TABLE \"Next\" (id INT);\n");
        try (TestDatabase state = base.copy()) {
            String checksum = state.query("SELECT checksum FROM _prisma_migrations WHERE migration_name = '" + twice + "'").getFirst().getFirst();
            state.execute("INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at, applied_steps_count)"
                    + " VALUES ('again', '" + checksum + "', '" + twice + "', 'ERROR: it failed the second time', now(), 0)");
            try (TestDatabase ours = state.copy(); TestDatabase twin = state.copy()) {
                Launch.Result plan = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate", "--dry-run");
                assertEquals(0, plan.exit(), plan.toString());
                assertTrue(plan.stdout().contains(twice + ": would be marked rolled back (row again)"), plan.stdout());
                assertTrue(plan.stdout().contains("would apply: 20250104000000_next\n"), plan.stdout());

                assertEquals(0, project.prisma(twin, "migrate", "resolve", "--rolled-back", twice).exit());
                Launch.Result deploy = project.prisma(twin, "migrate", "deploy");
                assertEquals(0, deploy.exit(), deploy.toString());
                assertEquals(List.of(List.of("1")), twin.query("SELECT count(*) FROM _prisma_migrations WHERE migration_name = '" + twice
                        + "' AND finished_at IS NOT NULL"), "Prisma did not run it again");
                Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run(app(dir.resolve("ran")));
                assertEquals(0, r.exit(), r.toString());
                assertEquals(rows(twin), rows(ours));
            }
        }
    }

    /**
     * applied, and the database refuses the row (a column of its own, NOT NULL without a default):
     * Prisma's resolve fails half-way; the launcher's resolve is one transaction, so nothing
     * changes, and the exit says so: 4 with the reason, not 1.
     */
    @Test
    void appliedThatTheDatabaseRefusesToRecordIsExit4WithNothingChanged() throws IOException {
        Project project = project();
        String gone = "20250104000000_gone";
        project.write(gone, "SELECT 1/0;\n");
        try (TestDatabase state = base.copy()) {
            assertEquals(1, project.prisma(state, "migrate", "deploy").exit());
            state.execute("ALTER TABLE _prisma_migrations ADD COLUMN tenant TEXT NOT NULL DEFAULT 'x'",
                    "ALTER TABLE _prisma_migrations ALTER COLUMN tenant DROP DEFAULT");
            try (TestDatabase ours = state.copy(); TestDatabase twin = state.copy()) {
                Launch.Result prisma = project.prisma(twin, "migrate", "resolve", "--applied", gone);
                assertTrue(prisma.exit() != 0, "Prisma cannot insert its row either: " + prisma);
                List<List<String>> before = rows(ours);
                Path marker = dir.resolve("app-ran");
                Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "applied").run(app(marker));
                assertEquals(4, r.exit(), r.toString());
                assertTrue(r.stderr().contains("the resolve of " + gone + " could not be written to _prisma_migrations"), r.stderr());
                assertTrue(r.stderr().contains("tenant"), "the database's reason: " + r.stderr());
                assertTrue(r.stderr().contains("Nothing was changed"), r.stderr());
                assertEquals(before, rows(ours), "one transaction: the failed row is not half-resolved");
                assertFalse(Files.exists(marker));
                r.assertNoSecrets();
            }
        }
    }

    /** The names Prisma's status lists after a heading, one per line, up to a blank line. */
    private static List<String> listedAfter(String out, String heading) {
        List<String> names = new ArrayList<>();
        boolean in = false;
        for (String line : out.lines().toList()) {
            if (line.contains(heading)) {
                in = true;
            } else if (in && line.isBlank()) {
                if (!names.isEmpty()) {
                    break;
                }
            } else if (in) {
                names.add(line.strip());
            }
        }
        return names;
    }

    private static List<String> jsonNames(String json) {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\"name\" : \"([^\"]*)\"").matcher(json);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static void deleteFolders(Project project) throws IOException {
        try (Stream<Path> s = Files.list(project.migrations())) {
            for (Path p : s.filter(Files::isDirectory).toList()) {
                deleteRecursively(p);
            }
        }
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
