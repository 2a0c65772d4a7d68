package dev.prismalauncher.deploy;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.config.Provider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Field;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.TransactionState;
import org.postgresql.core.Tuple;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * PostgreSQL: all of the JDBC engine's SQL, and scripts run as Prisma's engine runs them
 * (flavour/postgres/connection.rs {@code apply_migration_script}): the whole script as one
 * simple-protocol query ({@code simple_query}), which the server runs as one implicit transaction
 * unless the script controls transactions itself, on a session whose search_path is the URL's
 * schema alone (quaint sets {@code search_path = "schema"} on connect), without a socket timeout
 * (Prisma runs scripts outside quaint's socket-timeout wrapper).
 */
final class PostgresScripts implements ScriptSession {
    /** flavour/postgres.rs create_migrations_table, byte for byte (indoc strips the indentation). */
    static final String MIGRATIONS_TABLE = """
            CREATE TABLE _prisma_migrations (
                id                      VARCHAR(36) PRIMARY KEY NOT NULL,
                checksum                VARCHAR(64) NOT NULL,
                finished_at             TIMESTAMPTZ,
                migration_name          VARCHAR(255) NOT NULL,
                logs                    TEXT,
                rolled_back_at          TIMESTAMPTZ,
                started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
                applied_steps_count     INTEGER NOT NULL DEFAULT 0
            );
            """;
    /** SQLSTATE lock_not_available: lock_timeout (or a NOWAIT) fired. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final Executor DIRECT = Runnable::run;

    private final Connection connection;
    private final String schema;
    private final Dialect dialect;
    private volatile boolean running;

    private PostgresScripts(Connection connection, String schema, Dialect dialect) {
        this.connection = connection;
        this.schema = schema;
        this.dialect = dialect;
    }

    static PostgresScripts open(DatabaseUrl url, Dialect dialect) throws SQLException {
        Connection c = dialect.connectForScripts(url);
        try (Statement s = c.createStatement()) {
            createSchemaIfMissing(c, url.schema());
            // quaint's SetSearchPath; the schema has no '"' (validated with the URL)
            s.execute("SET search_path = \"" + url.schema() + "\"");
            s.execute("SET TimeZone = '" + serverTimeZone(c).replace("'", "''") + "'");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return new PostgresScripts(c, url.schema(), dialect);
    }

    /**
     * As Prisma's connection set-up does when the URL's schema is missing in an existing database
     * (seen with the real CLI: {@code CREATE SCHEMA "ghost"}, before its lock is taken). Another
     * deployer creating it at the same moment is not an error here.
     */
    private static void createSchemaIfMissing(Connection c, String schema) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            exists.setString(1, schema);
            try (ResultSet r = exists.executeQuery()) {
                r.next();
                if (r.getBoolean(1)) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA \"" + schema + "\"");
        } catch (SQLException e) {
            if (!"42P06".equals(e.getSQLState()) && !"23505".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /**
     * The TimeZone a session of Prisma's would have. The JDBC driver sends the JVM's time zone when
     * it connects, which outranks the server's own default; Prisma's driver sends none. It matters
     * to a script that turns a timestamp into a timestamptz (Prisma's own `SET DATA TYPE
     * TIMESTAMPTZ` does). The database's and role's setting, else the configuration file's, where
     * this user may read them (as the server would apply them); else log_timezone, which initdb (and
     * the managed services) set to the same zone as timezone.
     */
    static String serverTimeZone(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT substr(cfg, 10) FROM pg_db_role_setting d,"
                + " unnest(d.setconfig) cfg WHERE lower(cfg) LIKE 'timezone=%'"
                + " AND d.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))"
                + " AND d.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = session_user))"
                + " ORDER BY (d.setdatabase <> 0 AND d.setrole <> 0) DESC, d.setrole <> 0 DESC LIMIT 1")) {
            if (r.next()) {
                return r.getString(1);
            }
        } catch (SQLException e) {
            // not readable by this user (pg_db_role_setting is the superuser's): the server-wide default, below
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT setting FROM pg_file_settings WHERE lower(name) = 'timezone' AND applied ORDER BY seqno DESC LIMIT 1")) {
            if (r.next()) {
                return r.getString(1);
            }
        } catch (SQLException e) {
            // pg_read_all_settings only
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW log_timezone")) {
            r.next();
            return r.getString(1);
        }
    }

    @Override
    public List<String> tableNames() throws SQLException {
        // flavour/postgres.rs table_names: ordinary tables of the schema
        try (PreparedStatement s = connection.prepareStatement("SELECT tbl.relname AS table_name FROM pg_class AS tbl"
                + " INNER JOIN pg_namespace AS namespace ON namespace.oid = tbl.relnamespace"
                + " WHERE tbl.relkind = 'r' AND namespace.nspname = ?")) {
            s.setString(1, schema);
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(r.getString(1));
                }
            }
            return names;
        }
    }

    @Override
    public void createMigrationsTable() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(MIGRATIONS_TABLE);
        }
    }

    /**
     * Committed without waiting for its WAL to reach disk (synchronous_commit off for this one
     * transaction, one round trip): the script's own commit, which follows at once, flushes it. Had
     * the server crashed before that, the script had not run either and the migration is simply
     * pending, where a lost row could mislead no one. One fsync less per migration.
     */
    @Override
    public void recordStarted(String id, String name, String checksum, Instant startedAt) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("BEGIN; SET LOCAL synchronous_commit = off;"
                + " INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?); COMMIT")) {
            s.setString(1, id);
            s.setString(2, checksum);
            dialect.setTimestamp(s, 3, startedAt);
            s.setString(4, name);
            s.execute();
        }
    }

    @Override
    public void recordFinished(String id, Instant finishedAt) throws SQLException {
        // record_successful_step and record_migration_finished in one statement (Prisma sends two): the row ends the same,
        // one commit sooner
        try (PreparedStatement s = connection.prepareStatement(
                "UPDATE _prisma_migrations SET applied_steps_count = (applied_steps_count + 1), finished_at = ? WHERE id = ?")) {
            dialect.setTimestamp(s, 1, finishedAt);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    @Override
    public void recordFailed(String id, String logs) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("UPDATE _prisma_migrations SET logs = ? WHERE id = ?")) {
            s.setString(1, logs);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    @Override
    public void forget(String id) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "DELETE FROM _prisma_migrations WHERE id = ? AND finished_at IS NULL AND logs IS NULL")) {
            s.setString(1, id);
            s.executeUpdate();
        }
    }

    @Override
    public void lockTimeout(Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(timeout == null ? "RESET lock_timeout" : "SET lock_timeout = " + timeout.toMillis());
        }
    }

    @Override
    public long sessionId() throws SQLException {
        return connection.unwrap(BaseConnection.class).getQueryExecutor().getBackendPID();
    }

    /**
     * One Query message holding the whole script. Through the driver's executor rather than a
     * Statement, to count the statements the server completed before an error (PostgreSQL names
     * the failing statement only by a position, and gives none for most run-time errors) and to
     * drop result rows and notices as they come instead of keeping them.
     */
    @Override
    public ScriptFailure run(MigrationScript script) throws SQLException {
        BaseConnection pg = connection.unwrap(BaseConnection.class);
        QueryExecutor executor = pg.getQueryExecutor();
        // not parameterised, no escape processing: in the simple query mode the text is sent as it is, unsplit
        CachedQuery query = executor.createQuery(script.text(), false, false);
        Counting handler = new Counting();
        int socketTimeout = connection.getNetworkTimeout();
        connection.setNetworkTimeout(DIRECT, 0);
        running = true;
        try {
            executor.execute(query.query, null, handler, 0, 0, QueryExecutor.QUERY_EXECUTE_AS_SIMPLE | QueryExecutor.QUERY_ONESHOT
                    | QueryExecutor.QUERY_SUPPRESS_BEGIN | QueryExecutor.QUERY_NO_BINARY_TRANSFER);
            if (executor.getTransactionState() != TransactionState.IDLE) {
                // BEGIN without COMMIT: Prisma would write its rows inside that block and lose them all when its session
                // closes; refuse it instead, nothing of the block kept
                rollback();
                String error = "the script opened a transaction (BEGIN) and did not end it (COMMIT); it was rolled back";
                return new ScriptFailure(null, error, null, PrismaLogs.withoutServerError(script.name(), error), ScriptFailure.Kind.REFUSED);
            }
            return null;
        } catch (SQLException e) {
            ScriptFailure failure = failure(script, e, handler.completed);
            if (failure.kind() != ScriptFailure.Kind.CONNECTION_LOST && executor.getTransactionState() != TransactionState.IDLE) {
                // a script with its own BEGIN failed inside it: the block is aborted, and every later statement of this
                // session would be refused ("current transaction is aborted"), the failure's own record included (the
                // native engine loses the error so: prisma/orm#15295). Ending the block undoes only what it had left.
                rollback();
            }
            return failure;
        } finally {
            running = false;
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(DIRECT, socketTimeout);
            }
        }
    }

    private void rollback() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        }
    }

    private ScriptFailure failure(MigrationScript script, SQLException e, int completed) throws SQLException {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server == null || connection.isClosed()) {
            String error = dev.prismalauncher.database.Database.describe(e);
            return new ScriptFailure(e.getSQLState(), error, Statements.failing(script.text(), Provider.POSTGRESQL, completed, null),
                    PrismaLogs.withoutServerError(script.name(), error), ScriptFailure.Kind.CONNECTION_LOST);
        }
        PrismaLogs.DbError db = new PrismaLogs.DbError(server.getSeverity(), server.getSQLState(), server.getMessage(),
                server.getDetail(), server.getHint(), server.getPosition() > 0 ? server.getPosition() : null,
                server.getInternalPosition() > 0 ? server.getInternalPosition() : null, server.getInternalQuery(), server.getWhere(),
                server.getSchema(), server.getTable(), server.getColumn(), server.getDatatype(), server.getConstraint(),
                server.getFile(), server.getLine() > 0 ? server.getLine() : null, server.getRoutine());
        ScriptFailure.Kind kind = LOCK_NOT_AVAILABLE.equals(server.getSQLState()) ? ScriptFailure.Kind.LOCK_TIMEOUT : ScriptFailure.Kind.REFUSED;
        return new ScriptFailure(server.getSQLState(), db.display(), Statements.failing(script.text(), Provider.POSTGRESQL, completed, db.position()),
                PrismaLogs.postgres(script.name(), db, script.text()), kind);
    }

    @Override
    public void cancel() {
        if (running) {
            try {
                connection.unwrap(BaseConnection.class).cancelQuery();
            } catch (SQLException e) {
                // the statement ends with the connection anyway
            }
        }
    }

    @Override
    public void close() {
        cancel();
        try {
            connection.close();
        } catch (SQLException e) {
            // a connection we are discarding
        }
    }

    /** Counts completed statements; keeps no rows and no notices (memory stays bounded whatever the script prints). */
    private static final class Counting extends ResultHandlerBase {
        volatile int completed;

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            completed++;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            completed++;
        }

        @Override
        public void handleWarning(SQLWarning warning) {
            // RAISE NOTICE and "already exists, skipping": Prisma shows none of them either
        }
    }
}
