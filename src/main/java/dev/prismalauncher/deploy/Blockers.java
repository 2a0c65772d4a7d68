package dev.prismalauncher.deploy;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * DDL_LOCK_TIMEOUT (PostgreSQL): who keeps a migration from its locks. Once the lock timeout fires
 * the wait is over and the server no longer says who was in the way, so while a script runs a
 * watcher on its own connection asks {@code pg_blocking_pids} every few milliseconds and keeps the
 * last answer. Sessions are named by pid, application, client and state, never by their query text
 * (it may hold data).
 */
final class Blockers implements AutoCloseable {
    private static final String SQL = "SELECT a.pid, a.application_name, a.client_addr, a.state, a.xact_start"
            + " FROM pg_stat_activity a WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.pid";
    private static final int SHOWN = 3;

    private final Connection connection;
    private final Duration interval;
    private volatile Thread watcher;
    private volatile List<String> seen = List.of();

    private Blockers(Connection connection, Duration interval) {
        this.connection = connection;
        this.interval = interval;
    }

    static Blockers open(DatabaseUrl url, Dialect dialect, Duration lockTimeout) throws SQLException {
        // often enough to see a wait that lasts the lock timeout: a quarter of it, between 10 and 100 ms
        long every = Math.clamp(lockTimeout.toMillis() / 4, 10, 100);
        return new Blockers(dialect.connect(url), Duration.ofMillis(every));
    }

    /** Starts watching the session with this backend pid, forgetting what an earlier watch saw. */
    void watch(long pid) {
        seen = List.of();
        watcher = Thread.ofPlatform().daemon().name("ddl-lock-watch").start(() -> {
            try (PreparedStatement s = connection.prepareStatement(SQL)) {
                s.setInt(1, (int) pid);
                while (!Thread.currentThread().isInterrupted()) {
                    List<String> now = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            now.add("backend pid " + r.getInt(1) + " (application_name '" + r.getString(2) + "' from "
                                    + (r.getString(3) == null ? "a local socket" : r.getString(3)) + ", " + r.getString(4)
                                    + (r.getString(5) == null ? "" : ", in a transaction since " + r.getString(5)) + ")");
                        }
                    }
                    if (!now.isEmpty()) {
                        seen = List.copyOf(now);
                    }
                    Thread.sleep(interval.toMillis());
                }
            } catch (SQLException | InterruptedException e) {
                // watching is best effort: the message then says the blocker was not seen
            }
        });
    }

    /** Stops watching; returns who was last seen blocking (empty if nobody was seen). */
    List<String> stop() {
        Thread t = watcher;
        if (t != null) {
            t.interrupt();
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        watcher = null;
        return seen;
    }

    /** "backend pid 123 (...)" and at most two more, for a message. */
    static String describe(List<String> sessions) {
        if (sessions.isEmpty()) {
            return "a session the watcher did not catch (it let go of its lock between two looks)";
        }
        return String.join("; ", sessions.subList(0, Math.min(SHOWN, sessions.size())))
                + (sessions.size() > SHOWN ? " and " + (sessions.size() - SHOWN) + " more" : "");
    }

    @Override
    public void close() {
        stop();
        try {
            connection.close();
        } catch (SQLException e) {
            // a connection we are discarding
        }
    }
}
