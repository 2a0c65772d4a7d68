package dev.prismalauncher.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.evidence.Decision;
import dev.prismalauncher.evidence.Effect;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.StatementEvidence;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.LocalMigrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan built once: what is done, what is refused, and which decider decides (no database: the deciders' pure side). */
class PlanTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    /** A lock that must not be taken: auto without a failed migration gathers nothing. */
    private static final LockScope NEVER = new LockScope() {
        @Override
        public <T> T run(Supplier<T> work) {
            throw new AssertionError("the launcher lock was taken");
        }
    };

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

    private static MigrationRow applied(String name) {
        return new MigrationRow(name + "-id", "c", T, name, null, null, T, 1);
    }

    private static MigrationRow failed(String name) {
        return new MigrationRow(name + "-failed", "c", null, name, null, null, T, 0);
    }

    private static Plan plan(Inspection found, LocalMigrations local, ResolveStrategy strategy, boolean alwaysDeploy) {
        Decider decider = new FixedStrategy(strategy);
        return Plan.of(found, local, decider.decide(null, found, local, NEVER), 3, alwaysDeploy);
    }

    @Test
    void nothingToDoOnlyWhenNothingFailedOrPendingTheTableIsThereAndNoAlwaysDeploy() throws IOException {
        LocalMigrations local = local("1_a");
        Inspection current = Inspection.of(local, true, List.of(applied("1_a")));
        assertTrue(plan(current, local, ResolveStrategy.NONE, false).nothingToDo());
        assertFalse(plan(current, local, ResolveStrategy.NONE, true).nothingToDo(), "ALWAYS_DEPLOY");
        LocalMigrations none = local();
        assertFalse(plan(Inspection.withoutTable(none), none, ResolveStrategy.NONE, false).nothingToDo(),
                "no _prisma_migrations: deploy creates it (issue 18 item 5)");
        assertFalse(Plan.nothingToDo(Inspection.withoutTable(none), false));
        assertTrue(Plan.nothingToDo(Inspection.of(none, true, List.of()), false));
        assertFalse(plan(Inspection.of(local, false, List.of()), local, ResolveStrategy.NONE, false).nothingToDo(), "no database");
        Plan pending = plan(Inspection.of(local, true, List.of()), local, ResolveStrategy.NONE, false);
        assertFalse(pending.nothingToDo());
        assertEquals(List.of("1_a"), pending.deploy());
        assertNull(pending.refusal());
        pending.refuseIfRefused(); // nothing to refuse
    }

    @Test
    void aRefusalIsKeptInThePlanAndThrownBeforeAnythingIsWritten() throws IOException {
        LocalMigrations local = local("1_a", "2_b");
        Inspection found = Inspection.of(local, true, List.of(failed("1_a")));
        Plan none = plan(found, local, ResolveStrategy.NONE, false);
        assertEquals(List.of(), none.changes());
        assertEquals(List.of("2_b"), none.deploy(), "an unresolved failure is not among what deploy would apply");
        LauncherException e = assertThrows(LauncherException.class, none::refuseIfRefused);
        assertSame(none.refusal(), e);
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertTrue(e.getMessage().startsWith("1 failed migration: 1_a; prisma migrate deploy would stop with P3009"), e.getMessage());

        Plan rolledBack = plan(found, local, ResolveStrategy.ROLLED_BACK, false);
        assertNull(rolledBack.refusal());
        assertEquals(1, rolledBack.changes().size());
        assertTrue(rolledBack.changes().getFirst() instanceof RowChange.MarkRolledBack m && m.id().equals("1_a-failed"));
        assertEquals(List.of("1_a", "2_b"), rolledBack.deploy());
        Plan applied = plan(found, local, ResolveStrategy.APPLIED, false);
        assertEquals(List.of("2_b"), applied.deploy());
        assertEquals(Map.of(), applied.decisions().evidence());
    }

    @Test
    void autoWithoutAFailedMigrationTakesNoLockAndDecidesNothing() throws IOException {
        LocalMigrations local = local("1_a");
        Inspection found = Inspection.of(local, true, List.of());
        Decisions d = new EvidenceDecider(Duration.ofSeconds(2), Duration.ofSeconds(10)).decide(null, found, local, NEVER);
        assertEquals(Map.of(), d.evidence());
        assertEquals(List.of(), d.changes(found, local, 3, T));
        // a migration that failed after the evidence was gathered has no decision: refused, not guessed
        Inspection later = Inspection.of(local, true, List.of(failed("1_a")));
        LauncherException e = assertThrows(LauncherException.class, () -> d.changes(later, local, 3, T));
        assertEquals(ExitCode.FAILED_MIGRATIONS, e.exitCode());
        assertTrue(e.getMessage().startsWith("1_a is failed and has no decision (none)"), e.getMessage());
    }

    @Test
    void theDeciderComesFromTheStrategyAndAutoTakesItsBounds() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@h/db");
        assertEquals(new FixedStrategy(ResolveStrategy.NONE), Decider.of(CommandLine.parse(new String[] {"migrate"}, env)));
        assertEquals(new FixedStrategy(ResolveStrategy.APPLIED),
                Decider.of(CommandLine.parse(new String[] {"migrate", "--resolve-strategy", "applied"}, env)));
        assertEquals(new EvidenceDecider(Duration.ofSeconds(3), Duration.ofSeconds(10)), Decider.of(CommandLine.parse(
                new String[] {"migrate", "--resolve-strategy", "auto", "--auto-trial-lock-timeout", "3s"}, env)));
    }

    private static MigrationEvidence decided(String name, Decision d) {
        return new MigrationEvidence(name, List.of(new StatementEvidence(1, "ALTER TABLE x", Effect.ABSENT, "why", null, null)), d,
                List.of("because " + name));
    }

    @Test
    void autoActsOnEachConclusiveDecisionAndRefusesAllUnlessEveryOneIs() throws IOException {
        LocalMigrations local = local("1_a", "2_b", "3_c");
        Inspection found = Inspection.of(local, true, List.of(failed("1_a"), failed("2_b")));
        Map<String, MigrationEvidence> evidence = new LinkedHashMap<>();
        evidence.put("1_a", decided("1_a", Decision.ROLLED_BACK));
        evidence.put("2_b", decided("2_b", Decision.APPLIED));
        Decisions both = new EvidenceDecider.Decided(evidence);
        assertSame(evidence, both.evidence());
        Plan plan = Plan.of(found, local, both, 3, false);
        assertNull(plan.refusal());
        assertEquals(3, plan.changes().size(), "1_a marked; 2_b marked and recorded as applied");
        assertTrue(plan.changes().get(0) instanceof RowChange.MarkRolledBack m && m.id().equals("1_a-failed"));
        assertTrue(plan.changes().get(1) instanceof RowChange.MarkRolledBack m && m.id().equals("2_b-failed"));
        assertTrue(plan.changes().get(2) instanceof RowChange.InsertApplied a && a.migrationName().equals("2_b"));
        assertEquals(List.of("1_a", "3_c"), plan.deploy());

        for (Decision refusing : java.util.Arrays.stream(Decision.values()).filter(d -> !d.acts()).toList()) {
            Map<String, MigrationEvidence> one = new LinkedHashMap<>(evidence);
            one.put("2_b", decided("2_b", refusing));
            Plan refused = Plan.of(found, local, new EvidenceDecider.Decided(one), 3, false);
            assertEquals(List.of(), refused.changes(), "nothing changes, not even 1_a's conclusive decision");
            assertEquals(ExitCode.FAILED_MIGRATIONS, refused.refusal().exitCode());
            assertEquals("MIGRATION_RESOLVE_STRATEGY=auto changed nothing: 2_b: " + refusing.label() + " - because 2_b"
                    + " (the evidence table is in the log above)", refused.refusal().getMessage());
        }
    }

    @Test
    void theHeldLockRunsTheWorkAsItIs() {
        assertEquals("done", LockScope.HELD.run(() -> "done"));
    }
}
