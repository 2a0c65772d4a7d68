package dev.prismalauncher.plan;

import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;

/**
 * What is done with failed migrations (MIGRATION_RESOLVE_STRATEGY): one strategy for all of them
 * ({@link FixedStrategy}: none, rolled-back, applied), or auto's decision for each from the
 * database's evidence ({@link EvidenceDecider}). The launcher asks, and does not know which.
 */
public interface Decider {
    /**
     * Decides for the failed migrations {@code found} lists. auto gathers its evidence on {@code db}
     * within {@code lock}; a fixed strategy touches nothing ({@code db} may then be null: no database yet).
     */
    Decisions decide(Database db, Inspection found, LocalMigrations local, LockScope lock);

    static Decider of(Config config) {
        return config.strategy() == ResolveStrategy.AUTO
                ? new EvidenceDecider(config.autoTrialLockTimeout(), config.autoTrialStatementTimeout())
                : new FixedStrategy(config.strategy());
    }
}
