package dev.prismalauncher.database;

/**
 * Why a script did not complete, as the database said it: what the JDBC engine needs to write the
 * failed row's logs in Prisma's shape and to name the failing statement.
 *
 * @param completed the statements the server completed before the error (the failing one is the next)
 * @param code the SQLSTATE (PostgreSQL) or error number (MySQL); null when there was none
 * @param message the database's message (MySQL: the server's text as it sent it)
 * @param server PostgreSQL's error fields, as Prisma's driver (tokio-postgres) keeps them; null on MySQL
 *     or without a server error
 */
public record ScriptError(Kind kind, int completed, String code, String message, Server server) {

    public enum Kind {
        /** The database refused a statement. */
        REFUSED,
        /** PostgreSQL could not get a lock within lock_timeout (55P03): the script's transaction was rolled back. */
        LOCK_TIMEOUT,
        /** The session ended mid-script: whether the script committed is unknown; nothing more can be written on it. */
        SESSION_LOST,
        /** The script opened a transaction and did not end it; it was rolled back. */
        LEFT_OPEN
    }

    /** A PostgreSQL ErrorResponse, field by field (protocol letters S C M D H P p q W s t c d n F L R). */
    public record Server(String severity, String code, String message, String detail, String hint, Integer position,
            Integer internalPosition, String internalQuery, String where, String schema, String table, String column,
            String datatype, String constraint, String file, Integer line, String routine) {}
}
