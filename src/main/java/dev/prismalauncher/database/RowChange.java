package dev.prismalauncher.database;

import java.time.Instant;

/** A change to {@code _prisma_migrations}, planned first (dry runs print them) and then written. */
public sealed interface RowChange {
    String migrationName();

    /** What `prisma migrate resolve --rolled-back` does to one failed row. */
    record MarkRolledBack(String id, String migrationName, Instant at) implements RowChange {}

    /** The row `prisma migrate resolve --applied` inserts: logs '', started_at = finished_at, steps 0. */
    record InsertApplied(String id, String migrationName, String checksum, Instant at) implements RowChange {}
}
