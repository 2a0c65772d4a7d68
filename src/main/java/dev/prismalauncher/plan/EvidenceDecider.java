package dev.prismalauncher.plan;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.evidence.Evidence;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.Trial;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.migrations.Resolver;
import dev.prismalauncher.report.EvidenceReport;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MIGRATION_RESOLVE_STRATEGY=auto: each failed migration decided from the database's evidence (the
 * catalog and, on PostgreSQL, the rolled-back trial), each evidence table logged; acting only when
 * every decision is conclusive.
 *
 * @param trialLockTimeout AUTO_TRIAL_LOCK_TIMEOUT
 * @param statementTimeout AUTO_TRIAL_STATEMENT_TIMEOUT: the whole trial, and each catalog query
 */
public record EvidenceDecider(Duration trialLockTimeout, Duration statementTimeout) implements Decider {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    @Override
    public Decisions decide(Database db, Inspection found, LocalMigrations local, LockScope lock) {
        if (found.count(MigrationState.FAILED) == 0) {
            return new Decided(Map.of()); // nothing to decide: no lock, no catalog, no trial
        }
        return new Decided(lock.run(() -> gather(db, found, local)));
    }

    private Map<String, MigrationEvidence> gather(Database db, Inspection found, LocalMigrations local) {
        var catalog = db.phase("auto evidence").catalog(statementTimeout);
        var trial = Trial.of(db, new Trial.Bounds(trialLockTimeout, statementTimeout), "the auto trial");
        Map<String, MigrationEvidence> out = new LinkedHashMap<>();
        for (String name : found.namesIn(MigrationState.FAILED)) {
            LocalMigration m = local.get(name);
            // the failed row's logs name the failing statement (MySQL); the folder's verify.sql proves what the catalog cannot
            String logs = found.rows().stream().filter(r -> r.migrationName().equals(name) && r.isFailed()).reduce((a, b) -> b)
                    .map(MigrationRow::logs).orElse(null);
            Evidence.Extras extras = Evidence.Extras.of(m == null ? null : m.directory(), logs);
            MigrationEvidence e = Evidence.gather(name, m == null ? null : m.script(), extras, db.dialect().provider(), catalog, trial);
            out.put(name, e);
            log.atInfo().addKeyValue("event", "evidence").addKeyValue("migration", name).addKeyValue("decision", e.decision().label())
                    .addKeyValue("reasons", e.reasons()).log("{}", EvidenceReport.table(e).stripTrailing());
        }
        return out;
    }

    /** auto's decisions: rolled-back or applied per migration, or a refusal (exit 4) unless every one is conclusive. */
    record Decided(Map<String, MigrationEvidence> evidence) implements Decisions {

        @Override
        public List<RowChange> changes(Inspection found, LocalMigrations local, int maxAttempts, Instant now) {
            refuseUnlessConclusive();
            return Resolver.plan(found, local, name -> strategyOf(evidence.get(name)), maxAttempts, now);
        }

        /** auto acts only on conclusive evidence: otherwise exit 4, nothing changed, no crash-loop attempt used. */
        private void refuseUnlessConclusive() {
            List<String> refusals = evidence.values().stream().filter(e -> !e.decision().acts())
                    .map(e -> e.migration() + ": " + e.decision().label() + " - " + String.join("; ", e.reasons())).toList();
            if (!refusals.isEmpty()) {
                throw new LauncherException(ExitCode.FAILED_MIGRATIONS, "MIGRATION_RESOLVE_STRATEGY=auto changed nothing: "
                        + String.join(" | ", refusals) + " (the evidence table is in the log above)");
            }
        }

        /** A migration without evidence (it failed after the evidence was gathered) has no decision. */
        private static ResolveStrategy strategyOf(MigrationEvidence e) {
            if (e == null) {
                return ResolveStrategy.NONE;
            }
            return switch (e.decision()) {
                case ROLLED_BACK -> ResolveStrategy.ROLLED_BACK;
                case APPLIED -> ResolveStrategy.APPLIED;
                default -> ResolveStrategy.NONE;
            };
        }
    }
}
