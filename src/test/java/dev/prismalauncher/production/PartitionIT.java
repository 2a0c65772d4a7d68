package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.FreezableProxy;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A database that stops answering mid-session (failover, a NAT dropping the flow): the launcher's
 * connection goes through a proxy that is frozen at a chosen moment. Every phase ends in bounded
 * time, exit 3 (exit 7 while waiting for a lock), naming the phase.
 */
// Decisions and timing over JDBC, the same whichever way the launcher was started: the jar pass
// runs them, the entrypoint pass (CI's time budget) does not.
@DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
class PartitionIT {
    /** Short, so each case takes seconds: the launcher's default is 30 s. */
    private static final String TIMEOUTS = "?socket_timeout=3&connect_timeout=3";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void frozenWhileWaitingForTheLauncherLock(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port());
                Connection holder = db.connect(); Statement s = holder.createStatement()) {
            // another launcher holds the lock (the key and name of the launcher's dialects)
            s.execute(Sql.of(kind).holdLauncherLock());
            Project project = Project.create(kind, dir.resolve("project"));
            Running r = new Running(project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port()) + TIMEOUTS)
                    .env("LOCK_TIMEOUT", "4s").start("migrate"));
            r.awaitStderr("waiting for the launcher lock", Duration.ofSeconds(30));
            proxy.freeze();
            long frozen = System.nanoTime();
            Launch.Result done = r.await(Duration.ofSeconds(60));
            long seconds = Duration.ofNanos(System.nanoTime() - frozen).toSeconds();
            assertEquals(7, done.exit(), done.toString());
            assertTrue(done.stderr().contains("database stopped answering during the wait for the launcher lock"), done.stderr());
            assertTrue(seconds <= 4 + 1 + 3, "ended " + seconds + " s after the freeze");
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void frozenDuringInspect(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port())) {
            Project project = Project.create(kind, dir.resolve("project"));
            proxy.freezeOn("_prisma_migrations", 1);
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port()) + TIMEOUTS).run("status");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(proxy.frozen(), r.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.stderr().contains("database stopped answering during inspect"), r.stderr());
            assertTrue(seconds < 3 + 15, "took " + seconds + " s");
        }
    }

    /** A failed row to roll back; the UPDATE never reaches the server. */
    @Test
    void frozenDuringResolve() throws Exception {
        Kind kind = Kind.MYSQL;
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port())) {
            Project project = Project.create(kind, dir.resolve("project"));
            db.execute(PrismaTable.ddl(kind, null), "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, applied_steps_count)"
                    + " VALUES ('00000000-0000-4000-8000-000000000001', 'x', '20250101000000_init', 'failed', 0)");
            List<List<String>> before = db.query("SELECT * FROM _prisma_migrations");
            proxy.freezeOn("SET rolled_back_at", 1);
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port()) + TIMEOUTS)
                    .env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run("migrate");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertTrue(proxy.frozen(), r.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.stderr().contains("database stopped answering during resolve"), r.stderr());
            assertTrue(seconds < 3 + 15, "took " + seconds + " s");
            assertEquals(before, db.query("SELECT * FROM _prisma_migrations"), "nothing written");
        }
    }

    /** The real Prisma CLI deploys (through the proxy too); the launcher's check afterwards is frozen. */
    @Test
    void frozenDuringVerify() throws Exception {
        Kind kind = Kind.POSTGRESQL;
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port())) {
            Project project = Project.create(kind, dir.resolve("project"));
            // the launcher's connection reads the table before the lock, under it, then to verify
            proxy.freezeOn("_prisma_migrations ORDER BY", 3);
            Running running = new Running(project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port()) + TIMEOUTS).start("migrate"));
            Launch.Result r = running.await(Duration.ofSeconds(60));
            assertTrue(proxy.frozen(), r.toString());
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.stderr().contains("database stopped answering during verify"), r.stderr());
        }
    }

    /** Accepted but never answered from the first byte: each login gives up after connect_timeout, the wait after DB_WAIT_TIMEOUT. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void frozenFromTheStart(Kind kind) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port())) {
            Project project = Project.create(kind, dir.resolve("project"));
            proxy.freeze();
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", db.urlVia(proxy.port()) + TIMEOUTS)
                    .env("DB_WAIT_TIMEOUT", "4s").run("status");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(3, r.exit(), r.toString());
            assertTrue(r.stderr().contains("gave up after 4 s"), r.stderr());
            assertTrue(seconds < 4 + 3 + 10, "took " + seconds + " s");
        }
    }
}
