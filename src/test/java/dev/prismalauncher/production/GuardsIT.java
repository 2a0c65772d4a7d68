package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Crash-loop guard, dry runs, JSON logs and the Kubernetes termination message. */
// Decisions and timing over JDBC, the same whichever way the launcher was started: the jar pass
// runs them, the entrypoint pass (CI's time budget) does not.
@DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
class GuardsIT {
    static final String BROKEN = "20250104000000_not_null_email";

    @TempDir
    Path dir;

    private Project broken(Kind kind, TestDatabase db) {
        Project project = Project.create(kind, dir.resolve("project"));
        assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
        project.add(BROKEN);
        project.add("20250105000000_after");
        assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
        return project;
    }

    private static List<List<String>> dump(TestDatabase db) {
        return db.query("SELECT * FROM _prisma_migrations ORDER BY started_at, id");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSameBrokenMigrationThreeStartsInARowThenTheFourthRefuses(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = broken(kind, db);
            for (int start = 1; start <= 3; start++) {
                Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
                assertEquals(5, r.exit(), "start " + start + ": " + r);
            }
            List<List<String>> before = dump(db);
            Launch.Result fourth = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
            assertEquals(4, fourth.exit(), fourth.toString());
            assertTrue(fourth.stderr().contains("crash-loop guard, MAX_RESOLVE_ATTEMPTS=3"), fourth.stderr());
            assertTrue(fourth.stderr().contains("prisma migrate resolve --rolled-back " + BROKEN), fourth.stderr());
            assertEquals(before, dump(db), "the refusing start changes nothing");

            Launch.Result raised = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").env("MAX_RESOLVE_ATTEMPTS", "4").run("migrate");
            assertEquals(5, raised.exit(), "a higher limit allows one more attempt: " + raised);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void dryRunPrintsThePlanAndChangesNothing(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = broken(kind, db);
            List<List<String>> before = dump(db);
            for (String strategy : List.of("rolled-back", "applied")) {
                Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", strategy)
                        .run("run", "--dry-run", "--", "touch", dir.resolve("app-ran").toString());
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.stdout().contains(BROKEN + ": would be " + (strategy.equals("applied") ? "marked rolled back" : "marked rolled back")), r.stdout());
                if (strategy.equals("applied")) {
                    assertTrue(r.stdout().contains(BROKEN + ": would be recorded as applied"), r.stdout());
                    assertTrue(r.stdout().contains("would apply: 20250105000000_after"), r.stdout());
                } else {
                    assertTrue(r.stdout().contains("would apply: " + BROKEN + ", 20250105000000_after"), r.stdout());
                }
                assertTrue(r.stdout().contains("(not in a dry run)"), r.stdout());
                assertFalse(Files.exists(dir.resolve("app-ran")), "run --dry-run does not exec");
                assertEquals(before, dump(db), "dry run changed the table");
            }
            Launch.Result none = project.launch(db).run("migrate", "--dry-run");
            assertEquals(4, none.exit(), "without a strategy the plan stops where the run would: " + none);
            assertEquals(before, dump(db));
        }
    }

    @Test
    void jsonLogsAreOneObjectPerLineWithAnAuditEventPerResolve() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = broken(Kind.POSTGRESQL, db);
            project.write(BROKEN, Faults.fixedNotNull(Kind.POSTGRESQL));
            Launch.Result r = project.launch(db).env("LOG_FORMAT", "json").env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
            assertEquals(0, r.exit(), r.toString());
            ObjectMapper json = new ObjectMapper();
            int audits = 0;
            List<String> lines = r.stderr().lines().toList();
            assertTrue(lines.size() >= 5, r.stderr());
            for (String line : lines) {
                JsonNode e = json.readTree(line);
                for (String field : List.of("timestamp", "level", "event", "message")) {
                    assertTrue(e.hasNonNull(field), field + " missing in " + line);
                }
                if (e.get("event").asText().equals("resolve")) {
                    audits++;
                    assertEquals(BROKEN, e.get("migration").asText());
                    assertEquals("rolled-back", e.get("strategy").asText());
                    assertEquals(1, e.get("rowsChanged").asInt());
                }
            }
            assertEquals(1, audits);
            assertTrue(lines.stream().anyMatch(l -> l.contains("\"logger\":\"prisma\"")), "Prisma's output is logged as JSON too");
        }
    }

    @Test
    void aFailureWritesItsReasonToTheTerminationLog() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = broken(Kind.POSTGRESQL, db);
            Path termination = Files.createFile(dir.resolve("termination-log"));
            Launch.Result r = project.launch(db).env("TERMINATION_LOG", termination.toString()).run("migrate");
            assertEquals(4, r.exit());
            List<String> lines = Files.readAllLines(termination);
            assertEquals(1, lines.size(), lines.toString());
            assertTrue(lines.getFirst().startsWith("prisma-launcher: 1 failed migration: " + BROKEN), lines.getFirst());
            assertFalse(lines.getFirst().contains("SECRET"));

            Path absent = dir.resolve("no-such-termination-log");
            project.launch(db).env("TERMINATION_LOG", absent.toString()).run("migrate");
            assertFalse(Files.exists(absent), "only an existing file is written");
        }
    }
}
