package dev.prismalauncher.deploy;

/**
 * Why a migration script did not complete.
 *
 * @param code the database's error code (SQLSTATE, MySQL number), or null
 * @param error the database's own message, one or a few lines
 * @param statement which statement failed ("statement 3 (line 12): ALTER TABLE ..."), or null when unknown
 * @param logs what goes into the failed row's logs, in Prisma's shape ({@link PrismaLogs})
 * @param kind what the failure means for the migration
 */
public record ScriptFailure(String code, String error, String statement, String logs, Kind kind) {

    public enum Kind {
        /** The database refused a statement: the row is recorded failed, as Prisma records it. */
        REFUSED,
        /**
         * PostgreSQL could not get a lock within DDL_LOCK_TIMEOUT (55P03): the script's transaction
         * was rolled back whole, so the migration can be tried again.
         */
        LOCK_TIMEOUT,
        /** The session ended mid-script: whether the script committed is unknown; nothing more can be written on it. */
        CONNECTION_LOST
    }

    /** "database error 23502: ERROR: ... at statement 2 (line 5): ALTER TABLE ...", one line. */
    public String describe() {
        return (code == null ? "" : "database error " + code + ": ") + error.replace('\n', ' ')
                + (statement == null ? "" : ", at " + statement);
    }
}
