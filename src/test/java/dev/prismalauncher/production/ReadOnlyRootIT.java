package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes' readOnlyRootFilesystem: true, without an emptyDir. The launcher runs as PID 1 of a
 * fresh PID namespace whose mount namespace has the whole root file system (/tmp, HOME, the
 * layout, the project) remounted read-only: it inspects, runs the real `prisma migrate deploy`,
 * execs the app under tini, and nothing of it needs to write a file.
 */
class ReadOnlyRootIT {
    @TempDir
    Path dir;

    @Test
    void migratesAndExecsWithTheRootReadOnly() {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            List<String> command = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private",
                    "sh", "-c", "mount -o remount,ro,bind / && exec \"$@\"", "sh"));
            command.addAll(Launch.launcherCommand());
            // the app proves the root is read-only where it runs, and that it is PID 1's child under tini
            command.addAll(List.of("run", "--", "sh", "-c", "touch /tmp/ro-probe 2>/dev/null && echo writable || echo read-only; cat /proc/1/comm"));
            Launch.Result r = project.launch(db).env("INIT", "1").exec(command);
            assertEquals(0, r.exit(), r.toString());
            assertEquals("read-only\ntini\n", r.stdout(), r.toString());
            assertTrue(r.stderr().contains("All migrations have been successfully applied."), r.stderr());
            assertTrue(r.stderr().contains("database is up to date: 3 applied"), r.stderr());
        }
    }
}
