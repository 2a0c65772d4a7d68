package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InspectionTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static Path root;

    @BeforeAll
    static void folder() throws IOException {
        root = Files.createTempDirectory("inspection");
    }

    private static LocalMigrations local(String... names) {
        Map<String, LocalMigration> m = new LinkedHashMap<>();
        try {
            for (String n : names) {
                Path sql = Files.createDirectories(root.resolve(n)).resolve("migration.sql");
                Files.writeString(sql, "-- " + n + "\n");
                m.put(n, new LocalMigration(n, sql.getParent(), sql));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LocalMigrations(root, "postgresql", m);
    }

    private static MigrationRow applied(String name) {
        return new MigrationRow("id-" + name, Checksum.of(("-- " + name + "\n").getBytes(StandardCharsets.UTF_8)), T, name, null, null, T, 1);
    }

    private static MigrationRow failed(String name, String id) {
        return new MigrationRow(id, "x", null, name, "ERROR: column \"email\" contains null values\n\nmore", null, T, 0);
    }

    private static MigrationRow rolledBack(String name, String id) {
        return new MigrationRow(id, "x", null, name, "old failure", T, T, 0);
    }

    @Test
    void classifiesByPrismasRules() {
        Inspection i = Inspection.of(local("a", "b", "c", "d"), true, List.of(
                applied("a"),
                rolledBack("b", "b1"), failed("b", "b2"),
                rolledBack("c", "c1"),
                applied("gone")));
        assertEquals(List.of("a"), i.namesIn(MigrationState.APPLIED));
        assertEquals(List.of("b"), i.namesIn(MigrationState.FAILED));
        assertEquals(List.of("c", "d"), i.namesIn(MigrationState.PENDING));
        assertEquals(List.of("gone"), i.namesIn(MigrationState.MISSING_LOCALLY));
        assertEquals(1, i.migrations().get(1).earlierRollbacks());
        assertNull(i.migrations().getFirst().checksumMatches(), "a start computes no checksums");
        assertFalse(i.upToDate());
        assertEquals("1 applied, 1 failed: b, 2 pending: c, d, 1 missing-locally: gone", i.summary());
    }

    @Test
    void aRolledBackFinishedRowMakesTheMigrationPendingAgain() {
        MigrationRow undone = new MigrationRow("1", "x", T, "a", null, T, T, 1);
        assertEquals(List.of("a"), Inspection.of(local("a"), true, List.of(undone)).namesIn(MigrationState.PENDING));
    }

    @Test
    void reportsEditedMigrations() {
        MigrationRow edited = new MigrationRow("1", "0".repeat(64), T, "a", null, null, T, 1);
        Inspection i = Inspection.withChecksums(local("a", "b"), true, List.of(edited, applied("b")));
        assertEquals(List.of("a"), i.modifiedAfterApply());
        assertTrue(i.migrations().get(1).checksumMatches());
        assertTrue(i.upToDate());
        assertEquals(List.of(), Inspection.of(local("a"), true, List.of(edited)).modifiedAfterApply(), "deploy ignores edits: so does a start");
    }

    @Test
    void theDryRunDeploysLocalFoldersOnlyInPrismasOrder() {
        // "gone" failed and its folder was deleted: rolled back, but deploy cannot apply it
        Inspection i = Inspection.of(local("2_b", "10_a", "3_c"), true, List.of(failed("gone", "g1"), failed("2_b", "b1")));
        LocalMigrations local = local("10_a", "2_b", "3_c");
        List<RowChange> plan = Resolver.plan(i, local, ResolveStrategy.ROLLED_BACK, 3, T);
        assertEquals(List.of("10_a", "2_b", "3_c"), Resolver.wouldDeploy(i, local, plan));
    }

    @Test
    void noStrategyRefusesWithTheErrorAndTheFix() {
        Inspection i = Inspection.of(local("a", "b"), true, List.of(applied("a"), failed("b", "b1")));
        LauncherException e = assertThrows(LauncherException.class, () -> Resolver.plan(i, local("a", "b"), ResolveStrategy.NONE, 3, T));
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertTrue(e.getMessage().contains("b, which failed with ERROR: column \"email\" contains null values"), e.getMessage());
        assertTrue(e.getMessage().contains("MIGRATION_RESOLVE_STRATEGY=rolled-back"), e.getMessage());
    }

    @Test
    void rolledBackMarksEveryFailedRowOfTheName() {
        Inspection i = Inspection.of(local("b"), true, List.of(rolledBack("b", "b0"), failed("b", "b1"), failed("b", "b2")));
        List<RowChange> plan = Resolver.plan(i, local("b"), ResolveStrategy.ROLLED_BACK, 3, T);
        assertEquals(List.of(new RowChange.MarkRolledBack("b1", "b", T), new RowChange.MarkRolledBack("b2", "b", T)), plan);
    }

    @Test
    void appliedMarksRolledBackThenInsertsWithTheLocalChecksum() {
        Inspection i = Inspection.of(local("b"), true, List.of(failed("b", "b1")));
        List<RowChange> plan = Resolver.plan(i, local("b"), ResolveStrategy.APPLIED, 3, T);
        assertEquals(new RowChange.MarkRolledBack("b1", "b", T), plan.get(0));
        RowChange.InsertApplied insert = (RowChange.InsertApplied) plan.get(1);
        assertEquals(local("b").get("b").checksum(), insert.checksum());
        assertTrue(insert.id().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), insert.id());
    }

    @Test
    void appliedNeedsTheLocalScript() {
        Inspection i = Inspection.of(local(), true, List.of(failed("b", "b1")));
        assertEquals(ExitCode.FAILED_MIGRATIONS, assertThrows(LauncherException.class,
                () -> Resolver.plan(i, local(), ResolveStrategy.APPLIED, 3, T)).exitCode());
        // rolled-back needs no script
        assertEquals(1, Resolver.plan(i, local(), ResolveStrategy.ROLLED_BACK, 3, T).size());
        // a folder without migration.sql is no better (Prisma: P3017)
        LocalMigrations scriptless = new LocalMigrations(root, "postgresql", Map.of("b", new LocalMigration("b", root.resolve("b"), null)));
        Inspection j = Inspection.withChecksums(scriptless, true, List.of(failed("b", "b1")));
        assertNull(j.migrations().getFirst().checksumMatches());
        assertEquals(ExitCode.FAILED_MIGRATIONS, assertThrows(LauncherException.class,
                () -> Resolver.plan(j, scriptless, ResolveStrategy.APPLIED, 3, T)).exitCode());
    }
}
