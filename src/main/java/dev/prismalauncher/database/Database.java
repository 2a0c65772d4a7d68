package dev.prismalauncher.database;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
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

/**
 * One JDBC connection to the migration database and the operations the launcher performs on
 * {@code _prisma_migrations}, all through its {@link Dialect}.
 */
public final class Database implements AutoCloseable {
    private static final Duration LOCK_POLL = Duration.ofMillis(200);

    private final DatabaseUrl url;
    private final Dialect dialect;
    private final Connection connection;

    private Database(DatabaseUrl url, Dialect dialect, Connection connection) {
        this.url = url;
        this.dialect = dialect;
        this.connection = connection;
    }

    /**
     * Connects, or returns empty when the database does not exist yet (deploy will create it).
     * Any other failure is exit 3, its message stripped of secrets.
     */
    public static Optional<Database> open(DatabaseUrl url, Dialect dialect) {
        try {
            return Optional.of(new Database(url, dialect, dialect.connect(url)));
        } catch (SQLException e) {
            if (dialect.isMissingDatabase(e)) {
                return Optional.empty();
            }
            throw new LauncherException(ExitCode.UNREACHABLE, "cannot connect to " + url + ": " + describe(e));
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
     * Runs {@code work} holding Prisma's own migration lock, so that no concurrent {@code prisma}
     * can interleave with our writes; waits up to {@code timeout} for it (exit 7 past it).
     */
    public <T> T withPrismaLock(Duration timeout, LockedWork<T> work) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            while (!dialect.tryPrismaLock(connection)) {
                if (Instant.now().isAfter(deadline)) {
                    throw new LauncherException(ExitCode.LOCK_TIMEOUT, "Prisma's migration lock on " + url
                            + " was held by another session for more than " + timeout.toSeconds()
                            + " s; another deploy may be running (raise LOCK_TIMEOUT, or find the session holding it)");
                }
                Thread.sleep(LOCK_POLL);
            }
        } catch (SQLException e) {
            throw failure("cannot take Prisma's migration lock", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException(ExitCode.INTERNAL, "interrupted while waiting for Prisma's migration lock");
        }
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("cannot write _prisma_migrations", e);
        } finally {
            try {
                dialect.releasePrismaLock(connection);
            } catch (SQLException e) {
                // The lock is session-scoped: closing the connection releases it anyway.
            }
        }
    }

    /** Code that runs under Prisma's lock and may fail with SQL errors. */
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
        return new LauncherException(ExitCode.INTERNAL, what + " on " + url + ": " + describe(e));
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do with a connection we are discarding
        }
    }
}
