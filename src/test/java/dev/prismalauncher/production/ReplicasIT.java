package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Twenty pods start together against one database holding one failed and two pending migrations. */
class ReplicasIT {
    static final int REPLICAS = 20;
    static final String BROKEN = "20250104000000_not_null_email";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void exactlyOneResolvesAndEachMigrationIsAppliedOnce(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = Project.create(kind, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.add(BROKEN);
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            // the fix ships together with two new migrations
            project.write(BROKEN, Faults.fixedNotNull(kind));
            project.add("20250105000000_after");
            project.write("20250106000000_more", "CREATE TABLE " + Sql.of(kind).quote("More") + " (id INT);\n");

            List<Running> pods = new ArrayList<>();
            for (int i = 0; i < REPLICAS; i++) {
                pods.add(new Running(project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").env("LOG_FORMAT", "json")
                        .start("run", "--", "echo", "app " + i)));
            }
            int resolveEvents = 0;
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < REPLICAS; i++) {
                Launch.Result r = pods.get(i).await(Duration.ofSeconds(180));
                assertEquals(0, r.exit(), "pod " + i + ": " + r);
                assertEquals("app " + i + "\n", r.stdout());
                for (String line : r.stderr().lines().toList()) {
                    JsonNode event = json.readTree(line);
                    if (event.path("event").asText().equals("resolve")) {
                        resolveEvents++;
                        assertEquals(BROKEN, event.path("migration").asText());
                        assertEquals("rolled-back", event.path("strategy").asText());
                        assertEquals(1, event.path("rowsChanged").asInt());
                    }
                }
            }
            assertEquals(1, resolveEvents, "exactly one replica resolves");
            assertEquals(List.of(
                    List.of("20250101000000_init", "1", "0"),
                    List.of("20250102000000_add_post", "1", "0"),
                    List.of("20250103000000_add_index", "1", "0"),
                    List.of(BROKEN, "1", "1"),
                    List.of("20250105000000_after", "1", "0"),
                    List.of("20250106000000_more", "1", "0")),
                    db.query("SELECT migration_name, SUM(CASE WHEN finished_at IS NOT NULL AND rolled_back_at IS NULL THEN 1 ELSE 0 END),"
                            + " SUM(CASE WHEN rolled_back_at IS NOT NULL THEN 1 ELSE 0 END) FROM _prisma_migrations"
                            + " GROUP BY migration_name ORDER BY migration_name"),
                    "each migration applied exactly once, the failed one rolled back once");
        }
    }

    /**
     * Ten pods on a database that does not exist yet (issue 8.11): Prisma's lock lives in the
     * database being created, so before the launcher created it itself, 9 of 10 failed with
     * "database already exists". Now all start, one deploys, and each migration is applied once.
     */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void replicasOnAMissingDatabaseAllStart(Kind kind) throws Exception {
        int replicas = 10;
        try (TestDatabase db = TestDatabase.reserve(kind)) {
            Project project = Project.create(kind, dir.resolve("project"));
            List<Running> pods = new ArrayList<>();
            for (int i = 0; i < replicas; i++) {
                pods.add(new Running(project.launch(db).start("run", "--", "echo", "app " + i)));
            }
            int created = 0;
            for (int i = 0; i < replicas; i++) {
                Launch.Result r = pods.get(i).await(Duration.ofSeconds(180));
                assertEquals(0, r.exit(), "pod " + i + ": " + r);
                assertEquals("app " + i + "\n", r.stdout());
                created += r.stderr().contains("created database " + db.name() + " as prisma migrate deploy would") ? 1 : 0;
            }
            assertEquals(1, created, "exactly one replica created the database");
            assertEquals(List.of(
                    List.of("20250101000000_init", "1"),
                    List.of("20250102000000_add_post", "1"),
                    List.of("20250103000000_add_index", "1")),
                    db.query("SELECT migration_name, COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"
                            + " GROUP BY migration_name ORDER BY migration_name"),
                    "each migration applied exactly once");
            assertEquals(List.of(List.of("0")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NULL"));
        }
    }
}
