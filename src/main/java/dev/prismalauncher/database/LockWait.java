package dev.prismalauncher.database;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Values;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wait for a lock, for both locks on every database: poll until it is free, each poll's
 * reply awaited no longer than the deadline; say who holds it every 10 s; past the deadline exit 7
 * naming the holder; then run the work and release the lock. What differs is what each is called,
 * how often it is polled, and what its messages say.
 */
enum LockWait {
    /** Of twenty replicas starting together one migrates and the others wait, then find nothing to do. */
    LAUNCHER("the launcher lock", "launcher lock", "lock-wait", "database error") {
        @Override
        long pollMillis() {
            return 150 + ThreadLocalRandom.current().nextLong(350); // jitter: replicas do not poll in step
        }

        @Override
        String timedOut(DatabaseUrl url, Duration timeout, String holder) {
            return "another launcher held the migration lock on " + url + " for more than " + Values.text(timeout)
                    + " (" + holder + "); raise LOCK_TIMEOUT, or stop the stuck launcher";
        }
    },
    /** No concurrent {@code prisma} can interleave with our writes to {@code _prisma_migrations}. */
    PRISMA("Prisma's migration lock", "Prisma's migration lock", "prisma-lock-wait", "cannot write _prisma_migrations") {
        @Override
        long pollMillis() {
            return 200;
        }

        @Override
        String timedOut(DatabaseUrl url, Duration timeout, String holder) {
            return "Prisma's migration lock on " + url + " was held for more than " + Values.text(timeout) + " by " + holder
                    + "; another deploy may be running (raise LOCK_TIMEOUT, or end that session)";
        }
    };

    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    private static final long HOLDER_REPORT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** setNetworkTimeout only stores a number (PostgreSQL, Connector/J): nothing to run elsewhere. */
    private static final Executor DIRECT = Runnable::run;

    /** As the phase names it ("the wait for the launcher lock") and the messages do. */
    final String name;
    private final String shortName;
    private final String event;
    /** What a failure of the work under the lock is called. */
    private final String workFailure;

    LockWait(String name, String shortName, String event, String workFailure) {
        this.name = name;
        this.shortName = shortName;
        this.event = event;
        this.workFailure = workFailure;
    }

    abstract long pollMillis();

    abstract String timedOut(DatabaseUrl url, Duration timeout, String holder);

    /** Waits up to {@code timeout} for the lock on the session's connection, runs {@code work} holding it, releases it. */
    <T> T hold(Database session, Lock lock, Duration timeout, Database.LockedWork<T> work) {
        Connection connection = session.connection();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long nextReport = start;
        session.waitingFor(this);
        try {
            int socketTimeout = connection.getNetworkTimeout();
            while (!pollBounded(connection, deadline, lock)) {
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    throw new LauncherException(ExitCode.LOCK_TIMEOUT, timedOut(session.url(), timeout, holder(lock, connection)));
                }
                if (now - nextReport >= 0) {
                    // a wait of minutes must not be silent: say who holds it, every 10 s
                    String holder = holder(lock, connection);
                    log.atInfo().addKeyValue("event", event).addKeyValue("holder", holder).log("waiting for {} held by {}", name, holder);
                    nextReport = now + HOLDER_REPORT_NANOS;
                }
                session.stop().sleep(pollMillis());
            }
            connection.setNetworkTimeout(DIRECT, socketTimeout);
        } catch (SQLException e) {
            throw session.failure("cannot take " + name, e);
        } finally {
            session.waitingFor(null);
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (waited > 1000) {
            log.info("{} taken after {} s", shortName, waited / 1000);
        }
        try {
            return work.run();
        } catch (SQLException e) {
            throw session.failure(workFailure, e);
        } finally {
            try {
                lock.release(connection);
            } catch (SQLException e) {
                // session-scoped locks: closing the connection releases them anyway
            }
        }
    }

    /**
     * One try, its reply awaited no longer than the lock's own deadline (+1 s): a database that
     * stops answering while we wait ends the wait in time, not after socket_timeout.
     */
    private static boolean pollBounded(Connection connection, long deadline, Lock lock) throws SQLException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        connection.setNetworkTimeout(DIRECT, (int) Math.clamp(left + 1000, 1000, Integer.MAX_VALUE));
        return lock.tryTake(connection);
    }

    private static String holder(Lock lock, Connection connection) {
        try {
            String h = lock.holder(connection);
            return h == null ? "another session" : h;
        } catch (SQLException e) {
            return "another session";
        }
    }
}
