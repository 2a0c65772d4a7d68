package dev.prismalauncher.plan;

import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What a {@link Decider} decided, applied to the rows as they are read (again, under Prisma's lock, when resolving). */
public interface Decisions {
    /** The row changes for the failed migrations {@code found} lists; where there is no decision to act on, exit 4, nothing written. */
    List<RowChange> changes(Inspection found, LocalMigrations local, int maxAttempts, Instant now);

    /** auto's evidence per failed migration, for the reports and the resolve event; empty for a fixed strategy. */
    Map<String, MigrationEvidence> evidence();
}
