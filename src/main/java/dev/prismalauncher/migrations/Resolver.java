package dev.prismalauncher.migrations;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Turns failed migrations into the row changes `prisma migrate resolve` would make
 * (schema-engine core, mark_migration_rolled_back.rs and mark_migration_applied.rs). Where
 * Prisma would refuse, so do we: exit 4, nothing written.
 */
public final class Resolver {

    /**
     * @param maxAttempts crash-loop guard: with rolled-back, a migration whose failures were already
     *     rolled back this many times is refused rather than retried forever
     */
    public static List<RowChange> plan(Inspection inspection, LocalMigrations local, ResolveStrategy strategy, int maxAttempts, Instant now) {
        List<MigrationStatus> failed = inspection.in(MigrationState.FAILED);
        if (failed.isEmpty()) {
            return List.of();
        }
        if (strategy == ResolveStrategy.NONE) {
            throw new LauncherException(ExitCode.FAILED_MIGRATIONS, describe(inspection, failed)
                    + "; prisma migrate deploy would stop with P3009. Fix it, then either set MIGRATION_RESOLVE_STRATEGY=rolled-back"
                    + " (the migration is retried by the next deploy; its SQL must be safe to run again) or"
                    + " MIGRATION_RESOLVE_STRATEGY=applied (you completed it by hand), or MIGRATION_RESOLVE_STRATEGY=auto (decided from"
                    + " the database's evidence, refusing unless conclusive), or run `prisma migrate resolve` yourself");
        }
        return plan(inspection, local, name -> strategy, maxAttempts, now);
    }

    /**
     * As {@link #plan(Inspection, LocalMigrations, ResolveStrategy, int, Instant)}, with a strategy per
     * failed migration (auto's decisions: rolled-back or applied for each).
     */
    public static List<RowChange> plan(Inspection inspection, LocalMigrations local, Function<String, ResolveStrategy> strategyOf,
            int maxAttempts, Instant now) {
        List<RowChange> changes = new ArrayList<>();
        for (MigrationStatus m : inspection.in(MigrationState.FAILED)) {
            ResolveStrategy strategy = strategyOf.apply(m.name());
            if (strategy != ResolveStrategy.ROLLED_BACK && strategy != ResolveStrategy.APPLIED) {
                throw new LauncherException(ExitCode.FAILED_MIGRATIONS, m.name() + " is failed and has no decision (" + strategy.label()
                        + "); it failed again while the launcher looked, or appeared after the evidence was gathered: not resolving it");
            }
            List<MigrationRow> rows = inspection.rows().stream().filter(r -> r.migrationName().equals(m.name())).toList();
            if (strategy == ResolveStrategy.ROLLED_BACK && m.earlierRollbacks() >= maxAttempts) {
                throw new LauncherException(ExitCode.FAILED_MIGRATIONS, m.name() + " failed again after being rolled back "
                        + m.earlierRollbacks() + " times (crash-loop guard, MAX_RESOLVE_ATTEMPTS=" + maxAttempts + "); not resolving it again."
                        + lastError(inspection, m.name()) + " Fix migration.sql (or the database) and then resolve it by hand:"
                        + " `prisma migrate resolve --rolled-back " + m.name() + "` to retry, or `--applied` if you completed it;"
                        + " or raise MAX_RESOLVE_ATTEMPTS");
            }
            if (strategy == ResolveStrategy.APPLIED) {
                if (local.get(m.name()) == null || !local.get(m.name()).hasScript()) {
                    throw new LauncherException(ExitCode.FAILED_MIGRATIONS, "cannot resolve " + m.name() + " as applied: "
                            + local.directory().resolve(m.name()).resolve("migration.sql")
                            + " does not exist, and Prisma records its checksum (P3017); restore the folder or use rolled-back");
                }
                if (rows.stream().anyMatch(r -> r.finishedAt() != null)) {
                    throw new LauncherException(ExitCode.FAILED_MIGRATIONS, "cannot resolve " + m.name() + " as applied: a row of it"
                            + " is already recorded as finished, and Prisma refuses that (P3008); inspect _prisma_migrations by hand");
                }
            }
            for (MigrationRow row : rows) {
                if (row.isFailed()) {
                    changes.add(new RowChange.MarkRolledBack(row.id(), row.migrationName(), now));
                }
            }
            if (strategy == ResolveStrategy.APPLIED) {
                changes.add(new RowChange.InsertApplied(UUID.randomUUID().toString(), m.name(), local.get(m.name()).checksum(), now));
            }
        }
        return changes;
    }

    /**
     * What `prisma migrate deploy` would apply after these changes, in the order it applies them: as
     * its apply_migrations lists them, the local folders that have no row left that is not rolled
     * back, in the folder's order. So a failed migration marked rolled back runs again, but not one
     * that also has an applied row, and neither one left failed nor one recorded as applied.
     */
    public static List<String> wouldDeploy(Inspection inspection, LocalMigrations local, List<RowChange> changes) {
        Set<String> markedRolledBack = new HashSet<>();
        Set<String> recorded = new HashSet<>();
        for (RowChange c : changes) {
            switch (c) {
                case RowChange.MarkRolledBack m -> markedRolledBack.add(m.id());
                case RowChange.InsertApplied a -> recorded.add(a.migrationName());
            }
        }
        for (MigrationRow r : inspection.rows()) {
            if (!r.isRolledBack() && !markedRolledBack.contains(r.id())) {
                recorded.add(r.migrationName());
            }
        }
        return local.names().stream().filter(name -> !recorded.contains(name)).toList();
    }

    private static String describe(Inspection inspection, List<MigrationStatus> failed) {
        StringBuilder b = new StringBuilder();
        b.append(failed.size()).append(failed.size() == 1 ? " failed migration: " : " failed migrations: ");
        for (int i = 0; i < failed.size(); i++) {
            MigrationStatus m = failed.get(i);
            if (i > 0) {
                b.append("; ");
            }
            b.append(m.name());
            String error = firstLogLine(inspection, m.name());
            if (error != null) {
                b.append(", which failed with ").append(error);
            }
        }
        return b.toString();
    }

    /** The database's own words for a failed migration, from its failed row's logs (see {@link FailureLog}). */
    private static String firstLogLine(Inspection inspection, String name) {
        return inspection.rows().stream()
                .filter(r -> r.migrationName().equals(name) && r.isFailed())
                .map(r -> FailureLog.parse(r.logs()))
                .filter(f -> f != null && !f.error().isEmpty())
                .map(FailureLog::describe)
                .reduce((a, b) -> b) // the latest attempt
                .orElse(null);
    }

    private static String lastError(Inspection inspection, String name) {
        String error = firstLogLine(inspection, name);
        return error == null ? " Its last error is in _prisma_migrations.logs." : " Its last error: " + error + ".";
    }

    private Resolver() {}
}
