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

    @Test
    void onlyFailedAttemptsThatWereRolledBackCountAsEarlierRollbacks() {
        // a finished row that was rolled back was an applied migration undone by hand, not a failed attempt
        MigrationRow undone = new MigrationRow("u", "x", T, "b", null, T, T, 1);
        Inspection i = Inspection.of(local("b"), true, List.of(undone, rolledBack("b", "b1"), applied("b"), rolledBack("b", "b2"), failed("b", "b3")));
        MigrationStatus b = i.migrations().getFirst();
        assertEquals(MigrationState.FAILED, b.state());
        assertEquals(2, b.earlierRollbacks());
        assertEquals(0, Inspection.of(local("b"), true, List.of(undone)).migrations().getFirst().earlierRollbacks());
        MigrationStatus pending = Inspection.of(local("b"), true, List.of(rolledBack("b", "b1"))).migrations().getFirst();
        assertEquals(new MigrationStatus("b", MigrationState.PENDING, null, null, null, 1), pending);
    }

    @Test
    void aFailedRowBeatsAnAppliedRowInEitherOrder() {
        Instant later = T.plusSeconds(60);
        MigrationRow ok = new MigrationRow("ok", "x", T, "b", null, null, T, 1);
        MigrationRow bad = new MigrationRow("bad", "x", null, "b", "boom", null, later, 0);
        for (List<MigrationRow> rows : List.of(List.of(ok, bad), List.of(bad, ok))) {
            Inspection i = Inspection.of(local("b"), true, rows);
            MigrationStatus b = i.migrations().getFirst();
            assertEquals(MigrationState.FAILED, b.state(), rows.toString());
            assertEquals(later, b.startedAt(), "the failed row is the one that counts");
            assertNull(b.finishedAt());
            assertEquals(List.of("b"), i.namesIn(MigrationState.FAILED));
            assertFalse(i.upToDate());
        }
        // the same for a name that is not on disk: failed, not missing-locally
        Inspection gone = Inspection.of(local(), true, List.of(ok, bad));
        assertEquals(List.of("b"), gone.namesIn(MigrationState.FAILED));
        assertEquals(List.of(), gone.namesIn(MigrationState.MISSING_LOCALLY));
        // the last applied row counts when several are there
        MigrationRow again = new MigrationRow("again", "x", later, "b", null, null, later, 1);
        MigrationStatus twice = Inspection.of(local("b"), true, List.of(ok, again)).migrations().getFirst();
        assertEquals(new MigrationStatus("b", MigrationState.APPLIED, null, later, later, 0), twice);
    }

    @Test
    void aNameKnownOnlyFromRolledBackRowsAndNotOnDiskIsNotListed() {
        Inspection i = Inspection.of(local("a"), true, List.of(applied("a"), rolledBack("gone", "g1")));
        assertEquals(List.of("a"), i.migrations().stream().map(MigrationStatus::name).toList());
        assertTrue(i.upToDate());
        assertEquals("1 applied", i.summary());
    }

    @Test
    void countsSummaryAndUpToDate() {
        Inspection fresh = Inspection.of(local("a", "b"), false, List.of());
        assertEquals(2, fresh.count(MigrationState.PENDING));
        assertEquals(0, fresh.count(MigrationState.APPLIED));
        assertFalse(fresh.upToDate());
        assertEquals("database does not exist yet; 0 applied, 2 pending: a, b", fresh.summary());
        // more than three pending are counted, not named; failed and missing are always named (five at most)
        Inspection many = Inspection.of(local("p1", "p2", "p3", "p4"), true, List.of(applied("m1"), applied("m2"), applied("m3"),
                applied("m4"), applied("m5"), applied("m6"), failed("f1", "f")));
        assertEquals("0 applied, 1 failed: f1, 4 pending, 6 missing-locally: m1, m2, m3, m4, m5 and 1 more", many.summary());
        assertEquals(4, many.count(MigrationState.PENDING));
        assertEquals(6, many.count(MigrationState.MISSING_LOCALLY));
        assertEquals(1, many.count(MigrationState.FAILED));
        Inspection onlyFailed = Inspection.of(local("a"), true, List.of(applied("a"), failed("x", "x1")));
        assertFalse(onlyFailed.upToDate(), "a failed migration, even one not on disk, is not up to date");
        Inspection onlyMissing = Inspection.of(local("a"), true, List.of(applied("a"), applied("x")));
        assertTrue(onlyMissing.upToDate(), "a migration missing locally does not stop deploy");
        assertEquals("a, b, c, d, e", Inspection.shortList(List.of("a", "b", "c", "d", "e")));
        assertEquals("a, b, c, d, e and 2 more", Inspection.shortList(List.of("a", "b", "c", "d", "e", "f", "g")));
        assertEquals("3 pending: a, b, c", Inspection.of(local("a", "b", "c"), true, List.of()).summary().substring("0 applied, ".length()));
    }

    @Test
    void checksumsAreComparedForAppliedAndFailedOnly() {
        MigrationRow edited = new MigrationRow("1", "0".repeat(64), T, "a", null, null, T, 1);
        MigrationRow failedEdited = new MigrationRow("2", "0".repeat(64), null, "b", "e", null, T, 0);
        Inspection i = Inspection.withChecksums(local("a", "b", "c"), true, List.of(edited, failedEdited, applied("gone")));
        assertEquals(Boolean.FALSE, i.migrations().get(0).checksumMatches());
        assertEquals(Boolean.FALSE, i.migrations().get(1).checksumMatches());
        assertNull(i.migrations().get(2).checksumMatches(), "pending: nothing to compare");
        assertNull(i.migrations().get(3).checksumMatches(), "missing locally: nothing to compare");
        assertEquals(List.of("a"), i.modifiedAfterApply(), "a failed migration is not 'modified after apply'");
        assertEquals("1 applied, 1 failed: b, 1 pending: c, 1 missing-locally: gone, 1 modified after apply: a", i.summary());
    }

    @Test
    void aMissingMigrationsTableIsWorkForDeployEvenWithNothingPending() {
        // issue 18 item 5: Prisma's deploy creates _prisma_migrations; skipping it leaves P3005 for the next release
        Inspection noTable = Inspection.withoutTable(local());
        assertTrue(noTable.upToDate(), "nothing failed or pending");
        assertTrue(noTable.databaseExists());
        assertFalse(noTable.tableExists());
        assertFalse(noTable.nothingToDeploy());
        assertTrue(Inspection.of(local(), true, List.of()).nothingToDeploy(), "an empty table: nothing to do");
        assertFalse(Inspection.of(local(), false, List.of()).nothingToDeploy(), "no database: deploy creates it");
        Inspection pending = Inspection.withoutTable(local("a"));
        assertEquals(List.of("a"), pending.namesIn(MigrationState.PENDING));
        assertFalse(pending.nothingToDeploy());
    }
}
