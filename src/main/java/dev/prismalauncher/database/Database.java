package dev.prismalauncher.database;

import dev.prismalauncher.config.ExternalTables;
import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.database.Failure.Stage;
import dev.prismalauncher.log.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session with the migration database: connected with backoff, closed on a stop signal, naming
 * what it is doing (its phase) so that a database that stops answering is reported as what it
 * interrupted, and mapping every failure to the launcher's exit codes. What it reads and writes is
 * {@link MigrationTable}'s; how each database does it, its {@link Dialect}'s.
 */
public final class Database implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    private static final long INITIAL_BACKOFF_MILLIS = 250;
    private static final long MAX_BACKOFF_MILLIS = 5_000;

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final Stop stop;
    private final Connection connection;
    private final MigrationTable migrations;
    /** What the launcher is doing with this session, named when the database stops answering. */
    private String phase = "inspect";
    /** The lock this session is waiting for, if any: its failures end in exit 7, or 3 if the server ended it. */
    private LockWait waitingFor;

    private Database(DatabaseUrl url, Dialect dialect, Stop stop, Connection connection) {
        this.url = url;
        this.dialect = dialect;
        this.stop = stop;
        this.connection = connection;
        this.migrations = new MigrationTable(connection, dialect);
    }

    /** Connects once (no waiting); see {@link #connect}. */
    public static Optional<Database> open(DatabaseUrl url, Dialect dialect, Stop stop) {
        return connect(url, dialect, stop, Duration.ZERO);
    }

    /**
     * Connects, retrying transient failures (refused, DNS not there yet, starting up, too many
     * connections) with exponential backoff and jitter for up to {@code wait}; fails at once on
     * anything else (authentication, TLS). Returns empty when the database does not exist yet:
     * that is not "unreachable", deploy creates it. Past the budget: exit 3 with the last reason.
     * The session is closed when {@code stop} is signalled, and every wait sleeps its sleep.
     */
    public static Optional<Database> connect(DatabaseUrl url, Dialect dialect, Stop stop, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        long delayMillis = INITIAL_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                Database db = new Database(url, dialect, stop, dialect.connect(url));
                stop.closeOnStop(db);
                if (attempt > 1) {
                    log.info("database reachable after {} attempts", attempt);
                }
                return Optional.of(db);
            } catch (SQLException e) {
                Failure failure = dialect.classify(e, Stage.CONNECTING);
                if (failure == Failure.MISSING_DATABASE) {
                    return Optional.empty();
                }
                String reason = describe(e);
                long left = deadline - System.nanoTime();
                if (failure != Failure.TRANSIENT) {
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
                stop.sleep(sleep);
                delayMillis = Math.min(MAX_BACKOFF_MILLIS, delayMillis * 2);
            }
        }
    }

    /**
     * A second, independent session to the same database: its own connection, locks and settings,
     * closed on stop like this one; connects once, without waiting. Its phase starts as this one's.
     */
    public Database another() {
        return open(url, dialect, stop).map(db -> db.phase(phase)).orElseThrow(() -> new LauncherException(
                ExitCode.UNREACHABLE, "cannot open another session to " + url + ": the database no longer exists"));
    }

    /**
     * A session for migration scripts run as Prisma's engine runs them (DEPLOY_ENGINE=jdbc), beside
     * this one, closed on stop (a script still running is cancelled on the server first).
     */
    public Scripts scripts() {
        try {
            Scripts scripts = dialect.openScripts(url);
            stop.closeOnStop(scripts);
            return scripts;
        } catch (SQLException e) {
            throw new LauncherException(ExitCode.UNREACHABLE, "cannot open the deploy session on " + url + ": " + describe(e));
        }
    }

    /** Who keeps the session with this id from a lock it waits for (see {@link Dialect#blockers}); on a session of its own. */
    public List<String> blockers(long sessionId) throws SQLException {
        return dialect.blockers(connection, sessionId);
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

    /** The moment Prisma would record: UTC now at the precision the column keeps. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    public Dialect dialect() {
        return dialect;
    }

    public DatabaseUrl url() {
        return url;
    }

    /** The stop handle this session heeds (for whatever else runs on it and must end on a signal). */
    public Stop stop() {
        return stop;
    }

    /** Names what follows (inspect, resolve, verify), for the message when the database stops answering. */
    public Database phase(String name) {
        this.phase = name;
        return this;
    }

    /** Catalog questions on this connection (MIGRATION_RESOLVE_STRATEGY=auto's evidence). */
    public Catalog catalog(Duration queryTimeout) {
        return dialect.catalog(connection, queryTimeout).whenLost(e -> {
            if (dialect.classify(e, Stage.SESSION).sessionLost() || closed()) {
                throw failure("the catalog's questions", e); // exit 3 naming the phase
            }
        });
    }

    /** {@code _prisma_migrations} on this session, for work under a lock (its failures are the lock's to report). */
    public MigrationTable migrations() {
        return migrations;
    }

    /** All rows, oldest first; none when the table does not exist yet. */
    public List<MigrationRow> rows() {
        try {
            return migrations.rows();
        } catch (SQLException e) {
            throw failure("cannot read _prisma_migrations", e);
        }
    }

    /** See {@link MigrationTable#unmanagedTables}. */
    public UnmanagedTables unmanagedTables() {
        return unmanagedTables(ExternalTables.NONE);
    }

    /** Without the tables of tables.external, as Prisma's engine counts them. */
    public UnmanagedTables unmanagedTables(ExternalTables external) {
        try {
            return migrations.unmanagedTables(external);
        } catch (SQLException e) {
            throw failure("cannot list the tables", e);
        }
    }

    /** Whether {@code _prisma_migrations} is there (asked when it has no rows: `prisma migrate deploy` creates a missing one). */
    public boolean hasMigrationsTable() {
        try {
            return migrations.exists();
        } catch (SQLException e) {
            throw failure("cannot list the tables", e);
        }
    }

    /** Applies the row changes of one resolve in a single transaction (see {@link MigrationTable#write}). */
    public void write(List<RowChange> changes) throws SQLException {
        migrations.write(changes);
    }

    /**
     * {@link #write}, as the resolve step reports it: the database refusing the changes (a constraint, a trigger, a column of its own that Prisma's rows do
     * not fill) is exit 4: nothing was written, the failed migration stays failed. A lost session
     * is exit 3, as anywhere.
     */
    public void resolve(List<RowChange> changes) {
        try {
            migrations.write(changes);
        } catch (SQLException e) {
            LauncherException failure = failure("cannot write the resolve", e);
            if (failure.exitCode() != ExitCode.INTERNAL) {
                throw failure;
            }
            String names = String.join(", ", changes.stream().map(RowChange::migrationName).distinct().toList());
            throw new LauncherException(ExitCode.FAILED_MIGRATIONS, "the resolve of " + names + " could not be written to"
                    + " _prisma_migrations on " + url + ": " + describe(e) + ". Nothing was changed (the resolve is one transaction,"
                    + " rolled back): the failed migration stays failed. Make _prisma_migrations accept Prisma's rows (a column of"
                    + " its own needs a default or must allow NULL), or resolve it by hand with `prisma migrate resolve`");
        }
    }

    /**
     * Runs {@code work} holding the launcher's own lock, so that of twenty replicas starting
     * together one migrates and the others wait, then find nothing to do. Polls with jitter up to
     * {@code timeout} (exit 7 past it), saying who holds it. The lock is session-scoped: a killed
     * launcher's connection closes and the lock goes with it.
     */
    public <T> T withLauncherLock(Duration timeout, LockedWork<T> work) {
        return LockWait.LAUNCHER.hold(this, dialect.launcherLock(), timeout, work);
    }

    /**
     * Runs {@code work} holding Prisma's own migration lock, so that no concurrent {@code prisma}
     * can interleave with our writes; waits up to {@code timeout} for it (exit 7 past it).
     */
    public <T> T withPrismaLock(Duration timeout, LockedWork<T> work) {
        return LockWait.PRISMA.hold(this, dialect.prismaLock(), timeout, work);
    }

    /** Code that runs under a lock and may fail with SQL errors. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run() throws SQLException;
    }

    Connection connection() {
        return connection;
    }

    void waitingFor(LockWait lock) {
        this.waitingFor = lock;
    }

    /**
     * A failure on this session as the launcher reports it: the session gone is exit 3 naming the
     * phase (a failover, a NAT dropping the flow: a new start begins afresh), or, while waiting for
     * a lock, exit 7 if no reply came in time and exit 3 if the server ended it; anything else is
     * exit 1, {@code what} failed.
     */
    LauncherException failure(String what, SQLException e) {
        Failure failure = dialect.classify(e, Stage.SESSION);
        if (waitingFor != null && failure == Failure.SESSION_ENDED) {
            return new LauncherException(ExitCode.UNREACHABLE, "lost the connection to " + url + " while waiting for " + waitingFor.name
                    + ": " + describe(e) + " (the server restarted, or the session was ended)");
        }
        if (failure.sessionLost() || closed()) {
            String during = waitingFor == null ? phase : "the wait for " + waitingFor.name;
            return new LauncherException(waitingFor == null ? ExitCode.UNREACHABLE : ExitCode.LOCK_TIMEOUT,
                    "database stopped answering during " + during + " on " + url + ": " + describe(e)
                            + " (the connection was lost or got no reply within its socket_timeout; nothing half-written stays:"
                            + " the transaction and the session's locks end with it)");
        }
        return new LauncherException(ExitCode.INTERNAL, what + " on " + url + ": " + describe(e));
    }

    private boolean closed() {
        try {
            return connection.isClosed();
        } catch (SQLException closed) {
            return true;
        }
    }

    @Override
    public void close() {
        stop.forget(this);
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with a connection we are discarding
        }
    }
}
