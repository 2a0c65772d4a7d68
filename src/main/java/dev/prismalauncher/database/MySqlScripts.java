package dev.prismalauncher.database;

import com.mysql.cj.NativeSession;
import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.a.NativeMessageBuilder;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.NativeProtocol;
import com.mysql.cj.protocol.a.ResultsetFactory;
import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.util.regex.Pattern;

/**
 * MySQL and MariaDB scripts as Prisma's engine runs them (flavour/mysql/connection.rs
 * {@code apply_migration_script}): the whole script as one multi-statement text query, its results
 * read one by one and counted; the server stops at the first error, and every statement before it
 * stays (each DDL commits by itself).
 */
final class MySqlScripts extends ScriptSession {
    private static final Executor DIRECT = Runnable::run;
    /** flavour/mysql.rs with_connection: MYSQL_SYSTEM_DATABASES, refused before anything is run. */
    private static final Pattern SYSTEM_DATABASES = Pattern.compile("mysql|information_schema|performance_schema|sys",
            Pattern.CASE_INSENSITIVE);

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final MigrationTable migrations;
    private final long threadId;

    private MySqlScripts(Connection connection, DatabaseUrl url, Dialect dialect) throws SQLException {
        super(connection);
        this.url = url;
        this.dialect = dialect;
        this.migrations = new MigrationTable(connection, dialect);
        this.threadId = connection.unwrap(JdbcConnection.class).getSession().getThreadId();
    }

    static void refuseSystemDatabase(DatabaseUrl url) {
        if (SYSTEM_DATABASES.matcher(url.database()).matches()) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "The `" + url.database() + "` database is a system database,"
                    + " it should not be altered with prisma migrate. Please connect to another database.");
        }
    }

    /** Wraps a connection opened with multi-statement queries allowed. */
    static MySqlScripts open(Connection c, DatabaseUrl url, Dialect dialect) throws SQLException {
        try {
            return new MySqlScripts(c, url, dialect);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public MigrationTable migrations() {
        return migrations;
    }

    @Override
    public void lockTimeout(Duration timeout) {
        if (timeout != null) {
            throw new UnsupportedOperationException("DDL_LOCK_TIMEOUT is PostgreSQL's (refused with exit 2 on MySQL)");
        }
    }

    @Override
    public long sessionId() {
        return threadId;
    }

    /**
     * One COM_QUERY holding the whole script, its results read one at a time as Prisma's mysql_async
     * reads them: through the driver's protocol layer, because its Statement reads every result of a
     * multi-statement query before it reports an error, and so cannot say which statement failed.
     * Warnings are not turned into errors (the driver's jdbcCompliantTruncation would), as Prisma
     * does not either.
     */
    @Override
    public ScriptError run(String script) throws SQLException {
        byte[] sql = script.getBytes(StandardCharsets.UTF_8); // the session speaks utf8mb4
        JdbcConnection jdbc = connection.unwrap(JdbcConnection.class);
        int completed = 0;
        int socketTimeout = connection.getNetworkTimeout();
        connection.setNetworkTimeout(DIRECT, 0); // Prisma applies no socket timeout to a script
        Lock lock = jdbc.getLock();
        lock.lock();
        running = true;
        try {
            NativeSession session = (NativeSession) jdbc.getSession();
            NativeProtocol protocol = session.getProtocol();
            ResultsetFactory results = new ResultsetFactory(Resultset.Type.FORWARD_ONLY, Resultset.Concurrency.READ_ONLY);
            NativePacketPayload query = ((NativeMessageBuilder) protocol.getMessageBuilder()).buildComQuery(null, session, sql);
            sql = null; // the packet holds its own copy
            NativePacketPayload first = protocol.sendCommand(query, false, 0);
            first.setPosition(0);
            Resultset result = protocol.read(Resultset.class, -1, false, first, false, null, results);
            completed = 1;
            while (protocol.getServerSession().hasMoreResults()) {
                result = protocol.readNextResultset(result, -1, false, false, results); // the earlier ones are dropped
                completed++;
            }
            return null;
        } catch (CJException | IOException e) {
            SQLException failure = SQLExceptionsMapping.translateException(e);
            if (failure.getErrorCode() == 0 || connection.isClosed()) {
                return new ScriptError(ScriptError.Kind.SESSION_LOST, completed, failure.getSQLState(), Database.describe(failure), null);
            }
            // a script's own START TRANSACTION stays open after an error; the failure's record must not join it
            // (closing the session would roll it back, and the record with it). Without one, ROLLBACK does nothing.
            try (Statement s = connection.createStatement()) {
                s.execute("ROLLBACK");
            }
            return new ScriptError(ScriptError.Kind.REFUSED, completed, String.valueOf(failure.getErrorCode()), serverMessage(failure), null);
        } finally {
            running = false;
            lock.unlock();
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(DIRECT, socketTimeout);
            }
        }
    }

    /** The server's text: the driver prefixes some (data truncation) with its own words. */
    private static String serverMessage(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.startsWith("Data truncation: ") ? m.substring("Data truncation: ".length()) : m;
    }

    /** KILL QUERY from a second connection, as the driver's own Statement.cancel does. */
    @Override
    void cancelRunning() throws SQLException {
        try (Connection other = dialect.connect(url); Statement s = other.createStatement()) {
            s.execute("KILL QUERY " + threadId);
        }
    }
}
