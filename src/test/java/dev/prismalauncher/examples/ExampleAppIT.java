package dev.prismalauncher.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/prisma-app as users get it, started the way its Dockerfile starts it
 * ({@code run -- node server.js}): the real launcher, the real Prisma CLI (scripts/prisma-fixture
 * installs the same version the app depends on) and a real PostgreSQL database that does not
 * exist yet.
 */
class ExampleAppIT {
    static final Path APP = Path.of("examples/prisma-app").toAbsolutePath();
    static final List<List<String>> BOTH_APPLIED = List.of(List.of("20250101000000_init"), List.of("20250201000000_add_done"));

    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAndMigratesTheDatabaseThenExecsTheAppAndTheNextStartSkipsPrisma() throws Exception {
        Path app = dir.resolve("prisma-app");
        copy(APP, app);
        Map<String, String> prisma = prismaFixture();
        Files.createSymbolicLink(app.resolve("node_modules"), Path.of(prisma.get("PRISMA_NODE_MODULES")));

        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL)) {
            Launch launch = new Launch(app).env("DATABASE_URL", db.url());
            prisma.forEach(launch::env);

            Launch.Result first = launch.run("run", "--", "node", "server.js", "--once");
            assertEquals(0, first.exit(), first.toString());
            assertEquals("server ready pid=" + first.pid() + "\n", first.stdout(), "node runs as the launcher's PID: " + first);
            assertTrue(first.stderr().contains("database does not exist yet; 0 applied, 2 pending"), first.stderr());
            assertTrue(first.stderr().contains("running node_modules/.bin/prisma migrate deploy"), first.stderr());
            assertTrue(db.exists());
            assertEquals(BOTH_APPLIED, appliedMigrations(db));
            // the schema that prisma/schema.prisma describes
            assertEquals(List.of(List.of("id"), List.of("text"), List.of("createdAt"), List.of("done")),
                    db.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'Note' ORDER BY ordinal_position"));

            Launch.Result second = launch.run("run", "--", "node", "server.js", "--once");
            assertEquals(0, second.exit(), second.toString());
            assertEquals("server ready pid=" + second.pid() + "\n", second.stdout(), second.toString());
            assertTrue(second.stderr().contains("prisma migrate deploy not needed"), second.stderr());
            assertFalse(second.stderr().contains("running node_modules/.bin/prisma"), "Prisma must not start when nothing is pending: " + second.stderr());
            assertEquals(BOTH_APPLIED, appliedMigrations(db));
            assertEquals(2, db.query("SELECT 1 FROM _prisma_migrations").size(), "no row added by the second start");

            // what the Job / release phase runs, and the report: both see a current database
            Launch.Result migrate = launch.run("migrate");
            assertEquals(0, migrate.exit(), migrate.toString());
            Launch.Result status = launch.run("status");
            assertEquals(0, status.exit(), "status exits 0 when up to date: " + status);
        }
    }

    private static List<List<String>> appliedMigrations(TestDatabase db) {
        return db.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name");
    }

    /**
     * Runs scripts/prisma-fixture as the other end-to-end tests do (npm install of the pinned
     * Prisma CLI, cached) and returns what it prints: PRISMA_NODE_MODULES and, on machines without
     * Prisma's download host, PRISMA_SCHEMA_ENGINE_BINARY.
     */
    private static synchronized Map<String, String> prismaFixture() {
        Launch.Result r = new Launch(Path.of(".").toAbsolutePath()).exec(List.of("bash", "scripts/prisma-fixture"));
        assertEquals(0, r.exit(), "scripts/prisma-fixture failed (it installs prisma from npm): " + r);
        Map<String, String> env = new LinkedHashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertTrue(env.containsKey("PRISMA_NODE_MODULES"), "scripts/prisma-fixture printed no PRISMA_NODE_MODULES: " + r);
        return env;
    }

    /** Copies the example, leaving out a node_modules a developer may have installed there. */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("node_modules")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        }
    }
}
