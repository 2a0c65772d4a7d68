package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each decision of {@link Resolver} pinned: which rows a resolve marks (only its own migration's),
 * when it refuses (no strategy, the crash-loop guard, P3008, P3017, no decision), what it inserts,
 * and what deploy would then apply.
 */
class ResolverTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2025-01-02T00:00:00Z");

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

    private static MigrationRow applied(String name, String id) {
        return new MigrationRow(id, "c", T, name, null, null, T, 1);
    }

    private static MigrationRow failed(String name, String id, String logs) {
        return new MigrationRow(id, "c", null, name, logs, null, T, 0);
    }

    private static MigrationRow failed(String name, String id) {
        return failed(name, id, null);
    }

    private static MigrationRow rolledBack(String name, String id) {
        return new MigrationRow(id, "c", null, name, "old", T, T, 0);
    }

    private static List<RowChange> plan(Inspection i, LocalMigrations local, ResolveStrategy s, int max) {
        return Resolver.plan(i, local, s, max, LATER);
    }

    @Test
    void nothingFailedNothingToDoWhateverTheStrategy() throws IOException {
        LocalMigrations local = local("a", "b");
        Inspection i = Inspection.of(local, true, List.of(applied("a", "a1")));
        for (ResolveStrategy s : ResolveStrategy.values()) {
            assertEquals(List.of(), plan(i, local, s, 1), s.label());
        }
    }

    @Test
    void resolvingOneMigrationMarksOnlyItsOwnRows() throws IOException {
        LocalMigrations local = local("a", "b", "c");
        Inspection i = Inspection.of(local, true, List.of(applied("a", "a1"), rolledBack("b", "b0"), failed("b", "b1"),
                failed("c", "c1"), failed("c", "c2")));
        assertEquals(List.of(new RowChange.MarkRolledBack("b1", "b", LATER), new RowChange.MarkRolledBack("c1", "c", LATER),
                new RowChange.MarkRolledBack("c2", "c", LATER)), plan(i, local, ResolveStrategy.ROLLED_BACK, 3));
        // per-migration decisions (auto): b applied, c rolled back; b's insert and nothing of c's in it
        List<RowChange> mixed = Resolver.plan(i, local, name -> name.equals("b") ? ResolveStrategy.APPLIED : ResolveStrategy.ROLLED_BACK, 3, LATER);
        assertEquals(4, mixed.size(), mixed.toString());
        assertEquals(new RowChange.MarkRolledBack("b1", "b", LATER), mixed.get(0));
        RowChange.InsertApplied insert = (RowChange.InsertApplied) mixed.get(1);
        assertEquals("b", insert.migrationName());
        assertEquals(local.get("b").checksum(), insert.checksum());
        assertEquals(LATER, insert.at());
        assertEquals(List.of(new RowChange.MarkRolledBack("c1", "c", LATER), new RowChange.MarkRolledBack("c2", "c", LATER)), mixed.subList(2, 4));
        // a failed migration whose folder is gone is resolved too (rolled back), with its rows only
        Inspection gone = Inspection.of(local("a"), true, List.of(failed("x", "x1"), failed("a", "a2")));
        assertEquals(List.of(new RowChange.MarkRolledBack("a2", "a", LATER), new RowChange.MarkRolledBack("x1", "x", LATER)),
                plan(gone, local("a"), ResolveStrategy.ROLLED_BACK, 3));
    }

    @Test
    void appliedIsRefusedWhenAnotherFolderIsAppliedButNotForThat() throws IOException {
        // P3008 counts only the migration's own rows: an applied row of another name is no reason to refuse
        LocalMigrations local = local("a", "b");
        Inspection i = Inspection.of(local, true, List.of(applied("a", "a1"), failed("b", "b1")));
        List<RowChange> changes = plan(i, local, ResolveStrategy.APPLIED, 3);
        assertEquals(new RowChange.MarkRolledBack("b1", "b", LATER), changes.get(0));
        assertEquals("b", changes.get(1).migrationName());
        assertEquals(2, changes.size());
    }

    @Test
    void theCrashLoopGuardRefusesAtExactlyMaxAttempts() throws IOException {
        LocalMigrations local = local("b");
        // two earlier rollbacks, failed again
        Inspection i = Inspection.of(local, true, List.of(rolledBack("b", "b0"), rolledBack("b", "b1"),
                failed("b", "b2", "ERROR: relation \"User\" already exists")));
        assertEquals(2, i.migrations().getFirst().earlierRollbacks());
        assertEquals(List.of(new RowChange.MarkRolledBack("b2", "b", LATER)), plan(i, local, ResolveStrategy.ROLLED_BACK, 3));
        LauncherException e = assertThrows(LauncherException.class, () -> plan(i, local, ResolveStrategy.ROLLED_BACK, 2));
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertEquals("b failed again after being rolled back 2 times (crash-loop guard, MAX_RESOLVE_ATTEMPTS=2); not resolving it again."
                + " Its last error: ERROR: relation \"User\" already exists. Fix migration.sql (or the database) and then resolve it by hand:"
                + " `prisma migrate resolve --rolled-back b` to retry, or `--applied` if you completed it; or raise MAX_RESOLVE_ATTEMPTS",
                e.getMessage());
        assertThrows(LauncherException.class, () -> plan(i, local, ResolveStrategy.ROLLED_BACK, 1));
        // the guard is about retrying: applied is not refused by it
        assertEquals(2, plan(i, local, ResolveStrategy.APPLIED, 1).size());
        // without logs the message says where the error is
        Inspection quiet = Inspection.of(local, true, List.of(rolledBack("b", "b0"), failed("b", "b1")));
        assertTrue(assertThrows(LauncherException.class, () -> plan(quiet, local, ResolveStrategy.ROLLED_BACK, 1)).getMessage()
                .contains(" Its last error is in _prisma_migrations.logs. "));
    }

    @Test
    void appliedIsRefusedWhenARowOfItIsFinishedP3008() throws IOException {
        LocalMigrations local = local("b");
        // an applied row and a failed row of one name: failed (P3009), but Prisma's resolve --applied refuses it (P3008)
        Inspection i = Inspection.of(local, true, List.of(applied("b", "b1"), failed("b", "b2")));
        assertEquals(List.of("b"), i.namesIn(MigrationState.FAILED));
        LauncherException e = assertThrows(LauncherException.class, () -> plan(i, local, ResolveStrategy.APPLIED, 3));
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertEquals("cannot resolve b as applied: a row of it is already recorded as finished, and Prisma refuses that (P3008);"
                + " inspect _prisma_migrations by hand", e.getMessage());
        // rolled-back has no such rule: its failed row is marked, the finished one left alone
        assertEquals(List.of(new RowChange.MarkRolledBack("b2", "b", LATER)), plan(i, local, ResolveStrategy.ROLLED_BACK, 3));
        // today's rule: any row of it with finished_at set, even one rolled back since, refuses applied
        MigrationRow undone = new MigrationRow("b0", "c", T, "b", null, T, T, 1);
        Inspection j = Inspection.of(local, true, List.of(undone, failed("b", "b3")));
        assertThrows(LauncherException.class, () -> plan(j, local, ResolveStrategy.APPLIED, 3));
    }

    @Test
    void appliedWithoutTheScriptIsRefusedP3017() throws IOException {
        LocalMigrations none = local();
        Inspection i = Inspection.of(none, true, List.of(failed("b", "b1")));
        LauncherException e = assertThrows(LauncherException.class, () -> plan(i, none, ResolveStrategy.APPLIED, 3));
        assertEquals("cannot resolve b as applied: " + root.resolve("b").resolve("migration.sql")
                + " does not exist, and Prisma records its checksum (P3017); restore the folder or use rolled-back", e.getMessage());
    }

    @Test
    void noStrategyRefusesNamingEveryFailedMigrationAndItsLatestError() throws IOException {
        LocalMigrations local = local("a", "b");
        Inspection i = Inspection.of(local, true, List.of(failed("a", "a1", "ERROR: first"), rolledBack("a", "a0"),
                failed("a", "a2", "ERROR: second"), failed("b", "b1")));
        LauncherException e = assertThrows(LauncherException.class, () -> plan(i, local, ResolveStrategy.NONE, 3));
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertTrue(e.getMessage().startsWith("2 failed migrations: a, which failed with ERROR: second; b; prisma migrate deploy would stop"
                + " with P3009."), e.getMessage());
        Inspection one = Inspection.of(local, true, List.of(failed("b", "b1")));
        assertTrue(assertThrows(LauncherException.class, () -> plan(one, local, ResolveStrategy.NONE, 3)).getMessage()
                .startsWith("1 failed migration: b; "));
    }

    @Test
    void autoIsNotAFixedStrategyAndAMigrationWithoutADecisionIsRefused() throws IOException {
        LocalMigrations local = local("b");
        Inspection i = Inspection.of(local, true, List.of(failed("b", "b1")));
        // no trap for auto: it is not a fixed strategy (plan.EvidenceDecider decides per migration), so as one it decides nothing
        assertEquals(ExitCode.FAILED_MIGRATIONS, assertThrows(LauncherException.class, () -> plan(i, local, ResolveStrategy.AUTO, 3)).exitCode());
        for (ResolveStrategy undecided : new ResolveStrategy[] {ResolveStrategy.NONE, ResolveStrategy.AUTO}) {
            LauncherException e = assertThrows(LauncherException.class, () -> Resolver.plan(i, local, name -> undecided, 3, LATER));
            assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
            assertTrue(e.getMessage().startsWith("b is failed and has no decision (" + undecided.label() + ")"), e.getMessage());
        }
    }

    @Test
    void deployWouldApplyPendingAndRolledBackButNotWhatWasResolvedAsApplied() throws IOException {
        LocalMigrations local = local("1_a", "2_b", "3_c", "4_d");
        Inspection i = Inspection.of(local, true, List.of(applied("1_a", "a1"), failed("2_b", "b1"), failed("3_c", "c1")));
        List<RowChange> decided = Resolver.plan(i, local, name -> name.equals("2_b") ? ResolveStrategy.APPLIED : ResolveStrategy.ROLLED_BACK, 3, LATER);
        assertEquals(List.of("3_c", "4_d"), Resolver.wouldDeploy(i, local, decided));
        assertEquals(List.of("4_d"), Resolver.wouldDeploy(i, local, plan(i, local, ResolveStrategy.APPLIED, 3)));
        assertEquals(List.of("2_b", "3_c", "4_d"), Resolver.wouldDeploy(i, local, plan(i, local, ResolveStrategy.ROLLED_BACK, 3)));
        assertEquals(List.of("4_d"), Resolver.wouldDeploy(i, local, List.of()), "unresolved failures are not deployed");
    }

    @Test
    void aFailedRowBesideAnAppliedRowOfTheSameNameIsNotRunAgain() throws IOException {
        // issue 18 item 5: Prisma's apply_migrations leaves out every name with a row that is not rolled back;
        // marking the failed row rolled back leaves the applied one, so deploy does not run the migration again
        LocalMigrations local = local("1_a", "2_b", "3_c");
        Inspection i = Inspection.of(local, true, List.of(applied("1_a", "a1"), applied("2_b", "b0"), failed("2_b", "b1"),
                rolledBack("3_c", "c0")));
        List<RowChange> rolledBack = plan(i, local, ResolveStrategy.ROLLED_BACK, 3);
        assertEquals(List.of(new RowChange.MarkRolledBack("b1", "2_b", LATER)), rolledBack, "the failed row is still marked, as Prisma's resolve does");
        assertEquals(List.of("3_c"), Resolver.wouldDeploy(i, local, rolledBack));
        // without the applied row, the same change runs it again; a row only rolled back never counts as recorded
        Inspection alone = Inspection.of(local, true, List.of(applied("1_a", "a1"), failed("2_b", "b1")));
        assertEquals(List.of("2_b", "3_c"), Resolver.wouldDeploy(alone, local, plan(alone, local, ResolveStrategy.ROLLED_BACK, 3)));
        // a change marking another id does not free the name
        assertEquals(List.of("3_c"), Resolver.wouldDeploy(alone, local, List.of(new RowChange.MarkRolledBack("elsewhere", "2_b", LATER))));
        // no database yet: everything local
        assertEquals(List.of("1_a", "2_b", "3_c"), Resolver.wouldDeploy(Inspection.of(local, false, List.of()), local, List.of()));
    }
}
