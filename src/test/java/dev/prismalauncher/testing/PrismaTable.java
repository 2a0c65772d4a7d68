package dev.prismalauncher.testing;

/**
 * Prisma's own DDL for _prisma_migrations (sql-schema-connector, flavour/postgres.rs and
 * flavour/mysql.rs), so tests can lay out failed states exactly as Prisma leaves them.
 */
public final class PrismaTable {

    public static String ddl(TestDatabase.Kind kind, String schema) {
        if (kind == TestDatabase.Kind.POSTGRESQL) {
            return "CREATE TABLE " + (schema == null ? "" : "\"" + schema + "\".") + "_prisma_migrations (\n"
                    + "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                    + "    checksum                VARCHAR(64) NOT NULL,\n"
                    + "    finished_at             TIMESTAMPTZ,\n"
                    + "    migration_name          VARCHAR(255) NOT NULL,\n"
                    + "    logs                    TEXT,\n"
                    + "    rolled_back_at          TIMESTAMPTZ,\n"
                    + "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                    + "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
                    + ")";
        }
        return "CREATE TABLE _prisma_migrations (\n"
                + "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                + "    checksum                VARCHAR(64) NOT NULL,\n"
                + "    finished_at             DATETIME(3),\n"
                + "    migration_name          VARCHAR(255) NOT NULL,\n"
                + "    logs                    TEXT,\n"
                + "    rolled_back_at          DATETIME(3),\n"
                + "    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
                + "    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0\n"
                + ") DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    }

    /** The columns compared against what Prisma writes: all but id and the timestamps (which are given as IS NULL). */
    public static String comparableRows(TestDatabase.Kind kind, String schema) {
        String table = kind == TestDatabase.Kind.POSTGRESQL && schema != null ? "\"" + schema + "\"._prisma_migrations" : "_prisma_migrations";
        return "SELECT migration_name, checksum, logs, applied_steps_count, finished_at IS NULL AS unfinished,"
                + " rolled_back_at IS NULL AS not_rolled_back, (finished_at = started_at) AS finished_at_start"
                + " FROM " + table + " ORDER BY migration_name, started_at, rolled_back_at IS NULL";
    }

    private PrismaTable() {}
}
