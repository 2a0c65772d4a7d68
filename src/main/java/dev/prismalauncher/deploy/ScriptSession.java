package dev.prismalauncher.deploy;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.Dialect;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The JDBC engine's own session on the migration database, one implementation per database
 * holding all of the engine's SQL: it runs scripts as Prisma's engine runs them and writes
 * {@code _prisma_migrations} as Prisma's migration persistence writes it
 * (sql_migration_persistence.rs). The launcher's locks are held on its other session; Prisma's
 * engine uses one session for both, which makes no difference to what is written.
 */
sealed interface ScriptSession extends AutoCloseable permits PostgresScripts, MySqlScripts {

    static ScriptSession open(DatabaseUrl url, Dialect dialect) throws SQLException {
        return switch (dialect.provider()) {
            case POSTGRESQL -> PostgresScripts.open(url, dialect);
            case MYSQL -> MySqlScripts.open(url, dialect);
        };
    }

    /** Prisma's table_names: the base tables it counts before it adopts a database (P3005). */
    List<String> tableNames() throws SQLException;

    /** Prisma's create_migrations_table, its exact DDL run as it runs it. */
    void createMigrationsTable() throws SQLException;

    /** record_migration_started: id (UUID v4), checksum, started_at, migration_name; the rest as defaulted. */
    void recordStarted(String id, String name, String checksum, Instant startedAt) throws SQLException;

    /** record_successful_step (applied_steps_count + 1) and record_migration_finished (finished_at). */
    void recordFinished(String id, Instant finishedAt) throws SQLException;

    /** record_failed_step: the logs; finished_at stays NULL. */
    void recordFailed(String id, String logs) throws SQLException;

    /**
     * Removes the started row of an attempt whose transaction was rolled back whole (a lock timeout):
     * it records nothing that happened. Prisma never needs this: it has no lock timeout to retry.
     */
    void forget(String id) throws SQLException;

    /** Runs the whole script as Prisma runs it; null when it succeeded. */
    ScriptFailure run(MigrationScript script) throws SQLException;

    /** Asks the server to stop the statement running now, if any (DEPLOY_TIMEOUT, a stop signal); safe from another thread. */
    void cancel();

    /** DDL_LOCK_TIMEOUT (PostgreSQL): lock_timeout for the next scripts; null restores the session's own. */
    void lockTimeout(Duration timeout) throws SQLException;

    /** The server's id of this session (PostgreSQL backend pid), for finding who blocks it. */
    long sessionId() throws SQLException;

    /** Cancels a running script first: the server would otherwise run it to its end, and commit it, unrecorded. */
    @Override
    void close();
}
