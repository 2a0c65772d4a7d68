package dev.prismalauncher.plan;

import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.Resolver;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** none, rolled-back or applied: the same for every failed migration, decided before anything is read. */
public record FixedStrategy(ResolveStrategy strategy) implements Decider, Decisions {

    @Override
    public Decisions decide(Database db, Inspection found, LocalMigrations local, LockScope lock) {
        return this;
    }

    /** none refuses with Prisma's P3009 and the ways out; see {@link Resolver#plan}. */
    @Override
    public List<RowChange> changes(Inspection found, LocalMigrations local, int maxAttempts, Instant now) {
        return Resolver.plan(found, local, strategy, maxAttempts, now);
    }

    @Override
    public Map<String, MigrationEvidence> evidence() {
        return Map.of();
    }
}
