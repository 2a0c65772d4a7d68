package dev.prismalauncher.migrations;

import java.time.Instant;

/**
 * One migration's standing.
 *
 * @param checksumMatches whether the local migration.sql still matches the checksum recorded for
 *     the row that counts; null when there is nothing to compare (pending, or missing locally)
 * @param earlierRollbacks how many failed attempts of this name were rolled back before
 */
public record MigrationStatus(
        String name,
        MigrationState state,
        Boolean checksumMatches,
        Instant startedAt,
        Instant finishedAt,
        int earlierRollbacks) {}
