package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.DelayedProxy;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Waiting for the database: transient failures are retried within DB_WAIT_TIMEOUT, the rest fail at once. */
// Decisions and timing over JDBC, the same whichever way the launcher was started: the jar pass
// runs them, the entrypoint pass (CI's time budget) does not.
@DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
class WaitIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDatabaseComesUpTenSecondsLater(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); DelayedProxy proxy = new DelayedProxy(db.host(), db.port())) {
            Project project = Project.create(kind, dir.resolve("project"));
            Running r = new Running(project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port())).start("migrate"));
            Thread.sleep(10_000);
            proxy.open();
            Launch.Result done = r.await(Duration.ofSeconds(90));
            assertEquals(0, done.exit(), done.toString());
            assertTrue(done.stderr().contains("database not reachable yet"), done.stderr());
            assertTrue(done.stderr().contains("database is up to date"), done.stderr());
        }
    }

    @Test
    void theDatabaseNeverComesUp() throws Exception {
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL); DelayedProxy closed = new DelayedProxy(db.host(), db.port())) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.urlVia(closed.port())).env("DB_WAIT_TIMEOUT", "5s").run("migrate");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(3, r.exit(), r.toString());
            assertTrue(seconds < 5 + 5, "gave up after " + seconds + " s");
            assertTrue(r.stderr().contains("gave up after 5 s"), r.stderr());
            assertTrue(r.stderr().lines().filter(l -> l.contains("database not reachable yet")).count() >= 3, "retries logged:\n" + r.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void authenticationFailureIsNotRetried(Kind kind) {
        try (TestDatabase db = TestDatabase.create(kind)) {
            Project project = Project.create(kind, dir.resolve("project"));
            String url = Sql.of(kind).refusedLogin(db.url());
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", url).env("DB_WAIT_TIMEOUT", "60s").run("migrate");
            assertEquals(3, r.exit(), r.toString());
            assertFalse(r.stderr().contains("not reachable yet"), r.stderr());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
        }
    }

    @Test
    void zeroMeansTryOnce() throws Exception {
        try (TestDatabase db = TestDatabase.reserve(Kind.MYSQL); DelayedProxy closed = new DelayedProxy(db.host(), db.port())) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.urlVia(closed.port())).env("DB_WAIT_TIMEOUT", "0").run("migrate");
            assertEquals(3, r.exit(), r.toString());
            assertFalse(r.stderr().contains("not reachable yet"), r.stderr());
        }
    }
}
