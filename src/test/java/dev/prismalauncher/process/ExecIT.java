package dev.prismalauncher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
