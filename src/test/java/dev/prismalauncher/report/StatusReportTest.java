package dev.prismalauncher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.evidence.Decision;
import dev.prismalauncher.evidence.Effect;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.StatementEvidence;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `status`: what it says about each migration, in text and JSON, on both databases, never with the password. */
class StatusReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2025-01-01T00:00:05Z");
    /** Unique to this test class: distinctive, so masked anywhere once the URL is parsed. */
    private static final String PASSWORD = "St4tus-Report-Pw!";

    @TempDir
    Path root;

    private LocalMigrations local(String... names) throws IOException {
        Map<String, LocalMigration> m = new LinkedHashMap<>();
        for (String n : names) {
            Path sql = Files.createDirectories(root.resolve(n)).resolve("migration.sql");
            Files.writeString(sql, "-- " + n + "\n");
            m.put(n, new LocalMigration(n, sql.getParent(), sql));
        }
        return new LocalMigrations(root, "postgresql", m);
    }

    /** 1_init applied, 2_users edited after apply, 3_posts failed after one rollback, 4_tags pending, 0_old missing locally. */
    private Inspection inspection() throws IOException {
        LocalMigrations local = local("1_init", "2_users", "3_posts", "4_tags");
        List<MigrationRow> rows = List.of(
                new MigrationRow("i", local.get("1_init").checksum(), LATER, "1_init", null, null, T, 1),
                new MigrationRow("u", "0".repeat(64), LATER, "2_users", null, null, T, 1),
                new MigrationRow("p0", "c", null, "3_posts", "old", T, T, 0),
                new MigrationRow("p1", local.get("3_posts").checksum(), null, "3_posts", "ERROR: boom", null, LATER, 0),
                new MigrationRow("o", "c", T, "0_old", null, null, T, 1));
        return Inspection.withChecksums(local, true, rows);
    }

    @Test
    void textNamesEachMigrationsStateAndWhatStandsOut() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:" + PASSWORD + "@db:5432/shop?schema=s1");
        assertEquals("""
                Database: postgresql://app:***@db:5432/shop?schema=s1
                  applied         1_init
                  applied         2_users  (migration.sql changed since it was recorded)
                  failed          3_posts  (1 earlier rolled back)
                  pending         4_tags
                  missing-locally 0_old
                2 applied, 1 failed: 3_posts, 1 pending: 4_tags, 1 missing-locally: 0_old, 1 modified after apply: 2_users
                Failed migrations must be resolved before deploy can run.
                """, StatusReport.text(url, inspection()));
    }

    @Test
    void textSaysWhatDeployWouldDo() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "mysql://root@db:3306/shop");
        LocalMigrations local = local("1_init", "2_users");
        MigrationRow init = new MigrationRow("i", "c", T, "1_init", null, null, T, 1);
        assertTrue(StatusReport.text(url, Inspection.of(local, true, List.of(init)))
                .endsWith("1 applied, 1 pending: 2_users\nPending migrations: prisma migrate deploy would apply them.\n"));
        MigrationRow users = new MigrationRow("u", "c", T, "2_users", null, null, T, 1);
        assertTrue(StatusReport.text(url, Inspection.of(local, true, List.of(init, users))).endsWith("\nDatabase is up to date.\n"));
        assertTrue(StatusReport.text(url, Inspection.of(local, false, List.of()))
                .startsWith("Database: mysql://root@db:3306/shop (does not exist yet)\n"));
    }

    @Test
    void jsonOnPostgresql() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:" + PASSWORD + "@db:6543/shop?schema=s1");
        String out = StatusReport.json(url, inspection());
        assertTrue(out.endsWith("}\n"));
        assertFalse(out.contains(PASSWORD));
        JsonNode n = JSON.readTree(out);
        assertEquals(JSON.readTree("""
                {"provider": "postgresql", "host": "db", "port": 6543, "database": "shop", "schema": "s1", "user": "app", "exists": true}"""),
                n.get("database"));
        assertEquals(JSON.readTree("""
                [{"name": "1_init", "state": "applied", "checksumMatches": true, "startedAt": "2025-01-01T00:00:00Z",
                  "finishedAt": "2025-01-01T00:00:05Z", "earlierRollbacks": 0},
                 {"name": "2_users", "state": "applied", "checksumMatches": false, "startedAt": "2025-01-01T00:00:00Z",
                  "finishedAt": "2025-01-01T00:00:05Z", "earlierRollbacks": 0},
                 {"name": "3_posts", "state": "failed", "checksumMatches": true, "startedAt": "2025-01-01T00:00:05Z",
                  "finishedAt": null, "earlierRollbacks": 1},
                 {"name": "4_tags", "state": "pending", "checksumMatches": null, "startedAt": null, "finishedAt": null, "earlierRollbacks": 0},
                 {"name": "0_old", "state": "missing-locally", "checksumMatches": null, "startedAt": "2025-01-01T00:00:00Z",
                  "finishedAt": "2025-01-01T00:00:00Z", "earlierRollbacks": 0}]"""), n.get("migrations"));
        assertEquals(JSON.readTree("""
                {"applied": 2, "pending": 1, "failed": 1, "missingLocally": 1, "modifiedAfterApply": 1}"""), n.get("summary"));
        assertFalse(n.get("upToDate").asBoolean());
        assertEquals(List.of("database", "migrations", "summary", "upToDate"), fieldNames(n));
    }

    @Test
    void jsonOnMysqlHasNoSchemaAndCarriesAutosEvidence() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "mysql://app:" + PASSWORD + "@db/shop");
        MigrationEvidence evidence = new MigrationEvidence("3_posts",
                List.of(new StatementEvidence(1, "CREATE TABLE `Post` (", Effect.ABSENT, "table Post does not exist", null, null)),
                Decision.ROLLED_BACK, List.of("all 1 statement(s) with evidence are absent from the database (no trial on mysql)"));
        String out = StatusReport.json(url, inspection(), Map.of("3_posts", evidence));
        JsonNode n = JSON.readTree(out);
        assertEquals(JSON.readTree("""
                {"provider": "mysql", "host": "db", "port": 3306, "database": "shop", "user": "app", "exists": true}"""), n.get("database"));
        JsonNode posts = n.get("migrations").get(2);
        assertEquals("3_posts", posts.get("name").asText());
        assertEquals("rolled-back", posts.get("evidence").get("decision").asText());
        assertEquals("absent", posts.get("evidence").get("statements").get(0).get("effect").asText());
        for (int i : new int[] {0, 1, 3, 4}) {
            assertFalse(n.get("migrations").get(i).has("evidence"), "only the failed migration has evidence");
        }
        assertEquals(StatusReport.json(url, inspection(), Map.of()), StatusReport.json(url, inspection()));
    }

    @Test
    void jsonOfAnUpToDateDatabaseAndOneNotThereYet() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app@db/shop");
        LocalMigrations local = local("1_init");
        JsonNode done = JSON.readTree(StatusReport.json(url, Inspection.of(local, true,
                List.of(new MigrationRow("i", "c", T, "1_init", null, null, T, 1)))));
        assertTrue(done.get("upToDate").asBoolean());
        assertEquals("public", done.get("database").get("schema").asText());
        JsonNode missing = JSON.readTree(StatusReport.json(url, Inspection.of(local, false, List.of())));
        assertFalse(missing.get("database").get("exists").asBoolean());
        assertEquals(1, missing.get("summary").get("pending").asInt());
    }

    /** A migration name holding the password (it happens: the name is free text) is masked in both forms. */
    @Test
    void thePasswordIsMaskedWhereverItAppears() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app:" + PASSWORD + "@db/shop");
        LocalMigrations local = local("1_" + PASSWORD);
        Inspection i = Inspection.of(local, true, List.of());
        assertFalse(StatusReport.text(url, i).contains(PASSWORD));
        assertTrue(StatusReport.text(url, i).contains("1_***"));
        assertFalse(StatusReport.json(url, i).contains(PASSWORD));
        assertEquals("1_***", JSON.readTree(StatusReport.json(url, i)).get("migrations").get(0).get("name").asText());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
