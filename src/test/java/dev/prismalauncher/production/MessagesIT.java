package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 9.8: failures told in the database's own words, whatever LOG_LEVEL; no driver noise; short lists. */
class MessagesIT {
    static final String BROKEN = "20250104000000_syntax_error";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aFailedDeployAndTheNextStartSayWhatTheDatabaseSaid(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = Project.create(kind, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.add(BROKEN);
            // eight applied migrations whose folders are gone (a branch switch, a squash)
            for (int i = 1; i <= 8; i++) {
                db.execute("INSERT INTO _prisma_migrations (id, checksum, started_at, finished_at, migration_name, applied_steps_count) VALUES ('gone-" + i
                        + "', 'x', " + Sql.of(kind).now() + ", " + Sql.of(kind).now() + ", '20240101000000_gone_" + i + "', 1)");
            }

            // LOG_LEVEL=warn hides Prisma's output as it comes: on failure its last lines come back at ERROR
            Launch.Result deploy = project.launch(db).env("LOG_LEVEL", "warn").run("migrate");
            assertEquals(5, deploy.exit(), deploy.toString());
            assertTrue(deploy.stderr().contains("its last lines are above"), deploy.stderr());
            assertTrue(deploy.stderr().lines().anyMatch(l -> l.startsWith("ERROR prisma - | ") && l.contains(kind == Kind.POSTGRESQL ? "TABEL" : "P3018")),
                    "Prisma's error repeated at ERROR:\n" + deploy.stderr());
            assertFalse(deploy.stderr().contains("WARN org."), "no driver warnings at the default level:\n" + deploy.stderr());

            // the next start (no strategy) shows the database's error, not Prisma's boilerplate
            Launch.Result next = project.launch(db).run("migrate");
            assertEquals(4, next.exit(), next.toString());
            String refusal = next.stderr().lines().filter(l -> l.contains("1 failed migration: ")).findFirst().orElse(next.stderr());
            assertTrue(refusal.contains(BROKEN + ", which failed with "), refusal);
            assertTrue(refusal.contains("syntax error") || refusal.contains("You have an error in your SQL syntax"), refusal);
            assertFalse(refusal.contains("A migration failed to apply"), refusal);
            if (kind == Kind.MYSQL) {
                assertTrue(refusal.contains("database error 1064: "), refusal); // the native form names the code
            }
            assertTrue(refusal.contains("MIGRATION_RESOLVE_STRATEGY=rolled-back"), "and the fix: " + refusal);
            assertTrue(next.stderr().contains("8 missing-locally: 20240101000000_gone_1, 20240101000000_gone_2, 20240101000000_gone_3,"
                    + " 20240101000000_gone_4, 20240101000000_gone_5 and 3 more"), next.stderr());

            // JSON keeps every name in the inspect event
            Launch.Result json = project.launch(db).env("LOG_FORMAT", "json").run("migrate");
            assertEquals(4, json.exit(), json.toString());
            ObjectMapper mapper = new ObjectMapper();
            JsonNode inspect = null;
            for (String line : json.stderr().lines().toList()) {
                JsonNode event = mapper.readTree(line);
                if (event.path("event").asText().equals("inspect")) {
                    inspect = event;
                }
            }
            assertTrue(inspect != null, json.stderr());
            assertEquals(8, inspect.path("missingLocally").size(), inspect.toString());
            assertEquals(BROKEN, inspect.path("failed").get(0).asText(), inspect.toString());

            // a status on a database that does not exist: the MariaDB driver's WARN "Unknown database" stays silent
            try (TestDatabase missing = TestDatabase.reserve(kind)) {
                Launch.Result status = project.launch(missing).run("status");
                assertEquals(6, status.exit(), status.toString());
                assertFalse(status.stderr().contains("WARN"), status.stderr());
            }
        }
    }
}
