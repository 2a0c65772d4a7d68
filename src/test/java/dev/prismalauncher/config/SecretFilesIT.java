package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19: URLs from mounted secrets (DATABASE_URL_FILE, MIGRATE_DATABASE_URL_FILE), end to end
 * with the real Prisma CLI. The file's URL must reach `prisma migrate deploy` (Prisma 7 reads
 * DATABASE_URL in prisma.config.ts, and nothing else sets it here) and nothing else: the app is
 * exec'd with the environment the launcher was given. scripts/test runs this through `java -jar`
 * and again through the shipped entrypoint. Every run's output is scanned for the test password.
 */
class SecretFilesIT {
    @TempDir
    Path dir;

    /** A stand-in app that prints what it was given (a URL from its '@' on: the password stays out of the output). */
    private Path app() {
        return Launch.script(dir.resolve("app"), """
                if [ -n "${DATABASE_URL+x}" ]; then u="@${DATABASE_URL#*@}"; else u=unset; fi
                m="${MIGRATE_DATABASE_URL+set}"
                echo "DATABASE_URL=$u DATABASE_URL_FILE=${DATABASE_URL_FILE-unset} MIGRATE_DATABASE_URL=${m:-unset}\"""");
    }

    private Path secret(String name, String content) throws IOException {
        Path p = dir.resolve("secrets").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
        return p;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void prismaMigratesThroughTheFilesUrlAndTheAppKeepsItsOwnEnvironment() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Path file = secret("database-url", db.url() + "\r\n"); // CRLF, as an editor on Windows writes it
            Launch.Result r = project.launch(db).env("DATABASE_URL", null).env("DATABASE_URL_FILE", file.toString())
                    .run("run", "--", app().toString());
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().contains("migrate deploy"), "Prisma ran: " + r.stderr());
            assertTrue(r.stderr().contains("database is up to date: 3 applied"), r.stderr());
            assertEquals(List.of(List.of("3")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"),
                    "Prisma applied the migrations through the file's URL");
            assertEquals("DATABASE_URL=unset DATABASE_URL_FILE=" + file + " MIGRATE_DATABASE_URL=unset\n", r.stdout(),
                    "the app gets the container's environment, not the URL the launcher read");
        }
    }

    /** The pooled DATABASE_URL stays the app's; the file's direct URL is the launcher's and Prisma's. */
    @Test
    void migrateDatabaseUrlFileGoesToPrismaOnly() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            String pooled = db.urlVia(closedPort()); // nothing listens there: a migration through it would fail
            Path file = secret("migrate-url", db.url() + "\n");
            Launch.Result r = project.launch(db).env("DATABASE_URL", pooled).env("MIGRATE_DATABASE_URL_FILE", file.toString())
                    .env("DB_WAIT_TIMEOUT", "0").run("run", "--", app().toString());
            assertEquals(0, r.exit(), r.toString());
            assertEquals(List.of(List.of("3")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"));
            assertEquals("DATABASE_URL=@" + pooled.substring(pooled.indexOf('@') + 1) + " DATABASE_URL_FILE=unset MIGRATE_DATABASE_URL=unset\n", r.stdout(),
                    "the app keeps its pooled DATABASE_URL");
        }
    }

    /** The flag forms, for `migrate` (a Job, a release phase). */
    @Test
    void theFlagFormMigrates() throws IOException {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Path file = secret("database-url", db.url() + "\n");
            Launch.Result r = project.launch(db).env("DATABASE_URL", null).run("migrate", "--database-url-file", file.toString());
            assertEquals(0, r.exit(), r.toString());
            assertEquals(List.of(List.of("3")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"));
        }
    }

    /** Bad input: exit 2 naming the variable and the path, never the content; nothing touched, the app never starts. */
    @ParameterizedTest
    @ValueSource(strings = {"both set", "missing", "empty", "directory", "unreadable", "flags both set"})
    void badSecretFilesExit2BeforeAnythingIsTouched(String bad) throws IOException {
        Path url = secret("database-url", "postgresql://app:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:" + closedPort() + "/db\n");
        Path marker = dir.resolve("app-ran");
        Launch launch = new Launch(dir).env("PRISMA_COMMAND", "false");
        String expected = switch (bad) {
            case "both set" -> {
                launch.env("DATABASE_URL", Files.readString(url).strip()).env("DATABASE_URL_FILE", url.toString());
                yield "DATABASE_URL and DATABASE_URL_FILE are both set";
            }
            case "missing" -> {
                launch.env("DATABASE_URL_FILE", dir.resolve("secrets/nope").toString());
                yield "DATABASE_URL_FILE (" + dir.resolve("secrets/nope") + ") does not exist";
            }
            case "empty" -> {
                launch.env("MIGRATE_DATABASE_URL_FILE", secret("empty", "\n").toString());
                yield "MIGRATE_DATABASE_URL_FILE (" + dir.resolve("secrets/empty") + ") is empty";
            }
            case "directory" -> {
                launch.env("DATABASE_URL_FILE", dir.resolve("secrets").toString());
                yield "DATABASE_URL_FILE (" + dir.resolve("secrets") + ") is a directory";
            }
            case "unreadable" -> {
                launch.env("DATABASE_URL_FILE", "/proc/self/mem"); // a regular file whose read fails, root or not
                yield "DATABASE_URL_FILE (/proc/self/mem) cannot be read";
            }
            default -> "--database-url and --database-url-file are both set";
        };
        List<String> args = bad.startsWith("flags")
                ? List.of("run", "--database-url", Files.readString(url).strip(), "--database-url-file", url.toString(), "--", "touch", marker.toString())
                : List.of("run", "--", "touch", marker.toString());
        Launch.Result r = launch.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains(expected), "expected '" + expected + "' in:\n" + r.stderr());
        assertFalse(Files.exists(marker), "the app must not start");
    }

    @Test
    void helpListsTheFileSettings() {
        Launch.Result r = new Launch(dir).run("--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().lines().anyMatch(l -> l.strip().startsWith("DATABASE_URL_FILE") && l.contains("--database-url-file FILE")), r.stdout());
        assertTrue(r.stdout().lines().anyMatch(l -> l.strip().startsWith("MIGRATE_DATABASE_URL_FILE") && l.contains("--migrate-database-url-file FILE")),
                r.stdout());
    }
}
