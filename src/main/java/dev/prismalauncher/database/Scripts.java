package dev.prismalauncher.database;

import java.sql.SQLException;
import java.time.Duration;

/**
 * A session that runs migration scripts as Prisma's schema engine runs them (DEPLOY_ENGINE=jdbc),
 * one implementation per database: PostgreSQL sends the whole script as one simple-protocol query
 * (flavour/postgres/connection.rs, {@code simple_query}), MySQL as one multi-statement query whose
 * results are read one by one (flavour/mysql/connection.rs). The session is set up as Prisma's
 * connection is (PostgreSQL: the URL's schema, created if missing, alone on the search_path; the
 * server's TimeZone), and {@code _prisma_migrations} is written on it ({@link #migrations()}).
 * The launcher's locks stay on its own session; Prisma's engine uses one session for both, which
 * makes no difference to what is written.
 */
public sealed interface Scripts extends AutoCloseable permits ScriptSession {

    /** {@code _prisma_migrations} on this session: where the engine records what it runs. */
    MigrationTable migrations();

    /** Runs the whole script as Prisma runs it; null when it succeeded. */
    ScriptError run(String script) throws SQLException;

    /** Asks the server to stop the statement running now, if any (DEPLOY_TIMEOUT, a stop signal); safe from another thread. */
    void cancel();

    /** DDL_LOCK_TIMEOUT (PostgreSQL): lock_timeout for the next scripts; null restores the session's own. */
    void lockTimeout(Duration timeout) throws SQLException;

    /** The server's id of this session (PostgreSQL backend pid, MySQL connection id), for finding who blocks it. */
    long sessionId();

    /** Cancels a running script first: the server would otherwise run it to its end, and commit it, unrecorded. */
    @Override
    void close();
}
