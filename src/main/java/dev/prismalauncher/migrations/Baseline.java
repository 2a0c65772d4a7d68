package dev.prismalauncher.migrations;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.UnmanagedTables;

/**
 * A database with tables but no {@code _prisma_migrations} is not Prisma Migrate's: `prisma
 * migrate deploy` refuses it (P3005) rather than run the first migration over an existing schema,
 * and so does the launcher, on every path (run, migrate, status, dry run), before touching it.
 */
public final class Baseline {

    public static void refuseUnmanaged(DatabaseUrl url, UnmanagedTables tables, LocalMigrations local) {
        if (tables.isEmpty()) {
            return;
        }
        String first = local.names().isEmpty() ? "<first migration>" : local.names().getFirst();
        throw new LauncherException(ExitCode.DEPLOY_FAILED, url + " has " + tables.describe() + ", but no _prisma_migrations table:"
                + " it is not managed by Prisma Migrate, and prisma migrate deploy refuses it (P3005: the database schema is not empty)."
                + " Baseline it once: make the first migration create the existing schema, then record it as applied with"
                + " `prisma migrate resolve --applied " + first + "` (https://pris.ly/d/migrate-baseline). Nothing was changed");
    }

    private Baseline() {}
}
