package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prisma printing 50 MB without a newline (a dumped blob, a progress bar gone wrong) must not cost
 * the launcher its heap nor Prisma its life: with the shipped heap (-Xmx128m, as in `entrypoint`)
 * the line is cut at 8 KiB with a marker, the pump keeps draining, Prisma finishes its deploy and
 * the app starts.
 */
class OutputFloodIT {
    @TempDir
    Path dir;

    @Test
    void fiftyMegabytesWithoutANewlineAreCutAndTheDeployFinishes() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            Path prisma = Launch.script(dir.resolve("flooding-prisma"),
                    "head -c 52428800 /dev/zero | tr '\\0' x\n"
                    + "echo\n"
                    + "echo after the flood\n"
                    + "exec '" + project.prismaCommand().getFirst() + "' \"$@\"");
            Launch.Result r = project.launch(db).env("PRISMA_COMMAND", prisma.toString())
                    .env("JAVA_TOOL_OPTIONS", "-Xmx128m") // the shipped heap, in the jar form too
                    .run("run", "--", "touch", dir.resolve("app-ran").toString());
            assertEquals(0, r.exit(), r.stderr().length() > 20_000 ? r.stderr().substring(r.stderr().length() - 20_000) : r.stderr());
            assertTrue(r.stderr().contains("[... " + (52428800 - 8192) + " more bytes of this line not shown]"), "no truncation marker");
            assertTrue(r.stderr().contains("after the flood"), "the pump stopped after the long line");
            assertTrue(r.stderr().length() < 100_000, "the log holds the cut line, not 50 MB: " + r.stderr().length());
            assertTrue(Files.exists(dir.resolve("app-ran")));
            assertEquals(List.of(List.of("3")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"));
        }
    }
}
