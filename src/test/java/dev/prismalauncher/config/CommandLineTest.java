package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {
    private static final Map<String, String> ENV = Map.of("DATABASE_URL", "postgresql://u:pw@h:5432/db");

    @Test
    void runTakesTheAppAfterDashDash() {
        Config c = CommandLine.parse(new String[] {"run", "--resolve-strategy", "rolled-back", "--", "node", "--inspect", "server.js"}, ENV);
        assertEquals(Command.RUN, c.command());
        assertEquals(ResolveStrategy.ROLLED_BACK, c.strategy());
        assertEquals(List.of("node", "--inspect", "server.js"), c.appCommand());
    }

    @Test
    void runTakesTheAppAtTheFirstWordWithoutDashDash() {
        Config c = CommandLine.parse(new String[] {"run", "node", "--port=1"}, ENV);
        assertEquals(List.of("node", "--port=1"), c.appCommand());
    }

    @Test
    void flagsWinOverEnvironment() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@h/db", "MIGRATION_RESOLVE_STRATEGY", "applied",
                "PRISMA_MIGRATIONS_DIR", "a", "LOCK_TIMEOUT", "10m");
        Config c = CommandLine.parse(new String[] {"migrate", "--resolve-strategy=rolled-back", "--migrations-dir", "b"}, env);
        assertEquals(ResolveStrategy.ROLLED_BACK, c.strategy());
        assertEquals(Path.of("b"), c.migrationsDir());
        assertEquals(Duration.ofMinutes(10), c.lockTimeout());
        Config fromEnv = CommandLine.parse(new String[] {"migrate"}, env);
        assertEquals(ResolveStrategy.APPLIED, fromEnv.strategy());
    }

    @Test
    void migrateDatabaseUrlIsUsedAndHandedToPrisma() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@pooler:6432/db", "MIGRATE_DATABASE_URL", "postgresql://u@direct:5432/db");
        Config c = CommandLine.parse(new String[] {"migrate"}, env);
        assertEquals("direct", c.databaseUrl().host());
        assertEquals("postgresql://u@direct:5432/db", c.prismaEnvironment().get("DATABASE_URL"));
    }

    @Test
    void skipMigrationsNeedsNoUrl() {
        Config c = CommandLine.parse(new String[] {"run", "--", "true"}, Map.of("SKIP_MIGRATIONS", "TRUE", "DATABASE_URL", "::garbage::"));
        assertTrue(c.skipMigrations());
        assertNull(c.databaseUrl());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "yes", "on", "ON", "Yes"})
    void skipTrueValues(String v) {
        assertTrue(CommandLine.parse(new String[] {"migrate"}, Map.of("SKIP_MIGRATIONS", v)).skipMigrations());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "false", "no", "off", "OFF"})
    void skipFalseValues(String v) {
        assertFalse(CommandLine.parse(new String[] {"migrate"}, Map.of("SKIP_MIGRATIONS", v, "DATABASE_URL", "mysql://u@h/d")).skipMigrations());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2", "maybe", "enabled", "y"})
    void badSkipValuesAreUsageErrors(String v) {
        LauncherException e = assertThrows(LauncherException.class,
                () -> CommandLine.parse(new String[] {"migrate"}, Map.of("SKIP_MIGRATIONS", v, "DATABASE_URL", "mysql://u@h/d")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("SKIP_MIGRATIONS='" + v + "'"), e.getMessage());
    }

    @Test
    void usageErrors() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"launch"},
                new String[] {"run"},
                new String[] {"run", "--"},
                new String[] {"migrate", "--nope"},
                new String[] {"migrate", "--migrations-dir"},
                new String[] {"status", "extra"},
                new String[] {"migrate", "--resolve-strategy", "rolled_back"},
                new String[] {"migrate", "--lock-timeout", "forever"},
                new String[] {"migrate", "--prisma-command", "npx 'prisma"})) {
            LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(args, ENV), String.join(" ", args));
            assertEquals(ExitCode.USAGE, e.exitCode());
        }
        LauncherException noUrl = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate"}, Map.of()));
        assertTrue(noUrl.getMessage().contains("DATABASE_URL is not set"));
    }

    @Test
    void wordsSplitLikeAShell() {
        assertEquals(List.of("npx", "prisma", "--schema=my dir/schema.prisma", "it's"),
                Values.words("X", "npx  prisma \"--schema=my dir/schema.prisma\" it\\'s"));
        assertEquals(List.of("a b", ""), Values.words("X", "'a b' ''"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofSeconds(30), Values.duration("X", "30"));
        assertEquals(Duration.ofSeconds(30), Values.duration("X", "30s"));
        assertEquals(Duration.ofMinutes(10), Values.duration("X", "10m"));
        assertEquals(Duration.ofHours(1), Values.duration("X", "1h"));
        assertEquals(Duration.ofMillis(500), Values.duration("X", "500ms"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9999999999999999999", "3000000h", "169h", "10081m", "604801", "99999999999999999999999ms"})
    void durationsPastAWeekAreUsageErrors(String value) {
        LauncherException e = assertThrows(LauncherException.class, () -> Values.duration("LOCK_TIMEOUT", value));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
    }

    @Test
    void durationsUpToAWeekAndTheirText() {
        assertEquals(Duration.ofHours(168), Values.duration("X", "168h"));
        assertEquals(Duration.ofMillis(500), Values.duration("X", "500ms"));
        assertEquals(Duration.ZERO, Values.duration("X", "0"));
        assertEquals("500 ms", Values.text(Duration.ofMillis(500)));
        assertEquals("1500 ms", Values.text(Duration.ofMillis(1500)));
        assertEquals("60 s", Values.text(Duration.ofMinutes(1)));
    }

    @Test
    void zeroMeansNoLimitForDeployAndOnceForTheOthers() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@h/db", "DEPLOY_TIMEOUT", "0", "LOCK_TIMEOUT", "0", "DB_WAIT_TIMEOUT", "0");
        Config c = CommandLine.parse(new String[] {"migrate"}, env);
        assertNull(c.deployTimeout());
        assertEquals(Duration.ZERO, c.lockTimeout());
        assertEquals(Duration.ZERO, c.dbWaitTimeout());
    }

    @Test
    void anExplicitPrismaCommandMustExist() throws java.io.IOException {
        String path = "/usr/bin:/bin";
        LauncherException e = assertThrows(LauncherException.class,
                () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of("/nonexistent/prisma"), path));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("PRISMA_COMMAND: '/nonexistent/prisma' does not exist"), e.getMessage());
        assertTrue(assertThrows(LauncherException.class, () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of("no-such-prisma"), path))
                .getMessage().contains("not found on PATH"));
        Path plain = java.nio.file.Files.createTempFile("not-executable", ".js"); // mode 600
        try {
            assertThrows(LauncherException.class, () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of(plain.toString()), path));
        } finally {
            java.nio.file.Files.delete(plain);
        }
        CommandLine.requireExecutable("PRISMA_COMMAND", List.of("sh", "-c", "true"), path);
        CommandLine.requireExecutable("PRISMA_COMMAND", List.of(), path); // unset: found later, node_modules/.bin/prisma or npx
    }

    @Test
    void aPoolerUrlIsRefusedForMigrationWork() {
        Map<String, String> env = Map.of("DATABASE_URL", "postgresql://u@pooler:6543/db?pgbouncer=true");
        LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate"}, env));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("MIGRATE_DATABASE_URL"), e.getMessage());
        Map<String, String> both = Map.of("DATABASE_URL", "postgresql://u@pooler:6543/db?pgbouncer=true",
                "MIGRATE_DATABASE_URL", "postgresql://u@direct:5432/db?pgbouncer=true");
        assertTrue(assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate"}, both))
                .getMessage().startsWith("MIGRATE_DATABASE_URL has pgbouncer=true"));
        assertEquals("direct", CommandLine.parse(new String[] {"migrate"},
                Map.of("DATABASE_URL", "postgresql://u@pooler:6543/db?pgbouncer=true", "MIGRATE_DATABASE_URL", "postgresql://u@direct:5432/db"))
                .databaseUrl().host());
    }

    @Test
    void logFlagsAreFoundBeforeParsing() {
        String[] args = {"run", "--database-url", "x", "--log-format", "json", "--bogus", "--", "app"};
        assertEquals("json", CommandLine.earlyFlag(args, Setting.LOG_FORMAT));
        assertEquals("debug", CommandLine.earlyFlag(new String[] {"status", "--log-level=debug"}, Setting.LOG_LEVEL));
        assertNull(CommandLine.earlyFlag(new String[] {"run", "--", "app", "--log-format", "json"}, Setting.LOG_FORMAT));
    }
}
