package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
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
 * PostgreSQL scripts as Prisma's engine runs them (flavour/postgres/connection.rs
 * {@code apply_migration_script}): the whole script as one simple-protocol query
 * ({@code simple_query}), which the server runs as one implicit transaction unless the script
 * controls transactions itself, without a socket timeout (Prisma runs scripts outside quaint's
 * socket-timeout wrapper). The session is Prisma's: the URL's schema created if missing (its
 * connection set-up) and alone on the search_path (quaint), the server's TimeZone.
 */
final class PostgresScripts extends ScriptSession {
    /** SQLSTATE lock_not_available: lock_timeout (or a NOWAIT) fired. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final Executor DIRECT = Runnable::run;

    private final MigrationTable migrations;

    private PostgresScripts(Connection connection, Dialect dialect) {
        super(connection);
        this.migrations = new MigrationTable(connection, dialect);
    }

    /** Sets up a connection opened in the simple query mode. */
    static PostgresScripts open(Connection c, String schema, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            createSchemaIfMissing(c, schema);
            // quaint's SetSearchPath; the schema has no '"' (validated with the URL)
            s.execute("SET search_path = \"" + schema + "\"");
            s.execute("SET TimeZone = '" + serverTimeZone(c).replace("'", "''") + "'");
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new PostgresScripts(c, dialect);
    }

    /**
     * As Prisma's connection set-up does when the URL's schema is missing in an existing database
     * (seen with the real CLI: {@code CREATE SCHEMA "ghost"}, before its lock is taken). Another
     * deployer creating it at the same moment is not an error here.
     */
    private static void createSchemaIfMissing(Connection c, String schema) throws SQLException {
        boolean exists = dev.prismalauncher.database.Query.read(c, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ?)",
                r -> r.next() && r.getBoolean(1), schema);
        if (exists) {
            return;
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
        for (String sql : List.of("SELECT substr(cfg, 10) FROM pg_db_role_setting d, unnest(d.setconfig) cfg"
                        + " WHERE lower(cfg) LIKE 'timezone=%'"
                        + " AND d.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))"
                        + " AND d.setrole IN (0, (SELECT oid FROM pg_roles WHERE rolname = session_user))"
                        + " ORDER BY (d.setdatabase <> 0 AND d.setrole <> 0) DESC, d.setrole <> 0 DESC LIMIT 1",
                "SELECT setting FROM pg_file_settings WHERE lower(name) = 'timezone' AND applied ORDER BY seqno DESC LIMIT 1")) {
            try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
                if (r.next()) {
                    return r.getString(1);
                }
            } catch (SQLException e) {
                // not readable by this user (the superuser's, or pg_read_all_settings'): the next source
            }
        }
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW log_timezone")) {
            r.next();
            return r.getString(1);
        }
    }

    @Override
    public MigrationTable migrations() {
        return migrations;
    }

    @Override
    public void lockTimeout(Duration timeout) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(timeout == null ? "RESET lock_timeout" : "SET lock_timeout = " + timeout.toMillis());
        }
    }

    @Override
    public long sessionId() {
        try {
            return connection.unwrap(BaseConnection.class).getQueryExecutor().getBackendPID();
        } catch (SQLException e) {
            return 0; // an unwrap of our own driver's connection does not fail
        }
    }

    /**
     * One Query message holding the whole script. Through the driver's executor rather than a
     * Statement, to count the statements the server completed before an error (PostgreSQL names
     * the failing statement only by a position, and gives none for most run-time errors) and to
     * drop result rows and notices as they come instead of keeping them.
     */
    @Override
    public ScriptError run(String script) throws SQLException {
        QueryExecutor executor = connection.unwrap(BaseConnection.class).getQueryExecutor();
        // not parameterised, no escape processing: in the simple query mode the text is sent as it is, unsplit
        CachedQuery query = executor.createQuery(script, false, false);
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
                return new ScriptError(ScriptError.Kind.LEFT_OPEN, handler.completed, null,
                        "the script opened a transaction (BEGIN) and did not end it (COMMIT); it was rolled back", null);
            }
            return null;
        } catch (SQLException e) {
            ScriptError error = error(e, handler.completed);
            if (error.kind() != ScriptError.Kind.SESSION_LOST && executor.getTransactionState() != TransactionState.IDLE) {
                // a script with its own BEGIN failed inside it: the block is aborted, and every later statement of this
                // session would be refused ("current transaction is aborted"), the failure's own record included (the
                // native engine loses the error so: prisma/orm#15295). Ending the block undoes only what it had left.
                rollback();
            }
            return error;
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

    private ScriptError error(SQLException e, int completed) throws SQLException {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m == null || connection.isClosed()) {
            return new ScriptError(ScriptError.Kind.SESSION_LOST, completed, e.getSQLState(), Database.describe(e), null);
        }
        ScriptError.Server server = new ScriptError.Server(m.getSeverity(), m.getSQLState(), m.getMessage(), m.getDetail(), m.getHint(),
                m.getPosition() > 0 ? m.getPosition() : null, m.getInternalPosition() > 0 ? m.getInternalPosition() : null,
                m.getInternalQuery(), m.getWhere(), m.getSchema(), m.getTable(), m.getColumn(), m.getDatatype(), m.getConstraint(),
                m.getFile(), m.getLine() > 0 ? m.getLine() : null, m.getRoutine());
        ScriptError.Kind kind = LOCK_NOT_AVAILABLE.equals(m.getSQLState()) ? ScriptError.Kind.LOCK_TIMEOUT : ScriptError.Kind.REFUSED;
        return new ScriptError(kind, completed, m.getSQLState(), m.getMessage(), server);
    }

    @Override
    void cancelRunning() throws SQLException {
        connection.unwrap(BaseConnection.class).cancelQuery();
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
