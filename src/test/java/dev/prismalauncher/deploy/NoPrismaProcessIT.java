package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEPLOY_ENGINE=jdbc starts no Node or Prisma process: `node`, `npx` and `prisma` on PATH, and
 * node_modules/.bin/prisma in the app, are programs that record each use and fail. With the
 * default engine the same set-up records a use: the recorder works.
 */
class NoPrismaProcessIT {
    @TempDir
    Path dir;

    private Path recorded;

    private Launch app(TestDatabase db) {
        recorded = dir.resolve("used");
        Path bin = dir.resolve("bin");
        for (String program : List.of("node", "npx", "prisma")) {
            Launch.script(bin.resolve(program), "echo \"" + program + " $*\" >> '" + recorded + "'\nexit 1");
        }
        Path app = dir.resolve("app");
        Histories.copy(Histories.ROOT.resolve("umami-postgresql/migrations"), app.resolve("prisma/migrations"));
        Launch.script(app.resolve("node_modules/.bin/prisma"), "echo \"node_modules/.bin/prisma $*\" >> '" + recorded + "'\nexit 1");
        return new Launch(app).env("DATABASE_URL", db.url()).env("PATH", bin + ":" + System.getenv("PATH"));
    }

    @Test
    void theJdbcEngineRunsNoNodeAndNoPrisma() throws IOException {
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL)) {
            Launch.Result r = app(db).env("DEPLOY_ENGINE", "jdbc").run("run", "--", "true");
            assertEquals(0, r.exit(), r.toString());
            assertFalse(Files.exists(recorded), () -> "started: " + read(recorded));
            assertEquals(List.of(), db.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NULL"));
            assertEquals(Histories.names("umami-postgresql").size(), db.query("SELECT 1 FROM _prisma_migrations").size());
        }
    }

    @Test
    void theDefaultEngineIsSeenStartingPrisma() throws IOException {
        try (TestDatabase db = TestDatabase.reserve(Kind.POSTGRESQL)) {
            Launch.Result r = app(db).run("run", "--", "true");
            assertNotEquals(0, r.exit(), r.toString());
            assertTrue(Files.exists(recorded) && read(recorded).contains("node_modules/.bin/prisma migrate deploy"), r.toString());
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
