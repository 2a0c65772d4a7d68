package dev.prismalauncher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prismalauncher.testing.Launch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** `run` ends in a real execvp: same PID, the app's exit code, clean fds, mask and dispositions. */
class ExecIT {
    @TempDir
    Path dir;

    private Launch launch() {
        // SKIP_MIGRATIONS with a URL that would not even parse: proves no database is touched
        return new Launch(dir).env("SKIP_MIGRATIONS", "1").env("DATABASE_URL", "::not a url::");
    }

    @Test
    void theAppKeepsTheLaunchersPidAndStdout() {
        Launch.Result r = launch().run("run", "--", "sh", "-c", "echo $$; echo app-output");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(r.pid() + "\napp-output\n", r.stdout(), "stdout must be the app's alone, from the launcher's PID");
        assertTrue(r.stderr().contains("SKIP_MIGRATIONS is set"), r.stderr());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 42, 255})
    void theExitCodeIsTheApps(int code) {
        assertEquals(code, launch().run("run", "--", "sh", "-c", "exit " + code).exit());
    }

    @Test
    void noFileDescriptorOfTheJvmSurvives() {
        Launch.Result r = launch().run("run", "--", "sh", "-c", "ls /proc/$$/fd");
        assertEquals(List.of("0", "1", "2"), r.stdout().lines().sorted().toList(), r.toString());
    }

    @Test
    void signalMaskIsEmptyAndIgnoredSignalsAreReset() {
        // Start the launcher with INT, QUIT, TERM and HUP ignored, as `nohup` or a careless shell would.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "trap '' INT QUIT TERM HUP; exec \"$@\"", "sh"));
        command.addAll(Launch.launcherCommand());
        // grep itself is exec'd and reads its own status: a shell in between would show its own mask,
        // which dash fills while it forks a child.
        command.addAll(List.of("run", "--", "grep", "-E", "^Sig(Blk|Ign)", "/proc/self/status"));
        Launch.Result r = launch().exec(command);
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"), r.stdout().lines().toList(), r.toString());
    }

    @Test
    void aMissingCommandIs127() {
        Launch.Result r = launch().run("run", "--", "no-such-command-anywhere");
        assertEquals(127, r.exit(), r.toString());
        assertTrue(r.stderr().contains("no-such-command-anywhere"), r.stderr());
    }

    @Test
    void aNonExecutableCommandIs126() throws Exception {
        Path notExecutable = dir.resolve("app.sh");
        java.nio.file.Files.writeString(notExecutable, "#!/bin/sh\necho hi\n");
        Launch.Result r = launch().run("run", "--", notExecutable.toString());
        assertEquals(126, r.exit(), r.toString());
    }

    @Test
    void anExecFailureGoesToTheTerminationLogAndIsJsonUnderLogFormatJson() throws Exception {
        Path termination = Files.createFile(dir.resolve("termination-log"));
        Launch.Result r = launch().env("LOG_FORMAT", "json").env("TERMINATION_LOG", termination.toString())
                .run("run", "--", "no-such-command-anywhere");
        assertEquals(127, r.exit(), r.toString());
        ObjectMapper json = new ObjectMapper();
        JsonNode failed = null;
        for (String line : r.stderr().lines().toList()) {
            JsonNode node = json.readTree(line); // every line is JSON: the failure too
            if ("failed".equals(node.path("event").asText())) failed = node;
        }
        assertTrue(failed != null && failed.path("message").asText().contains("cannot exec \"no-such-command-anywhere\""), r.stderr());
        assertEquals(127, failed.path("exitCode").asInt(), r.stderr());
        assertTrue(Files.readString(termination).contains("cannot exec \"no-such-command-anywhere\""), Files.readString(termination));
    }

    @Test
    void aNonExecutableCommandIsInTheTerminationLogToo() throws Exception {
        Path notExecutable = Files.writeString(dir.resolve("app.sh"), "#!/bin/sh\necho hi\n");
        Path termination = Files.createFile(dir.resolve("termination-log"));
        Launch.Result r = launch().env("TERMINATION_LOG", termination.toString()).run("run", "--", notExecutable.toString());
        assertEquals(126, r.exit(), r.toString());
        assertTrue(Files.readString(termination).contains("Permission denied"), Files.readString(termination));
    }

    /**
     * Started with stdin, stdout and stderr closed and an extra fd 5 (a socket-activation style pass):
     * the app has /dev/null on 0-2 (never the JVM's lib/modules or jar) and fd 5, and nothing else.
     * Read from outside, in /proc of the launcher's PID once the app (sleep) runs there.
     */
    @Test
    void closedStdioBecomesDevNullAndAnInheritedFdReachesTheApp() throws Exception {
        Path passed = Files.writeString(dir.resolve("passed"), "passed on\n");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec 5<\"$PASSED\"; exec \"$@\" <&- >&- 2>&-", "sh"));
        command.addAll(Launch.launcherCommand());
        command.addAll(List.of("run", "--", "sleep", "30"));
        ProcessBuilder b = new ProcessBuilder(Launch.withDefaultSignals(command)).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out").toFile());
        b.environment().clear();
        b.environment().putAll(launch().environment());
        b.environment().put("PASSED", passed.toString());
        Process p = b.start();
        try {
            p.getOutputStream().close();
            Map<Integer, String> fds = appFds(p.pid());
            assertEquals(Map.of(0, "/dev/null", 1, "/dev/null", 2, "/dev/null", 5, passed.toRealPath().toString()), fds);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void anInheritedFdAboveStderrIsKept() throws Exception {
        Files.writeString(dir.resolve("passed"), "passed on\n");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec 5<passed; exec \"$@\"", "sh"));
        command.addAll(Launch.launcherCommand());
        command.addAll(List.of("run", "--", "sh", "-c", "cat <&5"));
        Launch.Result r = launch().exec(command);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("passed on\n", r.stdout(), r.toString());
    }

    /** The fds of the process once it runs `sleep`, with their targets. */
    private Map<Integer, String> appFds(long pid) throws Exception {
        Path proc = Path.of("/proc/" + pid);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            String comm;
            try {
                comm = Files.readString(proc.resolve("comm")).strip();
            } catch (IOException gone) {
                throw new AssertionError("the launcher exited before the app ran (its output: " + dir.resolve("out") + ")");
            }
            if (comm.equals("sleep")) {
                Map<Integer, String> fds = new TreeMap<>();
                try (var list = Files.list(proc.resolve("fd"))) {
                    for (Path fd : list.toList()) {
                        fds.put(Integer.parseInt(fd.getFileName().toString()), Files.readSymbolicLink(fd).toString());
                    }
                }
                return fds;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the app never ran");
    }
}
