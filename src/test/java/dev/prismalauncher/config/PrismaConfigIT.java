package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * Issue 16's five cases, each on twin databases: the real prisma 7.10.1 CLI ({@code migrate deploy})
 * on one, the launcher ({@code run}) on the other, the same project and environment; both must end
 * with the same rows in {@code _prisma_migrations} of the same database, and the launcher must
 * start the app. Before the config was read, each of these failed (see the issue).
 */
class PrismaConfigIT {
    private static final String FOURTH = "20250104000000_add_bio";

    @TempDir
    Path dir;

    /** A copy of the fixture project (three migrations in prisma/migrations) with node_modules linked, and no config. */
    private Path project(String name) throws IOException {
        Path p = Project.create(Kind.POSTGRESQL, dir.resolve(name)).dir();
        Files.delete(p.resolve("prisma.config.ts"));
        return p;
    }

    private static Launch launch(Path project, Map<String, String> env) {
        Launch l = new Launch(project);
        Project.prismaEnv("prisma-pg").forEach(l::env);
        env.forEach(l::env);
        return l;
    }

    private static Launch.Result prismaDeploy(Path project, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(project.resolve("node_modules/.bin/prisma").toString(), "migrate", "deploy"));
        command.addAll(List.of(args));
        return launch(project, env).exec(command);
    }

    private static Launch.Result launcher(Path project, Map<String, String> env) {
        Launch.Result r = launch(project, env).run("run", "--", "echo", "the app");
        r.assertNoSecrets();
        return r;
    }

    private static List<String> applied(TestDatabase db) {
        boolean managed = !db.query("SELECT 1 FROM pg_tables WHERE tablename = '_prisma_migrations'").isEmpty();
        return managed ? db.query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"
                + " ORDER BY migration_name").stream().map(List::getFirst).toList() : List.of();
    }

    private static void assertStarted(Launch.Result r) {
        assertEquals(0, r.exit(), r.toString());
        assertEquals("the app\n", r.stdout(), r.toString());
    }

    private static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        Files.move(from, to);
    }

    /** migrations.path 'db/migrations', a stale prisma/migrations left in the image: the launcher used to start the app unmigrated. */
    @Test
    void migrationsPathWinsOverAStalePrismaMigrations() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("path");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from 'prisma/config'
                    export default defineConfig({
                      schema: 'prisma/schema.prisma',
                      migrations: { path: 'db/migrations' },
                      datasource: { url: process.env.DATABASE_URL },
                    })
                    """);
            Project.copy(p.resolve("prisma/migrations"), p.resolve("db/migrations"));
            for (TestDatabase db : List.of(prismaTwin, launcherTwin)) {
                assertEquals(0, prismaDeploy(p, Map.of("DATABASE_URL", db.url())).exit()); // the three, as before the release
            }
            Files.createDirectories(p.resolve("db/migrations").resolve(FOURTH));
            Files.writeString(p.resolve("db/migrations").resolve(FOURTH).resolve("migration.sql"), "ALTER TABLE \"User\" ADD COLUMN \"bio\" TEXT;\n");

            Launch.Result prisma = prismaDeploy(p, Map.of("DATABASE_URL", prismaTwin.url()));
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result launcher = launcher(p, Map.of("DATABASE_URL", launcherTwin.url()));
            assertStarted(launcher);
            assertTrue(applied(prismaTwin).contains(FOURTH), applied(prismaTwin).toString());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
            assertTrue(launcher.stderr().contains("migrations in db/migrations"), launcher.stderr());
        }
    }

    /** PRISMA_DEPLOY_ARGS=--schema=db/schema.prisma and no migrations.path: db/migrations beside the schema, as Prisma finds it. */
    @Test
    void schemaArgumentPutsTheMigrationsBesideTheSchema() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("schema");
            move(p.resolve("prisma"), p.resolve("db"));
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from 'prisma/config'
                    export default defineConfig({ datasource: { url: process.env.DATABASE_URL } })
                    """);
            Launch.Result prisma = prismaDeploy(p, Map.of("DATABASE_URL", prismaTwin.url()), "--schema=db/schema.prisma");
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result launcher = launcher(p, Map.of("DATABASE_URL", launcherTwin.url(), "PRISMA_DEPLOY_ARGS", "--schema=db/schema.prisma"));
            assertStarted(launcher);
            assertEquals(3, applied(prismaTwin).size());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
        }
    }

    /** url: DIRECT_URL ?? DATABASE_URL: Prisma migrates (and locks) through the direct one; so must the launcher. */
    @Test
    void directUrlBeforeDatabaseUrl() throws IOException {
        try (TestDatabase prismaDirect = TestDatabase.create(Kind.POSTGRESQL); TestDatabase prismaPooled = TestDatabase.create(Kind.POSTGRESQL);
                TestDatabase launcherDirect = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherPooled = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("direct");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import "dotenv/config";
                    import { defineConfig } from "prisma/config";

                    export default defineConfig({
                      schema: "prisma/schema.prisma",
                      migrations: { path: "prisma/migrations" },
                      datasource: { url: process.env.DIRECT_URL ?? process.env.DATABASE_URL },
                    });
                    """);
            Launch.Result prisma = prismaDeploy(p, Map.of("DATABASE_URL", prismaPooled.url(), "DIRECT_URL", prismaDirect.url()));
            assertEquals(0, prisma.exit(), prisma.toString());
            Launch.Result launcher = launcher(p, Map.of("DATABASE_URL", launcherPooled.url(), "DIRECT_URL", launcherDirect.url()));
            assertStarted(launcher);
            assertEquals(3, applied(prismaDirect).size());
            assertEquals(List.of(), applied(prismaPooled));
            assertEquals(applied(prismaDirect), applied(launcherDirect));
            assertEquals(List.of(), applied(launcherPooled), "the launcher inspected and migrated the pooled URL");
            assertTrue(launcher.stderr().contains("datasource.url from DIRECT_URL"), launcher.stderr());
        }
    }

    /** The URL only in .env, which the config loads through dotenv: Prisma deploys; the launcher used to exit 2. */
    @Test
    void urlOnlyInDotEnv() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("dotenv");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import 'dotenv/config'
                    import { defineConfig, env } from 'prisma/config'
                    export default defineConfig({
                      schema: 'prisma/schema.prisma',
                      migrations: { path: 'prisma/migrations' },
                      datasource: { url: env('DATABASE_URL') },
                    })
                    """);
            Files.writeString(p.resolve(".env"), "# local settings\nDATABASE_URL=\"" + prismaTwin.url() + "\"\n");
            Launch.Result prisma = prismaDeploy(p, Map.of());
            assertEquals(0, prisma.exit(), prisma.toString());
            Files.writeString(p.resolve(".env"), "# local settings\nDATABASE_URL=\"" + launcherTwin.url() + "\"\n");
            Launch.Result launcher = launcher(p, Map.of());
            assertStarted(launcher);
            assertEquals(3, applied(prismaTwin).size());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
        }
    }

    /** tables.external ['public.legacy']: Prisma deploys over the external table; the launcher used to refuse with P3005. */
    @Test
    void externalTablesAreNotCountedAsUnmanaged() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL);
                TestDatabase jdbcTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase otherTable = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("external");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from 'prisma/config'
                    export default defineConfig({
                      experimental: { externalTables: true },
                      schema: 'prisma/schema.prisma',
                      migrations: { path: 'prisma/migrations' },
                      tables: { external: ['public.legacy'] },
                      datasource: { url: process.env.DATABASE_URL },
                    })
                    """);
            for (TestDatabase db : List.of(prismaTwin, launcherTwin, jdbcTwin)) {
                db.execute("CREATE TABLE legacy (id INT PRIMARY KEY)");
            }
            Launch.Result prisma = prismaDeploy(p, Map.of("DATABASE_URL", prismaTwin.url()));
            assertEquals(0, prisma.exit(), prisma.toString());
            assertStarted(launcher(p, Map.of("DATABASE_URL", launcherTwin.url())));
            assertStarted(launcher(p, Map.of("DATABASE_URL", jdbcTwin.url(), "DEPLOY_ENGINE", "jdbc")));
            assertEquals(3, applied(prismaTwin).size());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
            assertEquals(applied(prismaTwin), applied(jdbcTwin));

            // a table that is not external still makes the database unmanaged, for both
            otherTable.execute("CREATE TABLE legacy (id INT PRIMARY KEY)", "CREATE TABLE other (id INT)");
            Launch.Result refused = launcher(p, Map.of("DATABASE_URL", otherTable.url()));
            assertEquals(5, refused.exit(), refused.toString());
            assertTrue(refused.stderr().contains("P3005") && refused.stderr().contains("1 table: other"), refused.stderr());
            assertFalse(refused.stderr().contains("running "), refused.stderr());
        }
    }

    /**
     * MIGRATE_DATABASE_URL wins over the config's DIRECT_URL ?? DATABASE_URL: the launcher warns, and
     * hands Prisma the same URL in DIRECT_URL, so Prisma migrates the database the launcher inspected
     * (else the datasource check would stop it).
     */
    @Test
    void migrateDatabaseUrlWinsAndPrismaIsGivenTheSame() throws IOException {
        try (TestDatabase chosen = TestDatabase.create(Kind.POSTGRESQL); TestDatabase direct = TestDatabase.create(Kind.POSTGRESQL);
                TestDatabase pooled = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("migrate-url");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from "prisma/config";
                    export default defineConfig({
                      schema: "prisma/schema.prisma",
                      datasource: { url: process.env.DIRECT_URL ?? process.env.DATABASE_URL },
                    });
                    """);
            Launch.Result r = launcher(p, Map.of("DATABASE_URL", pooled.url(), "DIRECT_URL", direct.url(), "MIGRATE_DATABASE_URL", chosen.url()));
            assertStarted(r);
            assertEquals(3, applied(chosen).size(), r.stderr());
            assertEquals(List.of(), applied(direct));
            assertEquals(List.of(), applied(pooled));
            assertTrue(r.stderr().contains("MIGRATE_DATABASE_URL wins over datasource.url of prisma.config.ts (DIRECT_URL)"), r.stderr());
        }
    }

    private static final String BEYOND = """
            import { defineConfig } from 'prisma/config'
            const url = [process.env.DATABASE_URL].join('')
            export default defineConfig({
              schema: 'prisma/schema.prisma',
              migrations: { path: 'db/migrations' },
              datasource: { url },
            })
            """;

    /** A config beyond the static reader is evaluated by the app's own @prisma/config, and the log says so and what it cost. */
    @Test
    void beyondTheStaticReaderPrismasOwnLoaderDecides() throws IOException {
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("beyond");
            move(p.resolve("prisma/migrations"), p.resolve("db/migrations"));
            Files.writeString(p.resolve("prisma.config.ts"), BEYOND);
            assertEquals(0, prismaDeploy(p, Map.of("DATABASE_URL", prismaTwin.url())).exit());
            Launch.Result r = launcher(p, Map.of("DATABASE_URL", launcherTwin.url()));
            assertStarted(r);
            assertEquals(3, applied(launcherTwin).size());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
            assertTrue(r.stderr().matches("(?s).*evaluated \\S+prisma\\.config\\.ts with Prisma's own loader \\(node\\) in \\d+ ms, as it goes beyond"
                    + " what is read without Node \\(the property 'join' of an array\\).*migrations in db/migrations.*"), r.stderr());
        }
    }

    /**
     * Without node nothing can evaluate it: refused (exit 2, nothing touched) naming the settings that
     * make the launcher certain; with both set (and the JDBC engine, as Prisma could not load the config
     * either) it starts, warning that it did not read the config.
     */
    @Test
    void withoutNodeItRefusesUnlessTheSettingsMakeItCertain() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("no-node");
            move(p.resolve("prisma/migrations"), p.resolve("db/migrations"));
            Files.writeString(p.resolve("prisma.config.ts"), BEYOND);
            Path bin = Files.createDirectories(dir.resolve("bin-without-node"));
            Files.createSymbolicLink(bin.resolve("echo"), Path.of("/bin/echo").toRealPath()); // the app; node is not there
            Map<String, String> noNode = Map.of("DATABASE_URL", db.url(), "PATH", bin + ":/usr/local/sbin/none");
            Launch.Result refused = launcher(p, noNode);
            assertEquals(2, refused.exit(), refused.toString());
            assertTrue(refused.stderr().contains("the property 'join' of an array") && refused.stderr().contains("node could not be started")
                    && refused.stderr().contains("PRISMA_MIGRATIONS_DIR") && refused.stderr().contains("MIGRATE_DATABASE_URL"), refused.stderr());
            assertFalse(db.exists() && !applied(db).isEmpty(), "nothing touched");

            Map<String, String> certain = new java.util.HashMap<>(noNode);
            certain.putAll(Map.of("PRISMA_MIGRATIONS_DIR", "db/migrations", "MIGRATE_DATABASE_URL", db.url(), "DEPLOY_ENGINE", "jdbc"));
            Launch.Result started = launcher(p, certain);
            assertStarted(started);
            assertEquals(3, applied(db).size());
            assertTrue(started.stderr().contains("did not read") && started.stderr().contains("tables.external is not known"), started.stderr());
        }
    }

    /**
     * A config that fails printing the password decoded (no URL around it to give it away): the
     * refusal is exit 2 and the password appears nowhere (every variable's URL password is
     * registered before the config is read).
     */
    @Test
    void aConfigThatFailsWithThePasswordNeverPrintsIt() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("leaky");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from 'prisma/config'
                    const u = new URL(process.env.OTHER_URL)
                    console.log('connecting with', decodeURIComponent(u.password))
                    throw new Error('cannot use ' + decodeURIComponent(u.password))
                    export default defineConfig({ schema: 'prisma/schema.prisma', datasource: { url: process.env.DATABASE_URL } })
                    """);
            Launch.Result r = launcher(p, Map.of("DATABASE_URL", db.url(), "OTHER_URL", db.url()));
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.stderr().contains("cannot use ***"), r.stderr());
        }
    }

    /** PRISMA_MIGRATIONS_DIR wins over migrations.path, with a warning naming both folders. */
    @Test
    void anExplicitFolderWinsWithAWarning() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Path p = project("explicit");
            Files.writeString(p.resolve("prisma.config.ts"), """
                    import { defineConfig } from 'prisma/config'
                    export default defineConfig({ migrations: { path: 'db/migrations' }, datasource: { url: process.env.DATABASE_URL } })
                    """);
            Launch.Result r = launch(p, Map.of("DATABASE_URL", db.url(), "PRISMA_MIGRATIONS_DIR", "prisma/migrations")).run("status");
            r.assertNoSecrets();
            assertEquals(6, r.exit(), r.toString()); // three pending, in the folder named
            assertTrue(r.stderr().contains("PRISMA_MIGRATIONS_DIR=prisma/migrations wins, but prisma.config.ts makes Prisma use db/migrations"),
                    r.stderr());
        }
    }

    /**
     * A Prisma 6 project with a config as 6.x writes it (no datasource: the URL is in schema.prisma),
     * which 7.10.1's rules refuse (no datasource.url): the real 6.19.3 CLI deploys with it, and so
     * does the launcher, mapping the project as Prisma 6 does.
     */
    @Test
    void aPrisma6ConfigIsNotJudgedByPrisma7sRules() throws IOException {
        Map<String, String> prisma6 = Project.prismaEnv("prisma6-pg");
        Path fixtures = Path.of("src/test/fixtures").toAbsolutePath();
        Path app = dir.resolve("prisma6");
        Project.copy(fixtures.resolve("prisma6-pg/prisma"), app.resolve("prisma"));
        Project.copy(fixtures.resolve("prisma-pg/prisma/migrations"), app.resolve("prisma/migrations"));
        Files.createSymbolicLink(app.resolve("node_modules"), Path.of(prisma6.get("PRISMA_NODE_MODULES")));
        Files.writeString(app.resolve("prisma.config.ts"), """
                import { defineConfig } from 'prisma/config'
                export default defineConfig({ schema: 'prisma/schema.prisma' })
                """);
        try (TestDatabase prismaTwin = TestDatabase.create(Kind.POSTGRESQL); TestDatabase launcherTwin = TestDatabase.create(Kind.POSTGRESQL)) {
            List<Launch.Result> results = new ArrayList<>();
            for (TestDatabase db : List.of(prismaTwin, launcherTwin)) {
                Launch launch = new Launch(app).env("DATABASE_URL", db.url());
                String offline = prisma6.get("PRISMA_SCHEMA_ENGINE_BINARY");
                if (offline != null) { // as Prisma6IT: the 6.x CLI with the offline engine stand-in
                    Path library = Files.writeString(dir.resolve("no-query-engine.so.node"), "");
                    launch.env("PRISMA_OFFLINE_ENGINE", offline).env("PRISMA_QUERY_ENGINE_LIBRARY", library.toString())
                            .env("PRISMA_SCHEMA_ENGINE_BINARY", fixtures.resolve("prisma6-pg/schema-engine-prisma6").toString());
                }
                results.add(db == prismaTwin ? launch.exec(List.of(app.resolve("node_modules/.bin/prisma").toString(), "migrate", "deploy"))
                        : launch.run("run", "--", "echo", "the app"));
            }
            assertEquals(0, results.get(0).exit(), results.get(0).toString());
            assertStarted(results.get(1));
            assertEquals(3, applied(prismaTwin).size());
            assertEquals(applied(prismaTwin), applied(launcherTwin));
            assertTrue(results.get(1).stderr().contains("Prisma 6 is installed"), results.get(1).stderr());
        }
    }
}
