package dev.prismalauncher.deploy;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Lock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import com.mysql.cj.NativeSession;
import com.mysql.cj.exceptions.CJException;
import com.mysql.cj.jdbc.JdbcConnection;
import com.mysql.cj.jdbc.exceptions.SQLExceptionsMapping;
import com.mysql.cj.protocol.Resultset;
import com.mysql.cj.protocol.a.NativeMessageBuilder;
import com.mysql.cj.protocol.a.NativePacketPayload;
import com.mysql.cj.protocol.a.NativeProtocol;
import com.mysql.cj.protocol.a.ResultsetFactory;

/**
 * MySQL and MariaDB: all of the JDBC engine's SQL, and scripts run as Prisma's engine runs them
 * (flavour/mysql/connection.rs {@code apply_migration_script}): the whole script as one
 * multi-statement text query, its results read one by one; the server stops at the first error,
 * and every statement before it stays (each DDL commits by itself). The failing statement is
 * named by its number, as Prisma names it ("query number N").
 */
final class MySqlScripts implements ScriptSession {
    /** flavour/mysql.rs create_migrations_table, byte for byte (indoc strips the indentation). */
    static final String MIGRATIONS_TABLE = """
            CREATE TABLE _prisma_migrations (
                id                      VARCHAR(36) PRIMARY KEY NOT NULL,
                checksum                VARCHAR(64) NOT NULL,
                finished_at             DATETIME(3),
                migration_name          VARCHAR(255) NOT NULL,
                logs                    TEXT,
                rolled_back_at          DATETIME(3),
                started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
            ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            """;
    private static final Executor DIRECT = Runnable::run;
    private static final java.util.regex.Pattern SYSTEM_DATABASES = java.util.regex.Pattern.compile(
            "mysql|information_schema|performance_schema|sys", java.util.regex.Pattern.CASE_INSENSITIVE);

    private final Connection connection;
    private final String database;
    private final Dialect dialect;
    private final DatabaseUrl url;
    private final long threadId;
    private volatile boolean running;

    private MySqlScripts(Connection connection, DatabaseUrl url, Dialect dialect) throws SQLException {
        this.connection = connection;
        this.url = url;
        this.database = url.database();
        this.dialect = dialect;
        this.threadId = connection.unwrap(JdbcConnection.class).getSession().getThreadId();
    }

    static MySqlScripts open(DatabaseUrl url, Dialect dialect) throws SQLException {
        if (SYSTEM_DATABASES.matcher(url.database()).matches()) {
            // flavour/mysql.rs with_connection: MYSQL_SYSTEM_DATABASES, refused before anything is run
            throw new dev.prismalauncher.LauncherException(dev.prismalauncher.ExitCode.DEPLOY_FAILED, "The `" + url.database()
                    + "` database is a system database, it should not be altered with prisma migrate. Please connect to another database.");
        }
        Connection c = dialect.connectForScripts(url);
        try {
            return new MySqlScripts(c, url, dialect);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public List<String> tableNames() throws SQLException {
        // flavour/mysql.rs table_names: base tables (with columns) of the URL's database, by exact name
        try (PreparedStatement s = connection.prepareStatement("SELECT DISTINCT BINARY table_info.table_name AS table_name"
                + " FROM information_schema.tables AS table_info"
                + " JOIN information_schema.columns AS column_info ON BINARY column_info.table_name = BINARY table_info.table_name"
                + " WHERE table_info.table_schema = ? AND column_info.table_schema = ? AND table_info.table_type = 'BASE TABLE'"
                + " ORDER BY BINARY table_info.table_name")) {
            s.setString(1, database);
            s.setString(2, database);
            List<String> names = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    names.add(new String(r.getBytes(1), java.nio.charset.StandardCharsets.UTF_8));
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

    @Override
    public void recordStarted(String id, String name, String checksum, Instant startedAt) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "INSERT INTO `_prisma_migrations` (`id`, `checksum`, `started_at`, `migration_name`) VALUES (?, ?, ?, ?)")) {
            s.setString(1, id);
            s.setString(2, checksum);
            dialect.setTimestamp(s, 3, startedAt);
            s.setString(4, name);
            s.executeUpdate();
        }
    }

    @Override
    public void recordFinished(String id, Instant finishedAt) throws SQLException {
        // record_successful_step and record_migration_finished in one statement (Prisma sends two): the row ends the same
        try (PreparedStatement s = connection.prepareStatement("UPDATE `_prisma_migrations`"
                + " SET `applied_steps_count` = (`applied_steps_count` + 1), `finished_at` = ? WHERE `id` = ?")) {
            dialect.setTimestamp(s, 1, finishedAt);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    @Override
    public void recordFailed(String id, String logs) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("UPDATE `_prisma_migrations` SET `logs` = ? WHERE `id` = ?")) {
            s.setString(1, logs);
            s.setString(2, id);
            s.executeUpdate();
        }
    }

    @Override
    public void forget(String id) {
        throw new UnsupportedOperationException("MySQL cannot roll a migration back whole; DDL_LOCK_TIMEOUT is refused there");
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
    public ScriptFailure run(MigrationScript script) throws SQLException {
        byte[] sql = script.text().getBytes(StandardCharsets.UTF_8); // the session speaks utf8mb4
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
            ScriptFailure failure = failure(script, SQLExceptionsMapping.translateException(e), completed);
            if (failure.kind() != ScriptFailure.Kind.CONNECTION_LOST) {
                // a script's own START TRANSACTION stays open after an error; the failure's record must not join it
                // (closing the session would roll it back, and the record with it). Without one, ROLLBACK does nothing.
                try (Statement s = connection.createStatement()) {
                    s.execute("ROLLBACK");
                }
            }
            return failure;
        } finally {
            running = false;
            lock.unlock();
            if (!connection.isClosed()) {
                connection.setNetworkTimeout(DIRECT, socketTimeout);
            }
        }
    }

    private ScriptFailure failure(MigrationScript script, SQLException e, int completed) throws SQLException {
        int code = e.getErrorCode();
        if (code == 0 || connection.isClosed()) {
            String error = Database.describe(e);
            return new ScriptFailure(null, error, Statements.failing(script.text(), Provider.MYSQL, completed, null),
                    PrismaLogs.withoutServerError(script.name(), error), ScriptFailure.Kind.CONNECTION_LOST);
        }
        String message = serverMessage(e);
        return new ScriptFailure(String.valueOf(code), message, Statements.failing(script.text(), Provider.MYSQL, completed, null),
                PrismaLogs.mysql(script.name(), code, message, completed + 1), ScriptFailure.Kind.REFUSED);
    }

    /** The server's text: Connector/J prefixes some (data truncation) with its own words. */
    private static String serverMessage(SQLException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return m.startsWith("Data truncation: ") ? m.substring("Data truncation: ".length()) : m;
    }

    /** KILL QUERY from a second connection, as the driver's own Statement.cancel does. */
    @Override
    public void cancel() {
        if (running) {
            try (Connection other = dialect.connect(url); Statement s = other.createStatement()) {
                s.execute("KILL QUERY " + threadId);
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
}
