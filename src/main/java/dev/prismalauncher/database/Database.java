package dev.prismalauncher.database;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.log.Secrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import dev.prismalauncher.process.Termination;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC connection to the migration database and the operations the launcher performs on
 * {@code _prisma_migrations}, all through its {@link Dialect}.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    private static final Duration LOCK_POLL = Duration.ofMillis(200);
    private static final long INITIAL_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long HOLDER_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** setNetworkTimeout only stores a number (PostgreSQL, Connector/J): nothing to run elsewhere. */
    private static final Executor DIRECT = Runnable::run;
    private static final String LOCK_WAIT = "the wait for ";

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final Connection connection;
    /** What the launcher is doing with this session, named when the database stops answering. */
    private String phase = "inspect";

    private Database(DatabaseUrl url, Dialect dialect, Connection connection) {
        this.url = url;
        this.dialect = dialect;
        this.connection = connection;
    }

    /** Connects once (no waiting); see {@link #connect}. */
    public static Optional<Database> open(DatabaseUrl url, Dialect dialect) {
        return connect(url, dialect, Duration.ZERO);
    }

    /**
     * Connects, retrying transient failures (refused, DNS not there yet, starting up, too many
     * connections) with exponential backoff and jitter for up to {@code wait}; fails at once on
     * anything else (authentication, TLS). Returns empty when the database does not exist yet:
     * that is not "unreachable", deploy creates it. Past the budget: exit 3 with the last reason.
     */
    public static Optional<Database> connect(DatabaseUrl url, Dialect dialect, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long delayMillis = INITIAL_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                Database db = new Database(url, dialect, dialect.connect(url));
                Termination.closeOnStop(db);
                if (attempt > 1) {
                    log.info("database reachable after {} attempts", attempt);
                }
                return Optional.of(db);
            } catch (SQLException e) {
                if (dialect.isMissingDatabase(e)) {
                    return Optional.empty();
                }
                String reason = describe(e);
                long left = deadline - System.nanoTime();
                if (!dialect.isTransient(e)) {
                    throw new LauncherException(ExitCode.UNREACHABLE, "cannot connect to " + url + ": " + reason
                            + (e.getSQLState() != null && e.getSQLState().startsWith("28") ? " (check the user and password in " + url.variable() + ")" : ""));
                }
                if (left <= 0) {
                    throw new LauncherException(ExitCode.UNREACHABLE, "cannot connect to " + url + ": " + reason
                            + (wait.isZero() ? "" : " (gave up after " + Values.text(wait) + " of retries; raise DB_WAIT_TIMEOUT to wait longer)"));
                }
                // full jitter on an exponential base, so twenty pods do not knock in step
                long sleep = Math.min(TimeUnit.NANOSECONDS.toMillis(left),
                        delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1));
                log.atInfo().addKeyValue("event", "db-wait").addKeyValue("attempt", attempt)
                        .log("database not reachable yet ({}); retrying in {} ms, {} s left", reason, sleep, TimeUnit.NANOSECONDS.toSeconds(left));
                Termination.sleep(sleep);
                delayMillis = Math.min(MAX_BACKOFF_MILLIS, delayMillis * 2);
            }
        }
    }

    /** A driver's message, one line, without any password; drivers chain the useful part as the cause. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        Throwable cause = e.getCause();
        if ((message == null || message.isBlank()) && cause != null) {
            message = cause.getMessage();
        } else if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + " (" + cause.getMessage() + ")";
        }
        if (message == null) {
            message = e.getClass().getSimpleName();
        }
        return Secrets.redact(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Catalog questions on this connection (MIGRATION_RESOLVE_STRATEGY=auto's evidence). */
    public Catalog catalog(Duration queryTimeout) {
        return dialect.catalog(connection, queryTimeout);
    }

    /** Names what follows (inspect, resolve, verify), for the message when the database stops answering. */
    public Database phase(String name) {
        this.phase = name;
        return this;
    }

    /** All rows, oldest first; none when the table does not exist yet. */
    public List<MigrationRow> rows() {
        try (PreparedStatement s = connection.prepareStatement(dialect.selectMigrations());
                ResultSet r = s.executeQuery()) {
            List<MigrationRow> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new MigrationRow(
                        r.getString("id"),
                        r.getString("checksum"),
                        dialect.getTimestamp(r, "finished_at"),
                        r.getString("migration_name"),
                        r.getString("logs"),
                        dialect.getTimestamp(r, "rolled_back_at"),
                        dialect.getTimestamp(r, "started_at"),
                        r.getLong("applied_steps_count")));
            }
            return rows;
        } catch (SQLException e) {
            if (dialect.isMissingTable(e)) {
                return List.of();
            }
            throw failure("cannot read _prisma_migrations", e);
        }
    }

    /**
     * What Prisma counts before it adopts a database without {@code _prisma_migrations} (its
     * migration persistence's initialize): the URL's schema's base tables but those it ignores
     * (PostGIS's). Empty when {@code _prisma_migrations} is there, or nothing else is.
     */
    public UnmanagedTables unmanagedTables() {
        try (PreparedStatement s = connection.prepareStatement(dialect.selectTableNames())) {
            dialect.bindTableNames(s);
            try (ResultSet r = s.executeQuery()) {
                int count = 0;
                List<String> first = new ArrayList<>();
                while (r.next()) {
                    String name = r.getString(1);
                    if (name.equals("_prisma_migrations")) {
                        return new UnmanagedTables(0, List.of());
                    }
                    if (!dialect.isIgnoredTable(name)) {
                        count++;
                        if (first.size() < UnmanagedTables.SHOWN) {
                            first.add(name);
                        }
                    }
                }
                return new UnmanagedTables(count, first);
            }
        } catch (SQLException e) {
            throw failure("cannot list the tables", e);
        }
    }


    /**
     * Runs {@code work} holding Prisma's own migration lock, so that no concurrent {@code prisma}
     * can interleave with our writes; waits up to {@code timeout} for it (exit 7 past it).
     */
    public <T> T withPrismaLock(Duration timeout, LockedWork<T> work) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start;
        String before = phase;
        phase = LOCK_WAIT + "Prisma's migration lock";
        try {
            int socketTimeout = connection.getNetworkTimeout();
            while (!pollBounded(deadline, () -> dialect.tryPrismaLock(connection))) {
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    throw new LauncherException(ExitCode.LOCK_TIMEOUT, "Prisma's migration lock on " + url
                            + " was held for more than " + Values.text(timeout) + " by " + prismaHolder()
                            + "; another deploy may be running (raise LOCK_TIMEOUT, or end that session)");
                }
                if (now - nextReport >= 0) {
                    // a wait of minutes must not be silent: say who holds it, every 10 s
                    String holder = prismaHolder();
                    log.atInfo().addKeyValue("event", "prisma-lock-wait").addKeyValue("holder", holder)
                            .log("waiting for Prisma's migration lock held by {}", holder);
                    nextReport = now + HOLDER_REPORT_NANOS;
                }
                Termination.sleep(LOCK_POLL.toMillis());
            }
            connection.setNetworkTimeout(DIRECT, socketTimeout);
        } catch (SQLException e) {
            throw lockFailure("Prisma's migration lock", e);
        }
        phase = before;
        return holding(work, "cannot write _prisma_migrations", dialect::releasePrismaLock);
    }

    private String prismaHolder() {
        try {
            String h = dialect.prismaLockHolder(connection);
            return h == null ? "another session" : h;
        } catch (SQLException e) {
            return "another session";
        }
    }

    /** A server restart or a killed session while waiting is "unreachable" (exit 3), not an internal error. */
    private LauncherException lockFailure(String lock, SQLException e) {
        if (dialect.isConnectionLost(e) && !timedOut(e)) {
            return new LauncherException(ExitCode.UNREACHABLE, "lost the connection to " + url + " while waiting for " + lock
                    + ": " + describe(e) + " (the server restarted, or the session was ended)");
        }
        return failure("cannot take " + lock, e);
    }

    /**
     * One try for a lock, its reply awaited no longer than the lock's own deadline (+1 s): a
     * database that stops answering while we wait ends the wait in time, not after socket_timeout.
     */
    private boolean pollBounded(long deadline, LockTry attempt) throws SQLException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        connection.setNetworkTimeout(DIRECT, (int) Math.clamp(left + 1000, 1000, Integer.MAX_VALUE));
        return attempt.tryLock();
    }

    @FunctionalInterface
    private interface LockTry {
        boolean tryLock() throws SQLException;
    }

    /**
     * Runs {@code work} holding the launcher's own lock, so that of twenty replicas starting
     * together one migrates and the others wait, then find nothing to do. Polls with jitter up to
     * {@code timeout} (exit 7 past it), saying who holds it. The lock is session-scoped: a killed
     * launcher's connection closes and the lock goes with it.
     */
    public <T> T withLauncherLock(Duration timeout, LockedWork<T> work) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start;
        String before = phase;
        phase = LOCK_WAIT + "the launcher lock";
        try {
            int socketTimeout = connection.getNetworkTimeout();
            while (!pollBounded(deadline, () -> dialect.tryLauncherLock(connection))) {
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    throw new LauncherException(ExitCode.LOCK_TIMEOUT, "another launcher held the migration lock on " + url + " for more than "
                            + Values.text(timeout) + " (" + holder() + "); raise LOCK_TIMEOUT, or stop the stuck launcher");
                }
                if (now - nextReport >= 0) {
                    log.atInfo().addKeyValue("event", "lock-wait")
                            .log("waiting for the launcher lock held by {}", holder());
                    nextReport = now + HOLDER_REPORT_NANOS;
                }
                Termination.sleep(150 + ThreadLocalRandom.current().nextLong(350));
            }
            connection.setNetworkTimeout(DIRECT, socketTimeout);
        } catch (SQLException e) {
            throw lockFailure("the launcher lock", e);
        }
        phase = before;
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (waited > 1000) {
            log.info("launcher lock taken after {} s", waited / 1000);
        }
        return holding(work, "database error", dialect::releaseLauncherLock);
    }

    /** Runs work under a lock already taken, then releases it. */
    private <T> T holding(LockedWork<T> work, String failure, Release release) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure(failure, e);
        } finally {
            try {
                release.release(connection);
            } catch (SQLException e) {
                // session-scoped locks: closing the connection releases them anyway
            }
        }
    }

    @FunctionalInterface
    private interface Release {
        void release(Connection connection) throws SQLException;
    }

    private String holder() {
        try {
            String h = dialect.launcherLockHolder(connection);
            return h == null ? "another session" : h;
        } catch (SQLException e) {
            return "another session";
        }
    }

    /** Code that runs under a lock and may fail with SQL errors. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws SQLException;
    }

    /**
     * Applies the row changes of one resolve in a single transaction, so a crash leaves either
     * all of them or none.
     */
    public void write(List<RowChange> changes) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (RowChange change : changes) {
                switch (change) {
                    case RowChange.MarkRolledBack m -> {
                        try (PreparedStatement s = connection.prepareStatement(dialect.markRolledBack())) {
                            dialect.setTimestamp(s, 1, m.at());
                            s.setString(2, m.id());
                            if (s.executeUpdate() != 1) {
                                throw new SQLException("row " + m.id() + " of " + m.migrationName() + " vanished while resolving");
                            }
                        }
                    }
                    case RowChange.InsertApplied a -> {
                        try (PreparedStatement s = connection.prepareStatement(dialect.insertApplied())) {
                            s.setString(1, a.id());
                            s.setString(2, a.checksum());
                            s.setString(3, "");
                            dialect.setTimestamp(s, 4, a.at());
                            dialect.setTimestamp(s, 5, a.at());
                            s.setString(6, a.migrationName());
                            s.executeUpdate();
                        }
                    }
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** The moment Prisma would record: UTC now at the precision the column keeps. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private LauncherException failure(String what, SQLException e) {
        if (broken(e)) {
            // A failover, a NAT dropping the flow: the session is gone; a new start begins afresh.
            return new LauncherException(phase.startsWith(LOCK_WAIT) ? ExitCode.LOCK_TIMEOUT : ExitCode.UNREACHABLE,
                    "database stopped answering during " + phase + " on " + url + ": " + describe(e)
                            + " (the connection was lost or got no reply within its socket_timeout; nothing half-written stays:"
                            + " the transaction and the session's locks end with it)");
        }
        return new LauncherException(ExitCode.INTERNAL, what + " on " + url + ": " + describe(e));
    }

    /** No reply within the socket timeout (a partition), as opposed to a connection the server ended. */
    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The session is lost (timed out, reset, closed), rather than a statement refused. */
    private boolean broken(SQLException e) {
        String state = e.getSQLState();
        if ((state != null && state.startsWith("08")) || Connectivity.causedByNetwork(e)) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    @Override
    public void close() {
        Termination.forget(this);
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with a connection we are discarding
        }
    }
}
