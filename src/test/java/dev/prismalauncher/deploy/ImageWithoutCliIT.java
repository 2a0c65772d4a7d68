package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.ParsedDockerfile;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/prisma-app/Dockerfile.jdbc without Docker: its app stage's files (the COPY lines from
 * the build context) and its ENV, in a folder with no node_modules at all, started as its CMD
 * starts it. The database does not exist yet; the launcher creates and migrates it, then execs
 * node, and no Prisma exists anywhere to be run.
 */
class ImageWithoutCliIT {
    private static final Path APP = Path.of("examples/prisma-app").toAbsolutePath();
    private static final Pattern COPY = Pattern.compile("^(?!--from)(\\S+) (\\S+)$");
    private static final Pattern ENV = Pattern.compile("(\\w+)=(\\S+)");

    @TempDir
    Path dir;

    @Test
    void theImageWithoutTheCliMigratesAndStartsTheApp() {
        ParsedDockerfile dockerfile = ParsedDockerfile.parse(APP.resolve("Dockerfile.jdbc"));
        ParsedDockerfile.Stage app = dockerfile.stage("app");
        Path image = dir.resolve("app");
        Map<String, String> env = new LinkedHashMap<>();
        for (ParsedDockerfile.Instruction in : app.instructions()) {
            Matcher copy = COPY.matcher(in.args().strip());
            if (in.keyword().equals("COPY") && copy.matches()) {
                Histories.copy(APP.resolve(copy.group(1)), image.resolve(copy.group(2).equals("./") ? copy.group(1) : copy.group(2)));
            }
            if (in.keyword().equals("ENV")) {
                Matcher m = ENV.matcher(in.args());
                while (m.find()) {
                    env.put(m.group(1), m.group(2));
                }
            }
        }
        assertEquals("jdbc", env.get("DEPLOY_ENGINE"), "the recipe sets DEPLOY_ENGINE=jdbc");
        assertEquals(List.of("run", "--", "node", "server.js"), ParsedDockerfile.json(dockerfile.last(app, "CMD")));
        assertFalse(Files.exists(image.resolve("node_modules")), "nothing of Prisma in the image");
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL)) {
            Launch launch = new Launch(image).env("DATABASE_URL", db.url());
            env.forEach(launch::env);
            Launch.Result first = launch.run("run", "--", "node", "server.js", "--once");
            assertEquals(0, first.exit(), first.toString());
            assertEquals("server ready pid=" + first.pid() + "\n", first.stdout(), first.toString());
            assertTrue(first.stderr().contains("applied 2 migration(s)"), first.stderr());
            assertEquals(List.of(List.of("20250101000000_init", "1"), List.of("20250201000000_add_done", "1")),
                    db.query("SELECT migration_name, applied_steps_count FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY started_at"));
            Launch.Result second = launch.run("run", "--", "node", "server.js", "--once");
            assertEquals(0, second.exit(), second.toString());
            assertTrue(second.stderr().contains("not needed"), second.stderr());
        }
    }
}
