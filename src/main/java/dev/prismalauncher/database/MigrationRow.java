package dev.prismalauncher.database;

import java.time.Instant;

/** One row of {@code _prisma_migrations}; several rows per name are normal. */
public record MigrationRow(
        String id,
        String checksum,
        Instant finishedAt,
        String migrationName,
        String logs,
        Instant rolledBackAt,
        Instant startedAt,
        long appliedStepsCount) {

    /** Prisma's definition of a failed migration (P3009): started, neither finished nor rolled back. */
    public boolean isFailed() {
        return finishedAt == null && rolledBackAt == null;
    }

    public boolean isApplied() {
        return finishedAt != null && rolledBackAt == null;
    }

    public boolean isRolledBack() {
        return rolledBackAt != null;
    }
}
