package dev.prismalauncher.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.plan.FixedStrategy;
import dev.prismalauncher.plan.Plan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dry run's text, line by line. */
class PlanReportTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final DatabaseUrl URL = DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:5432/db");
    private static final String PRISMA = "`prisma migrate deploy`";

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

    private static Plan plan(Inspection found, LocalMigrations local, ResolveStrategy strategy, boolean alwaysDeploy) {
        return Plan.of(found, local, new FixedStrategy(strategy), 3, alwaysDeploy);
    }

    @Test
    void nothingToDo() throws IOException {
        LocalMigrations local = local("1_a");
        Inspection found = Inspection.of(local, true, List.of(new MigrationRow("a", "c", T, "1_a", null, null, T, 1)));
        assertEquals("plan: nothing to do; 1 applied\n", PlanReport.text(plan(found, local, ResolveStrategy.NONE, false), URL, PRISMA, List.of()));
        assertEquals("plan (dry run, nothing changed) for " + URL + ":\n  " + PRISMA + " would apply: nothing\n",
                PlanReport.text(plan(found, local, ResolveStrategy.NONE, true), URL, PRISMA, List.of()), "ALWAYS_DEPLOY");
    }

    @Test
    void rowsThenDeployThenTheApp() throws IOException {
        LocalMigrations local = local("1_a", "2_b");
        Inspection found = Inspection.of(local, true, List.of(new MigrationRow("f1", "c", null, "1_a", null, null, T, 0)));
        assertEquals("""
                plan (dry run, nothing changed) for %s:
                  1_a: would be marked rolled back (row f1)
                  %s would apply: 1_a, 2_b
                  then exec: node server.js (not in a dry run)
                """.formatted(URL, PRISMA), PlanReport.text(plan(found, local, ResolveStrategy.ROLLED_BACK, false), URL, PRISMA,
                List.of("node", "server.js")));
    }

    @Test
    void aMissingDatabaseOrTableIsCreatedByTheDeploy() throws IOException {
        LocalMigrations local = local("1_a");
        assertEquals("""
                plan (dry run, nothing changed) for %s:
                  the database would be created by prisma migrate deploy
                  %s would apply: 1_a
                """.formatted(URL, PRISMA), PlanReport.text(plan(Inspection.of(local, false, List.of()), local, ResolveStrategy.NONE, false),
                URL, PRISMA, List.of()));
        LocalMigrations none = local();
        assertEquals("""
                plan (dry run, nothing changed) for %s:
                  _prisma_migrations would be created by %s
                  %s would apply: nothing
                """.formatted(URL, PRISMA, PRISMA), PlanReport.text(plan(Inspection.withoutTable(none), none, ResolveStrategy.NONE, false),
                URL, PRISMA, List.of()));
        Inspection failed = Inspection.of(local, true, List.of(new MigrationRow("f1", "c", null, "1_a", null, null, T, 0)));
        assertEquals("""
                plan (dry run, nothing changed) for %s:
                  1_a: would be marked rolled back (row f1)
                  1_a: would be recorded as applied (a new row, checksum %s)
                  nothing to deploy
                """.formatted(URL, local.get("1_a").checksum()), PlanReport.text(plan(failed, local, ResolveStrategy.APPLIED, false), URL,
                PRISMA, List.of()));
    }
}
