package dev.prismalauncher.prisma;

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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prisma names another database than the one the launcher inspected: the start stops (exit 5),
 * names both, never starts the app, and says what Prisma had done, which must be true of the
 * databases afterwards.
 */
class DatasourceStopIT {
    private static final String BEFORE = "before any schema engine of its ran";
    private static final String CONNECTING = "checking that it can connect";
    private static final String CREATING = "creating the database it named";
    private static final String FINISHING = "it is let finish";
    private static final String UNCERTAIN = "had already run and ended";

    @TempDir
    Path dir;

    private String[] app() {
        return new String[] {"run", "--", "sh", "-c", "touch " + dir.resolve("app-ran")};
    }

    /**
     * The real CLI, on PostgreSQL: the config reads DIRECT_URL first (as Prisma's guides write it),
     * inside a template, so the URL is assembled and the launcher cannot hand Prisma
     * MIGRATE_DATABASE_URL through the variable it came from (where it can, it does: PrismaConfigIT);
     * MIGRATE_DATABASE_URL names another database. Prisma is frozen at its datasource line; whatever
     * the launcher then says Prisma had done must hold on the other database.
     */
    @Test
    void theRealCliIsStoppedAtItsDatasourceLine() throws IOException {
        Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
        Files.writeString(project.dir().resolve("prisma.config.ts"), """
                import { defineConfig } from 'prisma/config'
                export default defineConfig({
                  schema: 'prisma/schema.prisma',
                  migrations: { path: 'prisma/migrations' },
                  datasource: { url: `${process.env.DIRECT_URL ?? process.env.DATABASE_URL}` },
                })
                """);
        try (TestDatabase inspected = TestDatabase.create(Kind.POSTGRESQL); TestDatabase other = TestDatabase.create(Kind.POSTGRESQL)) {
            Launch.Result r = project.launch(inspected).env("MIGRATE_DATABASE_URL", inspected.url()).env("DIRECT_URL", other.url())
                    .run(app());
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.stderr().contains("prisma: node_modules/.bin/prisma is Prisma 7.10.1 ("), "the version, read from the installed package: " + r.stderr());
            assertTrue(r.stderr().contains("Prisma named PostgreSQL database \"" + other.name() + "\", schema \"public\""), r.stderr());
            assertTrue(r.stderr().contains("the launcher inspected PostgreSQL database \"" + inspected.name() + "\", schema \"public\""
                    + " at \"" + inspected.host() + ":" + inspected.port() + "\" (MIGRATE_DATABASE_URL)"), r.stderr());
            assertFalse(Files.exists(dir.resolve("app-ran")), "the app must not start");
            assertEquals(0, tables(inspected), "Prisma never touched the database the launcher inspected");
            String said = oneOf(r.stderr(), BEFORE, CONNECTING, CREATING, FINISHING, UNCERTAIN);
            if (said.equals(BEFORE) || said.equals(CONNECTING)) {
                assertEquals(0, tables(other), "the launcher said Prisma applied nothing: " + r.stderr());
            } else if (said.equals(FINISHING)) {
                assertEquals(3, other.query("SELECT 1 FROM _prisma_migrations WHERE finished_at IS NOT NULL").size(), r.stderr());
            }
        }
    }

    /** The MySQL stand-in prints Prisma's line; a wrapper points it elsewhere, as a config would. */
    @Test
    void theMysqlStandInIsStoppedToo() throws IOException {
        Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
        Path fake = Path.of(project.prismaCommand().getFirst());
        Path elsewhere = executable(dir.resolve("prisma-elsewhere"), "#!/bin/sh\nDATABASE_URL=\"$OTHER_URL\" exec " + fake + " \"$@\"\n");
        try (TestDatabase inspected = TestDatabase.create(Kind.MYSQL); TestDatabase other = TestDatabase.create(Kind.MYSQL)) {
            Launch.Result r = project.launch(inspected).env("PRISMA_COMMAND", elsewhere.toString()).env("OTHER_URL", other.url()).run(app());
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.stderr().contains("Prisma named MySQL database \"" + other.name() + "\" at"), r.stderr());
            assertTrue(r.stderr().contains("the launcher inspected MySQL database \"" + inspected.name() + "\" at"), r.stderr());
            assertTrue(r.stderr().contains("differs: database \"" + other.name() + "\" vs \"" + inspected.name() + "\""), r.stderr());
            assertFalse(Files.exists(dir.resolve("app-ran")));
            assertEquals(0, tables(inspected));
            assertEquals(0, tables(other), "the stand-in writes its first row tens of ms after its line: " + r.stderr());
        }
    }

    /**
     * Each thing a frozen Prisma can have under way, played by a stand-in whose "engine" carries the
     * schema engine's arguments and takes a second to finish (then leaves a file); the stand-in itself
     * goes on for a second after its line, as Prisma does for tens of milliseconds. It starts no other
     * process, so nothing of it has ended when it prints its line, except in the last case, which runs
     * /bin/true first.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "cli can-connect-to-database", "cli create-database", "--datamodels", "ended"})
    void whatPrismaHadUnderWayDecidesBetweenKillingAndLettingFinish(String engine) throws Exception {
        Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0);
        Path ready = dir.resolve("engine-ready");
        Path done = dir.resolve("engine-done");
        String start = switch (engine) {
            case "none" -> "";
            case "ended" -> "/bin/true\n";
            default -> "bash -c 'exec 9<>\"$1\"; printf x > \"$2\"; read -t 1 -u 9; printf x > \"$3\"' engine " + fifo + " " + ready + " "
                    + done + " --datasource '{}' " + engine + " &\nuntil [ -e " + ready + " ]; do read -t 0.01 -u 9; done\n";
        };
        Path standIn = executable(dir.resolve("prisma-stand-in"), "#!/usr/bin/env bash\nexec 9<>" + fifo + "\n" + start
                + "echo 'Datasource \"db\": MySQL database \"elsewhere\" at \"10.0.0.9:3306\"'\nread -t 1 -u 9\nwait\necho applied\n");
        try (TestDatabase inspected = TestDatabase.create(Kind.MYSQL)) {
            Launch.Result r = project.launch(inspected).env("PRISMA_COMMAND", standIn.toString()).run(app());
            assertEquals(5, r.exit(), r.toString());
            assertFalse(Files.exists(dir.resolve("app-ran")));
            String said = oneOf(r.stderr(), BEFORE, CONNECTING, CREATING, FINISHING, UNCERTAIN);
            assertEquals(switch (engine) {
                case "none" -> BEFORE;
                case "cli can-connect-to-database" -> CONNECTING;
                case "cli create-database" -> CREATING;
                case "--datamodels" -> FINISHING;
                default -> UNCERTAIN;
            }, said, r.stderr());
            // killed, the engine never finishes; let finish, it does, and so does Prisma
            assertEquals(said.equals(FINISHING), Files.exists(done), r.stderr());
            assertEquals(said.equals(FINISHING), r.stderr().contains("INFO prisma - applied"), r.stderr());
        }
    }

    @Test
    void aPrismaThatNamesNoDatasourceIsLetRunWithAWarning() throws IOException {
        Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
        Path silent = executable(dir.resolve("prisma-silent"), "#!/bin/sh\necho 'No pending migrations to apply.'\n");
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            assertEquals(0, project.launch(db).run("migrate").exit());
            Launch.Result r = project.launch(db).env("PRISMA_COMMAND", silent.toString()).env("ALWAYS_DEPLOY", "1").run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("did not name its datasource"), r.stderr());
        }
    }

    private static String oneOf(String text, String... choices) {
        List<String> found = List.of(choices).stream().filter(text::contains).toList();
        assertEquals(1, found.size(), "exactly one account of what Prisma had done: " + text);
        return found.getFirst();
    }

    private static int tables(TestDatabase db) {
        String sql = db.kind() == Kind.POSTGRESQL
                ? "SELECT 1 FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
                : "SELECT 1 FROM information_schema.tables WHERE table_schema = '" + db.name() + "'";
        return db.query(sql).size();
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
