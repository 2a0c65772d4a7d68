package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input ends in exit 2 with a message that names the fix, before anything is touched: the
 * database (which holds a failed migration a wrong setting could "resolve") is byte-for-byte the
 * same afterwards and the app never starts.
 */
class BadInputIT {
    private static TestDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void failedDatabase() {
        db = TestDatabase.create(Kind.POSTGRESQL);
        db.execute(PrismaTable.ddl(Kind.POSTGRESQL, null),
                "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES ('f1', 'c', '20250101000000_init', 'ERROR: boom')");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    /** name, what to change, the words the message must contain. */
    static List<Arguments> cases() {
        return List.of(
                bad("malformed URL", Map.of("DATABASE_URL", "postgresql://u:" + TestDatabase.PASSWORD + "@host/db"), "percent-encode"),
                bad("two @ in the URL", Map.of("DATABASE_URL", "postgresql://u:pass@word@host/db"), "percent-encode"),
                bad("unknown scheme", Map.of("DATABASE_URL", "sqlserver://u:" + TestDatabase.PASSWORD_ENCODED + "@h/db"), "use postgresql://, postgres:// or mysql://"),
                bad("no URL", Map.of("DATABASE_URL", ""), "DATABASE_URL is not set"),
                bad("unix socket, relative", Map.of("DATABASE_URL", "postgresql://u@localhost/db?host=var/run/postgresql"), "must be an absolute path"),
                bad("unknown strategy", Map.of("MIGRATION_RESOLVE_STRATEGY", "rollback"), "use none, rolled-back or applied"),
                bad("bad SKIP_MIGRATIONS", Map.of("SKIP_MIGRATIONS", "maybe"), "SKIP_MIGRATIONS='maybe' is not a boolean"),
                bad("missing migrations folder", Map.of("PRISMA_MIGRATIONS_DIR", "nowhere"), "set PRISMA_MIGRATIONS_DIR"),
                bad("provider mismatch", Map.of("LOCK_PROVIDER", "mysql"), "P3019: the datasource provider `postgresql` does not match"),
                bad("quote in the schema", Map.of("URL_QUERY", "schema=a%22b"), "cannot contain"),
                bad("unknown option", Map.of("ARGS", "--strategy=applied"), "unknown option '--strategy'"),
                bad("bad lock timeout", Map.of("LOCK_TIMEOUT", "a while"), "is not a duration"),
                // issue 8, items 6, 8, 9; issue 9, item 11
                bad("'?' in the password", Map.of("DATABASE_URL", "postgresql://u:Pw-7x?SECRET@127.0.0.1:5432/db"), "does not parse cleanly"),
                bad("'/' in the password", Map.of("DATABASE_URL", "postgresql://u:Pw-7x/SECRET@127.0.0.1:5432/db"), "does not parse cleanly"),
                bad("port 0", Map.of("DATABASE_URL", "postgresql://u:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:0/db"), "1 to 65535"),
                bad("port 99999", Map.of("DATABASE_URL", "postgresql://u:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:99999/db"), "1 to 65535"),
                bad("NUL in the user", Map.of("DATABASE_URL", "postgresql://u%00x:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:5432/db"), "NUL character (%00) in the user"),
                bad("NUL in the database", Map.of("DATABASE_URL", "postgresql://u:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:5432/d%00b"), "NUL character (%00) in the database"),
                bad("NUL in options", Map.of("URL_QUERY", "options=-c%00x"), "NUL character (%00) in the parameter options"),
                bad("SCHEMA in upper case", Map.of("URL_QUERY", "SCHEMA=other"), "write it as 'schema'"),
                bad("pgbouncer=true for migrations", Map.of("URL_QUERY", "pgbouncer=true"), "Set MIGRATE_DATABASE_URL to the direct connection"),
                bad("overflowing LOCK_TIMEOUT", Map.of("LOCK_TIMEOUT", "9999999999999999999"), "at most"),
                bad("overflowing DB_WAIT_TIMEOUT", Map.of("DB_WAIT_TIMEOUT", "3000000h"), "DB_WAIT_TIMEOUT='3000000h' is too long"),
                bad("overflowing DEPLOY_TIMEOUT", Map.of("DEPLOY_TIMEOUT", "3000000h"), "DEPLOY_TIMEOUT='3000000h' is too long"),
                bad("PRISMA_COMMAND that does not exist", Map.of("PRISMA_COMMAND", "/nonexistent/prisma migrate"), "does not exist or is not executable"),
                bad("PRISMA_COMMAND not on PATH", Map.of("PRISMA_COMMAND", "prisma-not-installed"), "not found on PATH"),
                bad("bad flag after --log-format json", Map.of("ARGS", "--log-format=json --strategy=applied"), "\"message\":\"unknown option '--strategy'"));
    }

    private static Arguments bad(String name, Map<String, String> change, String message) {
        return Arguments.of(name, change, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exits2AndTouchesNothing(String name, Map<String, String> change, String message) throws IOException {
        Path migrations = dir.resolve("prisma/migrations");
        Files.createDirectories(migrations.resolve("20250101000000_init"));
        Files.writeString(migrations.resolve("20250101000000_init/migration.sql"), "CREATE TABLE t (id int);\n");
        Files.writeString(migrations.resolve("migration_lock.toml"), "provider = \"" + change.getOrDefault("LOCK_PROVIDER", "postgresql") + "\"\n");
        if (change.containsKey("EXTRA_MIGRATION")) {
            Files.createDirectories(migrations.resolve(change.get("EXTRA_MIGRATION")));
            Files.writeString(migrations.resolve(change.get("EXTRA_MIGRATION")).resolve("migration.sql"), "SELECT 1;\n");
        }
        List<List<String>> before = db.query("SELECT * FROM _prisma_migrations");

        Launch launch = new Launch(dir)
                .env("DATABASE_URL", db.url(change.getOrDefault("URL_QUERY", "")))
                .env("MIGRATION_RESOLVE_STRATEGY", "rolled-back")
                .env("PRISMA_COMMAND", "false");
        Consumer<String> set = k -> {
            if (!List.of("LOCK_PROVIDER", "EXTRA_MIGRATION", "URL_QUERY", "ARGS").contains(k)) {
                launch.env(k, change.get(k));
            }
        };
        change.keySet().forEach(set);
        List<String> args = new ArrayList<>(List.of("run"));
        if (change.containsKey("ARGS")) {
            args.addAll(List.of(change.get("ARGS").split(" ")));
        }
        args.addAll(List.of("--", "touch", dir.resolve("app-ran").toString()));

        Launch.Result r = launch.run(args.toArray(String[]::new));
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains(message), "expected '" + message + "' in:\n" + r.stderr());
        assertFalse(Files.exists(dir.resolve("app-ran")), "the app must not start");
        assertEquals(before, db.query("SELECT * FROM _prisma_migrations"), "nothing may be written");
    }
}
