package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationRules;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prisma 6 projects: prisma@6.19.3 installed by npm (scripts/prisma-fixture with
 * PRISMA_FIXTURE=prisma6-pg), its version read by the launcher, its deploy run for real. Where the
 * engine cannot be downloaded, ../shared/prisma-offline's stand-in runs under
 * src/test/fixtures/prisma6-pg/schema-engine-prisma6, which adapts Prisma 6's engine arguments.
 * The listing order is checked against the listing function of each installed CLI bundle, run by
 * node (src/test/resources/prisma/list-migrations.js): 6.19.3 and 7.10.1 list alike.
 */
class Prisma6IT {
    private static final Path FIXTURES = Path.of("src/test/fixtures").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void aPrisma6ProjectDeploysWithItsVersionReadAndItsDatasourceChecked() throws IOException {
        Map<String, String> env = Project.prismaEnv("prisma6-pg");
        Path app = dir.resolve("app");
        Project.copy(FIXTURES.resolve("prisma6-pg/prisma"), app.resolve("prisma"));
        Project.copy(FIXTURES.resolve("prisma-pg/prisma/migrations"), app.resolve("prisma/migrations"));
        Files.createSymbolicLink(app.resolve("node_modules"), Path.of(env.get("PRISMA_NODE_MODULES")));
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Launch launch = new Launch(app).env("DATABASE_URL", db.url());
            String offline = env.get("PRISMA_SCHEMA_ENGINE_BINARY");
            if (offline != null) {
                Path library = Files.writeString(dir.resolve("no-query-engine.so.node"), ""); // Prisma 6 wants one on disk; deploy never loads it
                launch.env("PRISMA_OFFLINE_ENGINE", offline).env("PRISMA_QUERY_ENGINE_LIBRARY", library.toString())
                        .env("PRISMA_SCHEMA_ENGINE_BINARY", FIXTURES.resolve("prisma6-pg/schema-engine-prisma6").toString());
            }
            Launch.Result r = launch.run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("prisma: node_modules/.bin/prisma is Prisma 6.19.3 ("), r.stderr());
            assertTrue(r.stderr().contains("INFO prisma - Datasource \"db\": PostgreSQL database \"" + db.name() + "\", schema \"public\""),
                    r.stderr());
            assertEquals(3, db.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL").size(), r.stderr());
        }
    }

    @Test
    void eachInstalledCliListsTheFolderAsTheLauncherReadsItForThatVersion() throws Exception {
        Path migrations = dir.resolve("migrations");
        for (String name : List.of("2_Zeta", "10_users", "2_alpha", "1_init", "20250101000000_Init", "20250101000000_init",
                "B_upper", "b_lower", "a-b", "a_b", "a.b", "real")) {
            Files.createDirectories(migrations.resolve(name));
            Files.writeString(migrations.resolve(name).resolve("migration.sql"), "SELECT 1;");
        }
        Files.createSymbolicLink(migrations.resolve("0_linked"), migrations.resolve("real"));
        Files.writeString(migrations.resolve("0_file.sql"), "");
        for (var cli : List.of(List.of("prisma6-pg", "build/index.js", "6.19.3"), List.of("prisma-pg", "build/cli.js", "7.10.1"))) {
            Path modules = Path.of(Project.prismaEnv(cli.getFirst()).get("PRISMA_NODE_MODULES"));
            Path app = Files.createDirectories(dir.resolve("app-" + cli.getFirst()));
            Files.createSymbolicLink(app.resolve("node_modules"), modules);
            PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
            assertEquals(cli.get(2), prisma.version().text());
            List<String> launcher = LocalMigrations.read(migrations, Provider.POSTGRESQL, prisma.rules()).names();
            List<String> bundle = listedBy(modules.resolve("prisma").resolve(cli.get(1)), migrations);
            assertEquals(bundle, launcher, cli.toString());
            assertNotEquals(bundle, LocalMigrations.read(migrations, Provider.POSTGRESQL, MigrationRules.ENGINE_LISTED).names(),
                    "the vector tells the two orders apart");
        }
    }

    /** The names, in order, that the bundle's own listMigrations returns for the folder. */
    private List<String> listedBy(Path bundle, Path migrations) throws Exception {
        Path script = Path.of("src/test/resources/prisma/list-migrations.js").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), bundle.toString(), migrations.toString());
        pb.environment().remove("LANG");
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_COLLATE");
        Launch.Result r = Launch.finish(pb.start(), "list-migrations.js " + bundle);
        assertEquals(0, r.exit(), r.toString());
        String json = r.stdout().strip();
        assertTrue(json.startsWith("[\"") && json.endsWith("\"]"), json);
        List<String> names = new ArrayList<>();
        for (String quoted : json.substring(2, json.length() - 2).split("\",\"")) {
            names.add(quoted);
        }
        return names;
    }
}
