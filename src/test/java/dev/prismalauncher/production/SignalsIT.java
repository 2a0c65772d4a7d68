package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.DelayedProxy;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM/SIGINT in each phase, the launcher as PID 1 of a fresh PID namespace as in a container
 * (or as a plain child, where the test must see the Prisma process group itself): exit 128+N,
 * no Prisma process left, locks released, the app never started.
 */
class SignalsIT {
    static final String SLOW = "20250104000000_slow";

    @TempDir
    Path dir;

    /** The launcher, as PID 1 in a new PID namespace (unshare, as root) or as a plain process. */
    private Running start(Launch launch, boolean asPid1, String... args) {
        if (!asPid1) {
            return new Running(launch.start(args));
        }
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        command.addAll(Launch.launcherCommand());
        command.addAll(List.of(args));
        try {
            ProcessBuilder b = new ProcessBuilder(Launch.withDefaultSignals(command)).directory(launch.directory().toFile());
            b.environment().clear();
            b.environment().putAll(launch.environment());
            return new Running(b.start());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String[] app() {
        return new String[] {"run", "--", "touch", dir.resolve("app-ran").toString()};
    }

    @Test
    void termWhileWaitingForTheDatabase() throws Exception {
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL); DelayedProxy closed = new DelayedProxy(db.host(), db.port())) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Running r = start(project.launch(db).env("DATABASE_URL", db.urlVia(closed.port())), true, app());
            r.awaitStderr("database not reachable yet", Duration.ofSeconds(30));
            long sent = System.nanoTime();
            r.signal("TERM");
            Launch.Result done = r.await(Duration.ofSeconds(20));
            assertEquals(143, done.exit(), done.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - sent).toSeconds() < 5);
            assertTrue(done.stderr().contains("received SIGTERM"), done.stderr());
            assertFalse(Files.exists(dir.resolve("app-ran")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void signalWhileWaitingForTheLauncherLock(String signal) throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            project.add("20250105000000_after");
            try (Connection other = db.connect(); Statement s = other.createStatement()) {
                s.execute("SELECT pg_advisory_lock(72707370)"); // another replica holds the launcher lock
                Running r = start(project.launch(db), true, app());
                r.awaitStderr("waiting for the launcher lock held by backend pid", Duration.ofSeconds(60));
                r.signal(signal);
                Launch.Result done = r.await(Duration.ofSeconds(20));
                assertEquals(signal.equals("TERM") ? 143 : 130, done.exit(), done.toString());
                assertFalse(Files.exists(dir.resolve("app-ran")));
                s.execute("SELECT pg_advisory_unlock(72707370)");
            }
            // a second launcher gets the lock at once and does the work
            long start = System.nanoTime();
            Launch.Result second = project.launch(db).run(app());
            assertEquals(0, second.exit(), second.toString());
            assertFalse(second.stderr().contains("waiting for the launcher lock"), second.stderr());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void termDuringDeployStopsThePrismaGroupAndReleasesTheLocks(boolean asPid1) throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.write(SLOW, Faults.slow(Kind.POSTGRESQL, 60));
            Running r = start(project.launch(db), asPid1, app());
            awaitSleepingQuery(db, 60);
            long prismaGroup = prismaGroupOf(r.launcherPid());
            long sent = System.nanoTime();
            r.signal("TERM");
            Launch.Result done = r.await(Duration.ofSeconds(25));
            assertEquals(143, done.exit(), done.toString());
            assertTrue(Duration.ofNanos(System.nanoTime() - sent).toSeconds() < 15, "stopping must take well under 30 s");
            assertFalse(Files.exists(dir.resolve("app-ran")));
            assertEquals(List.of(), Running.processGroup(prismaGroup), "no prisma/node process may outlive the launcher");
            // Ours is free at once. (Prisma's own lock stays with the killed engine's backend until the
            // statement it was running ends: PostgreSQL notices a vanished client only then.)
            try (Connection c = db.connect(); Statement s = c.createStatement();
                    ResultSet locks = s.executeQuery("SELECT pg_try_advisory_lock(72707370)")) {
                assertTrue(locks.next());
                assertTrue(locks.getBoolean(1), "the launcher lock is free at once");
            }
        }
    }

    @Test
    void sigkillOfTheDeployMidMigrationIsRecoveredByTheNextStart() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.write(SLOW, Faults.slow(Kind.POSTGRESQL, 20));
            Running r = new Running(project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").start(app()));
            awaitSleepingQuery(db, 20);
            long group = prismaGroupOf(r.launcherPid());
            for (long pid : Running.processGroup(group)) {
                Running.signal(pid, "KILL");
            }
            Launch.Result killed = r.await(Duration.ofSeconds(30));
            assertEquals(5, killed.exit(), killed.toString());
            assertEquals(List.of(List.of("1")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE migration_name = '" + SLOW
                    + "' AND finished_at IS NULL AND rolled_back_at IS NULL"), "the killed deploy leaves a failed row");

            project.write(SLOW, Faults.slow(Kind.POSTGRESQL, 0));
            Launch.Result next = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "rolled-back").run(app());
            assertEquals(0, next.exit(), next.toString());
            assertTrue(next.stderr().contains("1 failed: " + SLOW), next.stderr());
            assertTrue(Files.exists(dir.resolve("app-ran")));
        }
    }

    @Test
    void deployTimeoutStopsTheWholeGroup() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.write(SLOW, Faults.slow(Kind.POSTGRESQL, 60));
            long start = System.nanoTime();
            Running r = new Running(project.launch(db).env("DEPLOY_TIMEOUT", "4s").start(app()));
            awaitSleepingQuery(db, 60);
            long group = prismaGroupOf(r.launcherPid());
            Launch.Result done = r.await(Duration.ofSeconds(40));
            assertEquals(5, done.exit(), done.toString());
            assertTrue(done.stderr().contains("DEPLOY_TIMEOUT"), done.stderr());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 4 + 10 + 10);
            assertEquals(List.of(), Running.processGroup(group));
            assertFalse(Files.exists(dir.resolve("app-ran")));
        }
    }

    /**
     * HUP (a launcher that is not PID 1 loses its terminal or its parent: a shell wrapper, a release
     * phase, CI) while Prisma deploys: handled like TERM, exit 129, and no process of Prisma's group
     * is left, from the leader to the child it started.
     */
    @Test
    void hupDuringDeployStopsThePrismaGroup() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Path prisma = fakePrisma("hup");
            Running r = start(project.launch(db).env("PRISMA_COMMAND", prisma.toString()), false, app());
            r.awaitStderr("prisma - deploying", Duration.ofSeconds(60));
            long group = Long.parseLong(Files.readString(dir.resolve("prisma-pid")).strip());
            r.signal("HUP");
            Launch.Result done = r.await(Duration.ofSeconds(25));
            assertEquals(129, done.exit(), done.toString());
            assertTrue(done.stderr().contains("received SIGHUP"), done.stderr());
            assertFalse(Files.exists(dir.resolve("app-ran")));
            assertEquals(List.of(), Running.processGroup(group), "no process of Prisma's group may outlive the launcher");
            assertEquals(List.of(), processesOf(prisma), "no process of Prisma's group may outlive the launcher");
        }
    }

    /**
     * TERM in the first milliseconds after the spawn (the child must be registered for stopping
     * atomically with its start): a sweep of delays after the "running" line, each ending with 143
     * and nothing of Prisma's group left.
     */
    @Test
    void termJustAfterTheSpawnLeavesNoPrismaProcess() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Path prisma = fakePrisma("spawn");
            for (long delayMicros : new long[] {0, 500, 1000, 2000, 4000, 8000}) {
                Running r = start(project.launch(db).env("PRISMA_COMMAND", prisma.toString()), false, app());
                r.awaitStderr("running " + prisma, Duration.ofSeconds(60));
                java.util.concurrent.locks.LockSupport.parkNanos(delayMicros * 1000);
                r.signal("TERM");
                Launch.Result done = r.await(Duration.ofSeconds(25));
                assertEquals(143, done.exit(), "after " + delayMicros + " us: " + done);
                assertFalse(Files.exists(dir.resolve("app-ran")));
                assertEquals(List.of(), processesOf(prisma), "after " + delayMicros + " us: a process of Prisma's group outlived the launcher");
            }
        }
    }

    /** A stand-in for Prisma that starts a child in its group and waits: what npx does with node. */
    private Path fakePrisma(String name) {
        Path script = dir.resolve(name + "-prisma");
        // a sleep whose argument names this test alone, so that /proc tells which sleeps are ours
        String unique = "300." + (System.nanoTime() % 1_000_000_000L);
        Launch.script(dir.resolve(name + "-sleep"), unique);
        return Launch.script(script, "echo $$ > '" + dir.resolve("prisma-pid") + "'\n"
                + "sleep " + unique + " &\n"
                + "echo deploying\n"
                + "wait");
    }

    /** Live processes whose command line names the stand-in script or its unique sleep. */
    private List<Long> processesOf(Path script) throws Exception {
        String sleep = Files.readString(dir.resolve(script.getFileName().toString().replace("-prisma", "-sleep"))).lines().toList().get(1);
        List<Long> left = processesMatching(script.toString());
        List<Long> sleeps = processesMatching("sleep\0" + sleep);
        List<Long> all = new ArrayList<>(left);
        all.addAll(sleeps);
        return all;
    }

    private static List<Long> processesMatching(String cmdline) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // let the reaper collect zombies
        List<Long> left;
        do {
            left = ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> {
                try {
                    String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
                    if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                        return false;
                    }
                    return Files.readString(Path.of("/proc/" + p.pid() + "/cmdline")).contains(cmdline);
                } catch (java.io.IOException | RuntimeException e) {
                    return false;
                }
            }).map(ProcessHandle::pid).toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return left;
    }

    /** Waits until the slow migration's pg_sleep runs on the server: Prisma is mid-migration. */
    private static void awaitSleepingQuery(TestDatabase db, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!db.query("SELECT pid FROM pg_stat_activity WHERE datname = '" + db.name() + "' AND query LIKE '%pg_sleep(" + seconds + ")%'"
                    + " AND pid <> pg_backend_pid()").isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the slow migration never started");
    }

    /** The Prisma child of the launcher leads its own process group. */
    private static long prismaGroupOf(long launcherPid) {
        var child = ProcessHandle.of(launcherPid).orElseThrow().children().findFirst().orElseThrow(() -> new AssertionError("no prisma child"));
        return child.pid();
    }
}
