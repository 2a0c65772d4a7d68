package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Settings whose output must stay right (issue 8, items 7 and 12): machine-readable output parses
 * whatever the password, a report nobody received is not a success, durations are told exactly.
 */
class SettingsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void database() {
        db = TestDatabase.create(Kind.POSTGRESQL); // local PostgreSQL trusts 127.0.0.1: any password connects
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @BeforeEach
    void emptyProject() throws IOException {
        Files.createDirectories(dir.resolve("prisma/migrations"));
        Files.writeString(dir.resolve("prisma/migrations/migration_lock.toml"), "provider = \"postgresql\"\n");
    }

    private String url(String encodedPassword) {
        return "postgresql://postgres:" + encodedPassword + "@" + db.host() + ":" + db.port() + "/" + db.name();
    }

    /** The dev default postgres:postgres, passwords that are JSON literals, and one holding a quote and a backslash. */
    @ParameterizedTest
    @ValueSource(strings = {"postgres", "true", "3", "null", "a%22b%5Cc"})
    void jsonOutputParsesAndHoldsNoPassword(String encodedPassword) throws IOException {
        Launch launch = new Launch(dir).env("DATABASE_URL", url(encodedPassword)).env("LOG_FORMAT", "json").env("LOG_LEVEL", "debug");
        Launch.Result status = launch.run("status", "--json");
        assertEquals(0, status.exit(), status.toString());
        JsonNode report = JSON.readTree(status.stdout());
        assertEquals("postgresql", report.get("database").get("provider").asText(), status.stdout());
        assertEquals("postgres", report.get("database").get("user").asText());
        assertTrue(report.get("upToDate").asBoolean());

        Launch.Result plan = launch.run("migrate", "--dry-run");
        assertEquals(0, plan.exit(), plan.toString());
        List<String> lines = new ArrayList<>(plan.stderr().lines().toList());
        lines.addAll(status.stderr().lines().toList());
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.has("message"), line);
        }
        assertTrue(plan.stderr().contains("postgresql://postgres:***@"), plan.stderr());
        if (encodedPassword.startsWith("a%22")) {
            String all = status.stdout() + status.stderr() + plan.stdout() + plan.stderr();
            assertFalse(all.contains("a\"b\\c") || all.contains("a\\\"b\\\\c") || all.contains("a%22b%5Cc"), all);
        }
    }

    /** `status` and a dry run exit 1 when their report cannot be written: stdout closed, or a full disk. */
    @ParameterizedTest
    @ValueSource(strings = {">&-", ">/dev/full"})
    void aReportThatCannotBeWrittenIsAFailure(String redirect) {
        Launch launch = new Launch(dir).env("DATABASE_URL", url("postgres"));
        for (List<String> args : List.of(List.of("status"), List.of("status", "--json"), List.of("migrate", "--dry-run"))) {
            List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" " + redirect, "sh"));
            command.addAll(Launch.launcherCommand());
            command.addAll(args);
            Launch.Result r = launch.exec(command);
            assertEquals(1, r.exit(), args + " " + redirect + ": " + r);
            assertTrue(r.stderr().contains("could not write the report to standard output"), r.stderr());
        }
        assertEquals(0, launch.run("status").exit(), "and with stdout open, 0");
    }

    @Test
    void subSecondDurationsAreToldExactly() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Launch.Result r = new Launch(dir).env("DATABASE_URL", "postgresql://postgres:x@127.0.0.1:" + closed + "/db")
                .env("DB_WAIT_TIMEOUT", "500ms").run("status");
        assertEquals(3, r.exit(), r.toString());
        assertTrue(r.stderr().contains("gave up after 500 ms"), r.stderr());
    }

    /** Issue 9, item 11: schema.prisma's directUrl = env("DIRECT_URL") is the connection migrated through, as Prisma 6 does. */
    @Test
    void theSchemasDirectUrlIsUsedInsteadOfThePooler() throws IOException {
        Files.writeString(dir.resolve("prisma/schema.prisma"), """
                datasource db {
                  provider  = "postgresql"
                  url       = env("DATABASE_URL")
                  directUrl = env("DIRECT_URL")
                }
                """);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        // a database Prisma already manages (its table there, nothing pending): nothing to do, so `false` never runs;
        // without the table the launcher would deploy once to create it, as Prisma does (issue 18 item 5)
        try (TestDatabase managed = TestDatabase.create(Kind.POSTGRESQL)) {
            managed.execute(PrismaTable.ddl(Kind.POSTGRESQL, null));
            Launch launch = new Launch(dir).env("DATABASE_URL", "postgresql://postgres:x@127.0.0.1:" + closed + "/db?pgbouncer=true")
                    .env("DIRECT_URL", "postgresql://postgres:postgres@" + managed.host() + ":" + managed.port() + "/" + managed.name())
                    .env("DB_WAIT_TIMEOUT", "0").env("PRISMA_COMMAND", "false");
            Launch.Result r = launch.run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains(managed.name()), r.stderr());
            Launch.Result unset = launch.env("DIRECT_URL", null).run("migrate");
            assertEquals(2, unset.exit(), unset.toString());
            assertTrue(unset.stderr().contains("DATABASE_URL has pgbouncer=true"), unset.stderr());
        }
    }
}
