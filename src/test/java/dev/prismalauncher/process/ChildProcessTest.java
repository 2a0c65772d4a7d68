package dev.prismalauncher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real children: own process group, merged output, environment, group termination, clean signals and fds. */
@Timeout(20)
@SuppressWarnings("restricted")
class ChildProcessTest {
    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void theChildLeadsItsOwnProcessGroup() throws Exception {
        try (ChildProcess child = ChildProcess.start(List.of("sleep", "30"), Map.of())) {
            assertEquals(child.pid(), pgidOf("" + child.pid()), "pgid of the child");
            assertNotEquals(pgidOf("self"), child.pid(), "the JVM's own group");
            assertTrue(child.groupAlive());
        }
    }

    @Test
    void stdoutAndStderrAreMergedAndTheExitCodeIsReported() throws Exception {
        try (ChildProcess child = ChildProcess.start(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), Map.of())) {
            assertEquals("out\nerr\n", new String(child.output().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(OptionalInt.of(3), child.waitFor(LONG));
        }
    }

    @Test
    void theEnvironmentIsOursPlusTheExtraVariables() throws Exception {
        String path = System.getenv("PATH") + ":/nowhere";
        try (ChildProcess child = ChildProcess.start(List.of("sh", "-c", "echo \"$FOO|$PATH|$HOME\""),
                Map.of("FOO", "bar baz", "PATH", path))) {
            String home = System.getenv().getOrDefault("HOME", "");
            assertEquals("bar baz|" + path + "|" + home + "\n", new String(child.output().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(OptionalInt.of(0), child.waitFor(LONG));
        }
    }

    @Test
    void aMissingCommandIsAnIOExceptionNamingIt() {
        IOException e = assertThrows(IOException.class, () -> ChildProcess.start(List.of("no-such-command-anywhere"), Map.of()));
        // strerror's words: "No such file or directory" in the C locale
        String prefix = "cannot start \"no-such-command-anywhere\": ";
        assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().length() > prefix.length(), e.getMessage());
    }

    @Test
    void waitForTimesOutWhileTheChildRuns() throws Exception {
        try (ChildProcess child = ChildProcess.start(List.of("sleep", "30"), Map.of())) {
            long t0 = System.nanoTime();
            assertEquals(OptionalInt.empty(), child.waitFor(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - t0 >= 150_000_000L);
            assertEquals(OptionalInt.empty(), child.waitFor(Duration.ZERO));
        }
    }

    @Test
    void terminateEndsTheWholeGroupWithTerm() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "sleep 30 & sleep 30 & echo ready; wait"), Map.of());
        try (child; BufferedReader out = reader(child)) {
            assertEquals("ready", out.readLine());
            assertEquals(3, liveMembers(child.pid()).size(), "sh and two sleeps: " + groupMembers(child.pid()));

            long t0 = System.nanoTime();
            assertEquals(128 + Signals.SIGTERM, child.terminate(Duration.ofSeconds(2)));
            assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "TERM is obeyed at once: no need to wait out the grace");
            assertEquals(List.of(), liveMembers(child.pid()));
            assertEquals(null, out.readLine(), "EOF: no writer left");
            awaitGroupGone(child);
        }
    }

    @Test
    void whatIgnoresTermIsKilledAfterTheGrace() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "trap '' TERM; echo ready; sleep 30"), Map.of());
        try (child; BufferedReader out = reader(child)) {
            assertEquals("ready", out.readLine());
            Duration grace = Duration.ofSeconds(1);
            long t0 = System.nanoTime();
            assertEquals(128 + Signals.SIGKILL, child.terminate(grace));
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= grace.toNanos() && elapsed < grace.plusSeconds(2).toNanos(), "took " + elapsed / 1_000_000 + " ms");
            assertEquals(List.of(), liveMembers(child.pid()));
            awaitGroupGone(child);
        }
    }

    @Test
    void membersLeftBehindByAnExitedLeaderAreKilledToo() throws Exception {
        // The leader exits at once; its background child ignores TERM and keeps the group alive.
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "trap '' TERM; sleep 30 & echo ready"), Map.of());
        try (child; BufferedReader out = reader(child)) {
            assertEquals("ready", out.readLine());
            assertEquals(OptionalInt.of(0), child.waitFor(LONG));
            assertTrue(child.groupAlive(), "the sleep is still there");

            long t0 = System.nanoTime();
            assertEquals(0, child.terminate(Duration.ofSeconds(1)), "the leader's own exit code");
            long elapsed = System.nanoTime() - t0;
            assertTrue(elapsed >= Duration.ofSeconds(1).toNanos() && elapsed < Duration.ofSeconds(3).toNanos(), "took " + elapsed / 1_000_000 + " ms");
            assertEquals(List.of(), liveMembers(child.pid()));
            awaitGroupGone(child);
        }
    }

    @Test
    void orphansReparentedToUsAreReaped() throws Throwable {
        // As PID 1 (a container's entrypoint), the group's orphans become our children; killed and not
        // reaped, they would stay in the group as zombies. A subreaper gets them the same way.
        MethodHandle prctl = libc("prctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), Linker.Option.firstVariadicArg(1));
        final int PR_SET_CHILD_SUBREAPER = 36;
        assertEquals(0, (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L));
        try {
            ChildProcess child = ChildProcess.start(List.of("sh", "-c", "sleep 30 & echo ready; wait"), Map.of());
            try (child; BufferedReader out = reader(child)) {
                assertEquals("ready", out.readLine());
                assertEquals(128 + Signals.SIGTERM, child.terminate(Duration.ofSeconds(2)));
                assertEquals(List.of(), groupMembers(child.pid()), "no zombie left in the group");
                assertFalse(child.groupAlive());
            }
        } finally {
            int ignored = (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 0L, 0L, 0L, 0L);
        }
    }

    @Test
    void closeTerminatesARunningGroup() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "sleep 30 & echo ready; wait"), Map.of());
        assertEquals("ready", reader(child).readLine());
        child.close();
        assertEquals(List.of(), liveMembers(child.pid()));
        assertEquals(OptionalInt.of(128 + Signals.SIGTERM), child.waitFor(Duration.ZERO));
        child.close(); // twice is fine
    }

    @Test
    void signalMaskIsEmptyAndNoSignalIsIgnored() throws Throwable {
        // Make sure this thread blocks one signal and the JVM ignores another, whatever the JVM does by itself.
        final int blocked = 41, ignoredSig = 40, SIG_BLOCK = 0, SIG_UNBLOCK = 1;
        MethodHandle sigmask = libc("pthread_sigmask", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        MethodHandle signal = libc("signal", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(128, 8);
            set.set(ValueLayout.JAVA_LONG, 0, 1L << (blocked - 1));
            assertEquals(0, (int) sigmask.invokeExact(SIG_BLOCK, set, MemorySegment.NULL));
            MemorySegment old = (MemorySegment) signal.invokeExact(ignoredSig, MemorySegment.ofAddress(1)); // SIG_IGN
            try {
                List<String> self = Files.readAllLines(Path.of("/proc/thread-self/status"));
                assertTrue((sigBits(self, "SigBlk:") & 1L << (blocked - 1)) != 0, self.toString());
                assertTrue((sigBits(self, "SigIgn:") & 1L << (ignoredSig - 1)) != 0, self.toString());

                // grep itself, no shell: dash blocks signals for a moment around its own forks
                try (ChildProcess child = ChildProcess.start(List.of("grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"), Map.of())) {
                    assertEquals("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n",
                            new String(child.output().readAllBytes(), StandardCharsets.UTF_8));
                    assertEquals(OptionalInt.of(0), child.waitFor(LONG));
                }
            } finally {
                MemorySegment restored = (MemorySegment) signal.invokeExact(ignoredSig, old);
                int rc = (int) sigmask.invokeExact(SIG_UNBLOCK, set, MemorySegment.NULL);
            }
        }
    }

    @Test
    void onlyStdinStdoutAndStderrAreInherited() throws Exception {
        // An fd of ours without close-on-exec (Java opens files that way), open while the child starts.
        try (FileInputStream open = new FileInputStream("/dev/null")) {
            assertTrue(open.getFD().valid() && hasFdWithoutCloseOnExec(), "precondition: the JVM has an inheritable fd above 2");
            try (ChildProcess child = ChildProcess.start(List.of("sh", "-c", "ls /proc/self/fd"), Map.of())) {
                // 3 is ls's own handle on the directory
                assertEquals(List.of("0", "1", "2", "3"),
                        new String(child.output().readAllBytes(), StandardCharsets.UTF_8).lines().sorted().toList());
                assertEquals(OptionalInt.of(0), child.waitFor(LONG));
            }
        }
    }

    @Test
    void stdinIsDevNull() throws Exception {
        try (ChildProcess child = ChildProcess.start(List.of("sh", "-c", "readlink /proc/self/fd/0; cat"), Map.of())) {
            assertEquals("/dev/null\n", new String(child.output().readAllBytes(), StandardCharsets.UTF_8));
            assertEquals(OptionalInt.of(0), child.waitFor(LONG));
        }
    }

    @Test
    void signalGroupReachesEveryMember() throws Exception {
        ChildProcess child = ChildProcess.start(List.of("sh", "-c", "trap 'echo got TERM; exit 5' TERM; sleep 30 & wait"), Map.of());
        try (child; BufferedReader out = reader(child)) {
            waitForLiveMembers(child.pid(), 2);
            child.signalGroup(Signals.SIGTERM);
            assertEquals("got TERM", out.readLine());
            assertEquals(OptionalInt.of(5), child.waitFor(LONG));
            waitForLiveMembers(child.pid(), 0); // the sleep got TERM too
            awaitGroupGone(child);
            child.signalGroup(Signals.SIGKILL); // a gone group is no error
        }
    }

    // ---- helpers

    private static BufferedReader reader(ChildProcess child) {
        return new BufferedReader(new InputStreamReader(child.output(), StandardCharsets.UTF_8));
    }

    /** Field 5 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
    private static long pgidOf(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(rest[2]); // state, ppid, pgrp
    }

    /** The group's processes, zombies included, as "pid state". */
    private static List<String> groupMembers(long pgid) throws IOException {
        List<String> members = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                String pid = p.getFileName().toString();
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(rest[2]) == pgid) members.add(pid + " " + rest[0]);
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return members;
    }

    /** Members that still run: a zombie is dead, only waiting for its parent (here maybe a slow init) to reap it. */
    private static List<String> liveMembers(long pgid) throws IOException {
        return groupMembers(pgid).stream().filter(m -> !m.endsWith(" Z")).toList();
    }

    private static void waitForLiveMembers(long pgid, int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (liveMembers(pgid).size() != count) {
            assertTrue(System.nanoTime() < deadline, "group " + pgid + " never had " + count + " live members: " + groupMembers(pgid));
            Thread.sleep(10);
        }
    }

    /** Once the zombies are reaped, kill(-pgid, 0) fails: the group is gone altogether. */
    private static void awaitGroupGone(ChildProcess child) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (child.groupAlive()) {
            assertTrue(System.nanoTime() < deadline, "group still there: " + groupMembers(child.pid()));
            Thread.sleep(10);
        }
        assertEquals(List.of(), groupMembers(child.pid()));
    }

    private static long sigBits(List<String> status, String field) {
        return status.stream().filter(l -> l.startsWith(field))
                .mapToLong(l -> Long.parseUnsignedLong(l.substring(field.length()).trim(), 16)).findFirst().orElseThrow();
    }

    private static boolean hasFdWithoutCloseOnExec() throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fdinfo"))) {
            for (Path p : fds) {
                if (Integer.parseInt(p.getFileName().toString()) <= 2) continue;
                try {
                    for (String line : Files.readAllLines(p)) {
                        if (line.startsWith("flags:") && (Long.parseLong(line.substring(6).trim(), 8) & 02000000) == 0) return true;
                    }
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return false;
    }

    private static MethodHandle libc(String name, FunctionDescriptor desc, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find(name).orElseThrow(), desc, options);
    }
}
