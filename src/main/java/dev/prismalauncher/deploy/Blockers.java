package dev.prismalauncher.deploy;

import dev.prismalauncher.database.Database;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * DDL_LOCK_TIMEOUT: who keeps a migration from its locks. Once the lock timeout fires the wait is
 * over and the server no longer says who was in the way, so while a script runs a watcher on a
 * session of its own asks every few milliseconds ({@link Database#blockers}) and keeps the last
 * answer. Sessions are named by pid, application, client and state, never by their query text.
 */
final class Blockers implements AutoCloseable {
    private static final int SHOWN = 3;

    private final Database session;
    private final Duration interval;
    private volatile Thread watcher;
    private volatile List<String> seen = List.of();

    private Blockers(Database session, Duration interval) {
        this.session = session;
        this.interval = interval;
    }

    /** A watcher on a new session beside {@code db}, looking often enough to see a wait that lasts the lock timeout. */
    static Blockers open(Database db, Duration lockTimeout) {
        return new Blockers(db.another(), Duration.ofMillis(Math.clamp(lockTimeout.toMillis() / 4, 10, 100)));
    }

    /** Starts watching the session with this id, forgetting what an earlier watch saw. */
    void watch(long sessionId) {
        seen = List.of();
        watcher = Thread.ofPlatform().daemon().name("ddl-lock-watch").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    List<String> now = session.blockers(sessionId);
                    if (!now.isEmpty()) {
                        seen = List.copyOf(now);
                    }
                    Thread.sleep(interval.toMillis());
                }
            } catch (SQLException | InterruptedException | RuntimeException e) {
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
        session.close();
    }
}
