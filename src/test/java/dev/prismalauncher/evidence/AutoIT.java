package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIGRATION_RESOLVE_STRATEGY=auto end to end (issue 10's cases): the real Prisma CLI on
 * PostgreSQL, the MySQL stand-in on MariaDB; every resolve compared with `prisma migrate resolve`
 * on a twin database. Each case prints the launcher's evidence table to the test output.
 */
// Decisions and timing over JDBC, the same whichever way the launcher was started: the jar pass
// runs them, the entrypoint pass (CI's time budget) does not.
@DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
class AutoIT {
    static final String NOT_NULL = "20250104000000_not_null_email";
    static final String AFTER = "20250105000000_after";

    @TempDir
    Path dir;

    private static List<List<String>> rows(TestDatabase db) {
        return db.query("SELECT * FROM _prisma_migrations ORDER BY started_at, id");
    }

    private static void show(String what, Launch.Result r) {
        System.out.println("=== AutoIT " + what + " (exit " + r.exit() + ")\n--- stdout\n" + r.stdout() + "--- stderr\n" + r.stderr());
    }

    /** PostgreSQL, a real P3009: ADD COLUMN ... NOT NULL on a table with rows, then an unrelated pending migration. */
    private Project brokenPg(TestDatabase... dbs) {
        Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
        for (TestDatabase db : dbs) {
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
        }
        project.add(NOT_NULL);
        project.add(AFTER);
        for (TestDatabase db : dbs) {
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
        }
        return project;
    }

    @Test
    void case1PostgresNotNullOverNullsRefusesThenTheFixedMigrationIsRolledBackAndDeployed() throws Exception {
        try (TestDatabase ours = TestDatabase.create(Kind.POSTGRESQL); TestDatabase twin = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = brokenPg(ours, twin);
            List<List<String>> before = rows(ours);
            String schemaBefore = pgDump(ours);

            Launch.Result refused = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            show("case 1, rows still NULL", refused);
            assertEquals(4, refused.exit(), refused.toString());
            assertTrue(refused.stderr().contains("refuse: fails now"), refused.stderr());
            assertTrue(refused.stderr().contains("contains null values") && refused.stderr().contains("23502"), refused.stderr());
            assertTrue(refused.stderr().contains("backfill the NULLs"), refused.stderr());
            assertEquals(before, rows(ours), "nothing written");
            assertEquals(schemaBefore, pgDump(ours), "schema and data untouched");

            Launch.Result plain = project.launch(ours).run("status", "--json");
            assertEquals(4, plain.exit(), plain.toString());
            assertNull(new ObjectMapper().readTree(plain.stdout()).get("migrations").get(3).get("evidence"),
                    "no trial on a plain status: only with MIGRATION_RESOLVE_STRATEGY=auto");
            Launch.Result status = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("status", "--json");
            assertEquals(4, status.exit(), status.toString());
            JsonNode failed = new ObjectMapper().readTree(status.stdout()).get("migrations").get(3);
            assertEquals(NOT_NULL, failed.get("name").asText());
            JsonNode evidence = failed.get("evidence");
            assertEquals("refuse: fails now", evidence.get("decision").asText());
            JsonNode statement = evidence.get("statements").get(0);
            assertEquals(1, statement.get("index").asInt());
            assertEquals("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;", statement.get("firstLine").asText());
            assertEquals("absent", statement.get("effect").asText());
            assertEquals("failed", statement.get("trial").asText());
            assertTrue(statement.get("error").asText().contains("contains null values"), statement.toString());

            // The fix ships (a DEFAULT); auto now sees it absent and the trial succeeding: rolled back, deployed.
            project.write(NOT_NULL, "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'unknown';\n");
            assertEquals(0, project.prisma(twin, "migrate", "resolve", "--rolled-back", NOT_NULL).exit());
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());
            Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").env("LOG_FORMAT", "json").run("migrate");
            show("case 1, fixed migration.sql", r);
            assertEquals(0, r.exit(), r.toString());
            JsonNode audit = event(r, "resolve");
            assertEquals("auto", audit.get("strategy").asText());
            assertEquals("rolled-back", audit.get("decision").asText());
            assertTrue(audit.get("reasons").toString().contains("trial run (rolled back) succeeds"), audit.toString());
            assertEquals(twin.query(PrismaTable.comparableRows(Kind.POSTGRESQL, null)), ours.query(PrismaTable.comparableRows(Kind.POSTGRESQL, null)));
            assertPrismaUpToDate(project, ours);
        }
    }

    @Test
    void case2PostgresEffectsPresentAfterAHandHotfixAreRecordedAsApplied() {
        try (TestDatabase ours = TestDatabase.create(Kind.POSTGRESQL); TestDatabase twin = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = brokenPg(ours, twin);
            for (TestDatabase db : List.of(ours, twin)) {
                // the hotfix, by hand, making the column exactly as the statement would (issue 18: a DEFAULT it does not have is another shape)
                db.execute("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT", "UPDATE \"User\" SET \"email\" = ''",
                        "ALTER TABLE \"User\" ALTER COLUMN \"email\" SET NOT NULL");
            }
            assertEquals(0, project.prisma(twin, "migrate", "resolve", "--applied", NOT_NULL).exit());
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());

            Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            show("case 2, hand hotfix", r);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("strategy auto: " + NOT_NULL + ": marked row"), r.stderr());
            assertTrue(r.stderr().contains("decided applied"), r.stderr());
            assertEquals(twin.query(PrismaTable.comparableRows(Kind.POSTGRESQL, null)), ours.query(PrismaTable.comparableRows(Kind.POSTGRESQL, null)));
            assertPrismaUpToDate(project, ours);
        }
    }

    @Test
    void case2PostgresEngineKilledMidScriptWhoseTransactionCommittedIsRecordedAsApplied() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            String slow = "20250104000000_slow";
            project.write(slow, "SELECT pg_sleep(3);\nCREATE TABLE \"Slow\" (\"id\" INTEGER NOT NULL);\n");
            // the catalog cannot show what a SELECT did (issue 18): the migration's verify.sql proves it, and Prisma ignores the file
            Files.writeString(project.migrations().resolve(slow).resolve("verify.sql"), "SELECT to_regclass('\"Slow\"') IS NOT NULL\n");
            List<String> command = new ArrayList<>(project.prismaCommand());
            command.addAll(List.of("migrate", "deploy"));
            ProcessBuilder b = new ProcessBuilder(command).directory(project.dir().toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("deploy.log").toFile());
            b.environment().clear();
            b.environment().putAll(project.launch(db).environment());
            Process deploy = b.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // active, and not one of these polls (a closed poll's backend can linger in pg_stat_activity with its text)
            while (db.query("SELECT 1 FROM pg_stat_activity WHERE datname = '" + db.name() + "' AND state = 'active'"
                    + " AND query LIKE '%pg_sleep(3)%' AND query NOT LIKE '%pg_stat_activity%' AND pid <> pg_backend_pid()").isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the migration never started");
                Thread.sleep(50);
            }
            deploy.descendants().forEach(ProcessHandle::destroyForcibly); // the engine dies mid-script
            deploy.destroyForcibly();
            deploy.waitFor(30, TimeUnit.SECONDS);
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Slow'").isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "PostgreSQL did not finish the script of the killed engine");
                Thread.sleep(100);
            }
            assertEquals(List.of(List.of("1")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE migration_name = '" + slow
                    + "' AND finished_at IS NULL AND rolled_back_at IS NULL"), "a failed row for a script that committed");

            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").env("LOCK_TIMEOUT", "60s").run("migrate");
            show("case 2, engine killed mid-script", r);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("decided applied"), r.stderr());
            assertEquals(List.of(List.of("1", "1")), db.query("SELECT SUM(CASE WHEN rolled_back_at IS NOT NULL THEN 1 ELSE 0 END),"
                    + " SUM(CASE WHEN finished_at IS NOT NULL AND rolled_back_at IS NULL THEN 1 ELSE 0 END) FROM _prisma_migrations"
                    + " WHERE migration_name = '" + slow + "'"));
            assertPrismaUpToDate(project, db);
        }
    }

    @Test
    void case3MariaDbThePostMortemColumnPresentWithoutNullsIsApplied() {
        try (TestDatabase ours = TestDatabase.create(Kind.MYSQL); TestDatabase twin = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            project.write("20250104000000_server", "CREATE TABLE `Server` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n"
                    + "INSERT INTO `Server` (`id`) VALUES (1), (2);\n");
            String sshPort = "20250105000000_ssh_port";
            String alter = "ALTER TABLE `Server` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22";
            for (TestDatabase db : List.of(ours, twin)) {
                assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
                db.execute(alter); // someone ran it by hand: the deploy now fails on the duplicate column, a failed row
            }
            project.write(sshPort, "-- AlterTable\n" + alter + ";\n");
            for (TestDatabase db : List.of(ours, twin)) {
                assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            }
            assertEquals(0, project.prisma(twin, "migrate", "resolve", "--applied", sshPort).exit());
            assertEquals(0, project.prisma(twin, "migrate", "deploy").exit());

            Launch.Result r = project.launch(ours).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            show("case 3, MariaDB post-mortem", r);
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("column sshPort exists as migration.sql makes it"), r.stderr());
            assertTrue(r.stderr().contains("decided applied"), r.stderr());
            assertEquals(twin.query(PrismaTable.comparableRows(Kind.MYSQL, null)), ours.query(PrismaTable.comparableRows(Kind.MYSQL, null)));
            assertEquals(0, project.launch(ours).run("status").exit());
        }
    }

    @Test
    void case4MariaDbFirstStatementCommittedSecondFailedRefusesWithTheTable() {
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            String half = "20250104000000_half";
            project.write(half, "-- CreateTable\nCREATE TABLE `Tag` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`));\n\n"
                    + "-- AlterTable\nALTER TABLE `User` ADD COLUMN `email` VARCHAR(191) NOT NULL,\n    ADD UNIQUE INDEX `User_email_key`(`email`);\n");
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            List<List<String>> before = rows(db);

            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            show("case 4, MariaDB partly applied", r);
            assertEquals(4, r.exit(), r.toString());
            assertTrue(r.stderr().contains("refuse: partly applied"), r.stderr());
            assertTrue(r.stderr().matches("(?s).*  1  CREATE TABLE `Tag` .*present .*"), r.stderr());
            assertTrue(r.stderr().matches("(?s).*  2  ALTER TABLE `User` ADD COLUMN `email` .*absent .*"), r.stderr());
            assertTrue(r.stderr().contains("prisma migrate resolve --applied " + half) && r.stderr().contains("prisma migrate resolve --rolled-back " + half),
                    "both ways out: " + r.stderr());
            assertEquals(before, rows(db), "nothing changed");

            Launch.Result dry = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate", "--dry-run");
            show("case 4, dry run", dry);
            assertEquals(4, dry.exit(), dry.toString());
            assertTrue(dry.stdout().contains("evidence for " + half) && dry.stdout().contains("decision: refuse: partly applied"), dry.stdout());
        }
    }

    @Test
    void case5ADataOnlyMigrationCannotBeTold() {
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            String data = "20250104000000_data";
            project.write(data, "UPDATE `User` SET `name` = CONCAT(`name`, '!');\nINSERT INTO `Audit` (`what`) VALUES ('renamed');\n");
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            List<List<String>> before = rows(db);
            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            show("case 5, data only", r);
            assertEquals(4, r.exit(), r.toString());
            assertTrue(r.stderr().contains("refuse: cannot tell"), r.stderr());
            assertTrue(r.stderr().contains("cannot tell whether it ran"), r.stderr());
            assertEquals(before, rows(db));
        }
    }

    @Test
    void case7DryRunAndTheTrialLeaveTheDatabaseByteIdentical() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = brokenPg(db);
            String before = pgDump(db);
            // trial fails (rows hold NULL): refused
            Launch.Result refused = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate", "--dry-run");
            show("case 7, dry run, trial fails", refused);
            assertEquals(4, refused.exit(), refused.toString());
            assertTrue(refused.stdout().contains("decision: refuse: fails now"), refused.stdout());
            assertEquals(before, pgDump(db));
            // trial succeeds: the plan says rolled back, then deploy
            project.write(NOT_NULL, "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'unknown';\nCREATE INDEX \"User_email_idx\" ON \"User\"(\"email\");\n");
            Launch.Result dry = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("run", "--dry-run", "--", "touch", dir.resolve("app-ran").toString());
            show("case 7, dry run, trial succeeds", dry);
            assertEquals(0, dry.exit(), dry.toString());
            assertTrue(dry.stdout().contains("decision: rolled-back"), dry.stdout());
            assertTrue(dry.stdout().contains(NOT_NULL + ": would be marked rolled back"), dry.stdout());
            assertTrue(dry.stdout().contains("would apply: " + NOT_NULL + ", " + AFTER), dry.stdout());
            assertFalse(Files.exists(dir.resolve("app-ran")));
            assertEquals(before, pgDump(db), "schema and data byte-identical after the dry run and its trial");
            // status with auto runs the trial too
            assertEquals(4, project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("status").exit());
            assertEquals(before, pgDump(db));
            assertEquals(List.of(), db.query("SELECT pid FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = '"
                    + db.name() + "') AND pid <> pg_backend_pid()"), "no lock held");
        }
    }

    @Test
    void case8TwentyLaunchersWithAutoMakeOneDecisionAndOneResolve() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = brokenPg(db);
            project.write(NOT_NULL, "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'unknown';\n");
            List<Running> pods = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                pods.add(new Running(project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").env("LOG_FORMAT", "json")
                        .start("run", "--", "echo", "app " + i)));
            }
            int decisions = 0;
            int resolves = 0;
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < 20; i++) {
                Launch.Result r = pods.get(i).await(Duration.ofSeconds(180));
                assertEquals(0, r.exit(), "pod " + i + ": " + r);
                assertEquals("app " + i + "\n", r.stdout());
                for (String line : r.stderr().lines().toList()) {
                    JsonNode e = json.readTree(line);
                    if (e.path("event").asText().equals("evidence")) {
                        decisions++;
                        System.out.println("=== AutoIT case 8, pod " + i + " decided\n" + e.path("message").asText());
                        assertEquals("rolled-back", e.path("decision").asText());
                    }
                    if (e.path("event").asText().equals("resolve")) {
                        resolves++;
                        assertEquals("rolled-back", e.path("decision").asText());
                    }
                }
            }
            assertEquals(1, decisions, "one decision");
            assertEquals(1, resolves, "one resolve");
            assertEquals(List.of(
                    List.of("20250101000000_init", "1", "0"),
                    List.of("20250102000000_add_post", "1", "0"),
                    List.of("20250103000000_add_index", "1", "0"),
                    List.of(NOT_NULL, "1", "1"),
                    List.of(AFTER, "1", "0")),
                    db.query("SELECT migration_name, SUM(CASE WHEN finished_at IS NOT NULL AND rolled_back_at IS NULL THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN rolled_back_at IS NOT NULL THEN 1 ELSE 0 END) FROM _prisma_migrations"
                            + " GROUP BY migration_name ORDER BY migration_name"), "every migration applied once");
        }
    }

    private static JsonNode event(Launch.Result r, String name) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode found = null;
        for (String line : r.stderr().lines().toList()) {
            JsonNode e = json.readTree(line);
            if (e.path("event").asText().equals(name)) {
                assertEquals(null, found, "one " + name + " event");
                found = e;
            }
        }
        assertTrue(found != null, "no " + name + " event: " + r.stderr());
        return found;
    }

    private static void assertPrismaUpToDate(Project project, TestDatabase db) {
        Launch.Result status = project.prisma(db, "migrate", "status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.stdout().contains("Database schema is up to date!"), status.toString());
    }

    /** pg_dump of schema and data (the real tool): what "byte-identical" is measured with. */
    private static String pgDump(TestDatabase db) throws Exception {
        Process p = new ProcessBuilder("pg_dump", "-h", db.host(), "-p", String.valueOf(db.port()), "-U", "postgres", "--no-owner", "--restrict-key=autoit", db.name())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        return out;
    }
}
