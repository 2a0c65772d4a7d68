package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.Running;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * INIT=1: the app exec'd under tini, the launcher as PID 1 of a fresh PID namespace (unshare, as
 * root) as in a container. A Node app without a SIGTERM handler stops at once with it and ignores
 * SIGTERM without it; orphans are reaped with it and stay zombies without it; exit codes pass.
 */
class InitIT {
    /** No SIGTERM handler: as PID 1 the kernel drops SIGTERM. With "orphans", leaves three orphans behind. */
    static final String APP = """
            const { spawn } = require('child_process');
            const dir = process.argv[2];
            if (process.argv[3] === 'orphans') {
              for (let i = 0; i < 3; i++) {
                // sh forks a subshell and exits: the subshell is orphaned to PID 1, exits, and waits to be reaped
                spawn('sh', ['-c', `(sleep 0.2; touch ${dir}/orphan-${i}) &`], { stdio: 'ignore' });
              }
            }
            setInterval(() => {}, 1000);
            console.error('app ready as pid ' + process.pid);
            """;

    @TempDir
    Path dir;

    private Path app() throws IOException {
        return Files.writeString(dir.resolve("app.js"), APP);
    }

    /** The launcher as PID 1 of a new PID namespace, as in a container. */
    private static Running asPid1(Launch launch, String... args) {
        List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        command.addAll(Launch.launcherCommand());
        command.addAll(List.of(args));
        try {
            ProcessBuilder b = new ProcessBuilder(command).directory(launch.directory().toFile());
            b.environment().clear();
            b.environment().putAll(launch.environment());
            return new Running(b.start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sigtermStopsANodeAppWithoutAHandlerWithinASecond() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            // the whole start: migrations pending, prisma migrate deploy, then exec under tini
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Running r = asPid1(project.launch(db).env("INIT", "1"), "run", "--", "node", app().toString(), dir.toString());
            r.awaitStderr("app ready", Duration.ofSeconds(60));
            long pid1 = r.launcherPid();
            assertEquals("tini", comm(pid1), "PID 1 is tini after exec");
            assertEquals(List.of("node"), descendants(pid1).stream().map(InitIT::comm).toList(), "tini's one child is the app; no JVM left");
            if (Launch.launcherCommand().getLast().endsWith("entrypoint")) {
                assertTrue(r.stderr().contains("/lib/tini -s -- node"), "the layout's own tini: " + r.stderr());
            }
            long sent = System.nanoTime();
            r.signal("TERM");
            Launch.Result done = r.await(Duration.ofSeconds(10));
            long millis = Duration.ofNanos(System.nanoTime() - sent).toMillis();
            assertEquals(143, done.exit(), done.toString());
            assertTrue(millis < 1000, "stopped " + millis + " ms after SIGTERM");
            System.out.printf("InitIT: INIT=1, node without a SIGTERM handler as PID 1's child: gone %d ms after SIGTERM%n", millis);
        }
    }

    @Test
    void withoutInitTheSameAppIgnoresSigtermAsPid1() throws Exception {
        Running r = asPid1(new Launch(dir).env("SKIP_MIGRATIONS", "1"), "run", "--", "node", app().toString(), dir.toString());
        r.awaitStderr("app ready", Duration.ofSeconds(30));
        long pid1 = r.launcherPid();
        assertEquals("node", comm(pid1), "the launcher exec'd node as PID 1");
        r.signal("TERM");
        Thread.sleep(2000); // Kubernetes would now wait out the grace period, then SIGKILL
        assertTrue(r.process().isAlive(), "node as PID 1 without a handler ignores SIGTERM");
        assertEquals("node", comm(pid1));
        r.signal("KILL");
        r.await(Duration.ofSeconds(10)); // (unshare reports a PID 1 killed by a signal as exit 1)
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void orphansAreReapedUnderInit(boolean init) throws Exception {
        Launch launch = new Launch(dir).env("SKIP_MIGRATIONS", "1").env("INIT", init ? "1" : null);
        Running r = asPid1(launch, "run", "--", "node", app().toString(), dir.toString(), "orphans");
        try {
            r.awaitStderr("app ready", Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (Stream.of(0, 1, 2).anyMatch(i -> !Files.exists(dir.resolve("orphan-" + i)))) {
                assertTrue(System.nanoTime() < deadline, "the orphans never ran");
                Thread.sleep(50);
            }
            Thread.sleep(500); // each orphan exits right after its touch
            List<Long> zombies = descendants(r.launcherPid()).stream().filter(p -> "Z".equals(state(p))).toList();
            if (init) {
                assertEquals(List.of(), zombies, "tini reaps the app's orphans");
            } else {
                assertEquals(3, zombies.size(), "node as PID 1 never reaps orphans: " + zombies);
            }
        } finally {
            r.signal("KILL");
            r.await(Duration.ofSeconds(10));
        }
    }

    @Test
    void exitCodesPassThroughTini() throws Exception {
        Launch launch = new Launch(dir).env("SKIP_MIGRATIONS", "1").env("INIT", "1");
        for (int code : List.of(0, 42)) {
            Launch.Result r = launch.run("run", "--", "sh", "-c", "exit " + code);
            assertEquals(code, r.exit(), r.toString());
        }
        Launch.Result killed = launch.run("run", "--init", "--", "sh", "-c", "kill -USR1 $$");
        assertEquals(128 + 10, killed.exit(), "an app killed by SIGUSR1: " + killed);
        Launch.Result missing = launch.run("run", "--", "/nonexistent/app");
        assertEquals(127, missing.exit(), missing.toString());
    }

    @Test
    void aMissingTiniStopsTheStartBeforeAnythingIsTouched() throws Exception {
        // a database that never answers: had the launcher gone on, it would wait DB_WAIT_TIMEOUT
        Launch launch = new Launch(dir).env("INIT", "1").env("DB_WAIT_TIMEOUT", "60s")
                .env("DATABASE_URL", "postgresql://app:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:9/app")
                .env("JAVA_TOOL_OPTIONS", "-Dprisma.launcher.tini=" + dir.resolve("no-tini"));
        long start = System.nanoTime();
        Launch.Result r = launch.run("run", "--", "touch", dir.resolve("app-ran").toString());
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("tini"), r.stderr());
        assertFalse(r.stderr().contains("database not reachable"), r.stderr());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30);
        assertFalse(Files.exists(dir.resolve("app-ran")));
    }

    // --- /proc ---------------------------------------------------------------------------------

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String state(long pid) {
        String[] f = stat(pid);
        return f == null ? "" : f[0];
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, ... */
    private static String[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Every process below {@code root}, zombies included (ProcessHandle leaves some out), from /proc. */
    private static List<Long> descendants(long root) throws IOException {
        Map<Long, Long> parent = new HashMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    String[] f = stat(Long.parseLong(name));
                    if (f != null) {
                        parent.put(Long.parseLong(name), Long.parseLong(f[1]));
                    }
                }
            }
        }
        List<Long> out = new ArrayList<>();
        for (long pid : parent.keySet()) {
            for (Long up = parent.get(pid); up != null && up > 1; up = parent.get(up)) {
                if (up == root) {
                    out.add(pid);
                    break;
                }
            }
        }
        return out.stream().sorted().toList();
    }
}
