package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;
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
        // each case with the start of the message it must give: any other usage error would be a wrong parse
        Map<List<String>, String> cases = new java.util.LinkedHashMap<>();
        cases.put(List.of(), "no command given: use run, migrate or status (see --help)");
        cases.put(List.of("launch"), "unknown command 'launch': use run, migrate or status (see --help)");
        cases.put(List.of("run"), "run needs the app's command: prisma-launcher run -- node dist/server.js");
        cases.put(List.of("run", "--"), "run needs the app's command: prisma-launcher run -- node dist/server.js");
        cases.put(List.of("migrate", "--nope"), "unknown option '--nope' for migrate (see --help)");
        cases.put(List.of("migrate", "--migrations-dir"), "--migrations-dir needs a value (DIR)");
        cases.put(List.of("status", "extra"), "unexpected argument 'extra' for status");
        cases.put(List.of("migrate", "--resolve-strategy", "rolled_back"), "--resolve-strategy='rolled_back' is not a strategy: use none,");
        cases.put(List.of("migrate", "--lock-timeout", "forever"), "--lock-timeout='forever' is not a duration:");
        cases.put(List.of("migrate", "--prisma-command", "npx 'prisma"), "--prisma-command has an unclosed ' quote");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            String[] args = c.getKey().toArray(String[]::new);
            LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(args, ENV), String.join(" ", args));
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().startsWith(c.getValue()), String.join(" ", args) + ": " + e.getMessage());
        }
        LauncherException noUrl = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate"}, Map.of()));
        assertTrue(noUrl.getMessage().contains("DATABASE_URL is not set"));
        assertEquals("unknown option '--nope' for run (see --help); put the app's command after --",
                assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"run", "--nope", "--", "x"}, ENV)).getMessage());
        assertEquals("unknown option '--json' for migrate (see --help)",
                assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate", "--json"}, ENV)).getMessage());
        assertEquals("unexpected argument 'x' for migrate",
                assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate", "--", "x"}, ENV)).getMessage());
    }

    @Test
    void maxResolveAttemptsIsAWholeNumberOfOneOrMore() {
        assertEquals(3, CommandLine.parse(new String[] {"migrate"}, ENV).maxResolveAttempts());
        assertEquals(1, CommandLine.parse(new String[] {"migrate", "--max-resolve-attempts", "1"}, ENV).maxResolveAttempts());
        assertEquals(12, CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", "mysql://u@h/d", "MAX_RESOLVE_ATTEMPTS", " 12 ")).maxResolveAttempts());
        assertEquals(3, CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", "mysql://u@h/d", "MAX_RESOLVE_ATTEMPTS", " ")).maxResolveAttempts());
        for (String bad : List.of("0", "-1", "x", "1.5", "99999999999")) {
            LauncherException e = assertThrows(LauncherException.class,
                    () -> CommandLine.parse(new String[] {"migrate", "--max-resolve-attempts=" + bad}, ENV), bad);
            assertEquals("--max-resolve-attempts='" + bad + "' must be a whole number of 1 or more", e.getMessage());
        }
    }

    @Test
    void statusIgnoresSkipMigrationsAndItsJsonFlagIsABoolean() {
        Config c = CommandLine.parse(new String[] {"status", "--json"}, Map.of("SKIP_MIGRATIONS", "1", "DATABASE_URL", "postgresql://u@h/db?pgbouncer=true"));
        assertFalse(c.skipMigrations(), "status always reads the database");
        assertEquals("h", c.databaseUrl().host(), "and a pooler URL is fine for reading");
        assertTrue(c.json());
        assertFalse(CommandLine.parse(new String[] {"status", "--json=false"}, ENV).json());
        assertFalse(CommandLine.parse(new String[] {"status"}, ENV).json());
        assertEquals(Command.STATUS, c.command());
        assertEquals(Command.MIGRATE, CommandLine.parse(new String[] {"migrate"}, ENV).command());
    }

    @Test
    void defaultsAndBooleanFlags() {
        Config c = CommandLine.parse(new String[] {"migrate"}, ENV);
        assertEquals(ResolveStrategy.NONE, c.strategy());
        assertEquals(Path.of("prisma/migrations"), c.migrationsDir());
        assertEquals(Duration.ofSeconds(300), c.lockTimeout());
        assertEquals(Duration.ofSeconds(60), c.dbWaitTimeout());
        assertNull(c.deployTimeout());
        assertFalse(c.dryRun());
        assertFalse(c.alwaysDeploy());
        assertEquals(List.of(), c.prismaCommand());
        assertEquals(Path.of("/dev/termination-log"), c.terminationLog());
        assertEquals(Path.of("/dev/termination-log"), CommandLine.parse(new String[] {"migrate"},
                Map.of("DATABASE_URL", "postgresql://u@h/db", "TERMINATION_LOG", " ")).terminationLog());
        assertEquals(dev.prismalauncher.log.LogFormat.TEXT, c.logFormat());
        assertEquals(org.slf4j.event.Level.INFO, c.logLevel());
        assertEquals(Map.of("CHECKPOINT_DISABLE", "1", "PRISMA_HIDE_UPDATE_MESSAGE", "1"), c.prismaEnvironment());
        assertFalse(c.init());
        Config flags = CommandLine.parse(new String[] {"migrate", "--dry-run", "--always-deploy", "--deploy-timeout", "90s",
                "--prisma-command", "node x.js", "--termination-log", "/tmp/t", "--log-level", "debug", "--log-format=json"},
                Map.of("DATABASE_URL", "postgresql://u@h/db", "CHECKPOINT_DISABLE", "0", "DRY_RUN", "0"));
        assertTrue(flags.dryRun());
        assertTrue(flags.alwaysDeploy());
        assertEquals(Duration.ofSeconds(90), flags.deployTimeout());
        assertEquals(List.of("node", "x.js"), flags.prismaCommand());
        assertEquals(Path.of("/tmp/t"), flags.terminationLog());
        assertEquals(org.slf4j.event.Level.DEBUG, flags.logLevel());
        assertEquals(dev.prismalauncher.log.LogFormat.JSON, flags.logFormat());
        assertEquals("0", flags.prismaEnvironment().get("CHECKPOINT_DISABLE"));
        CommandLine help = CommandLine.read(new String[] {"migrate", "--lock-timeout", "forever", "--help"}, Map.of());
        assertEquals(Command.HELP, help.command(), "--help before a bad value is read wins");
        assertEquals(Command.VERSION, CommandLine.read(new String[] {"-V"}, Map.of()).command());
    }

    @Test
    void theDatabaseUrlFlagIsHandedToPrismaButTheEnvironmentsIsNot() {
        Config flag = CommandLine.parse(new String[] {"migrate", "--database-url", " postgresql://u@flag/db "}, ENV);
        assertEquals("flag", flag.databaseUrl().host());
        assertEquals("postgresql://u@flag/db", flag.prismaEnvironment().get("DATABASE_URL"));
        assertFalse(CommandLine.parse(new String[] {"migrate"}, ENV).prismaEnvironment().containsKey("DATABASE_URL"),
                "Prisma reads DATABASE_URL from the environment itself");
        assertEquals("DATABASE_URL", CommandLine.parse(new String[] {"migrate"}, ENV).databaseUrl().variable());
        assertEquals("--database-url", flag.databaseUrl().variable());
    }

    @Test
    void poolerRefusalIsForPostgresqlWithPgbouncerTrueOnly() {
        assertEquals("h", CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", "postgresql://u@h/db?pgbouncer=false")).databaseUrl().host());
        assertEquals("h", CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", "mysql://u@h/db?pgbouncer=true")).databaseUrl().host());
        // hosts that look like poolers are warned about, not refused
        assertEquals(6543, CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", "postgresql://u@x.pooler.supabase.com:6543/db")).databaseUrl().port());
        LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"run", "--", "x"},
                Map.of("DATABASE_URL", "postgresql://u@h/db?pgbouncer=true")));
        assertTrue(e.getMessage().startsWith("DATABASE_URL has pgbouncer=true: through a transaction-mode pooler"), e.getMessage());
        assertTrue(e.getMessage().contains("(or name it in schema.prisma as directUrl = env(\"DIRECT_URL\"))"), e.getMessage());
        LauncherException m = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"migrate", "--migrate-database-url",
                "postgresql://u@h/db?pgbouncer=true"}, ENV));
        assertTrue(m.getMessage().startsWith("--migrate-database-url has pgbouncer=true"), m.getMessage());
        assertFalse(m.getMessage().contains("schema.prisma"), m.getMessage());
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
        assertThrows(LauncherException.class, () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of("/tmp"), path), "a directory");
        CommandLine.requireExecutable("PRISMA_COMMAND", List.of("/bin/sh"), path);
        assertThrows(LauncherException.class, () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of("sh"), "/nonexistent::"));
        assertThrows(LauncherException.class, () -> CommandLine.requireExecutable("PRISMA_COMMAND", List.of("tmp"), "/"), "a directory on PATH");
        CommandLine.requireExecutable("PRISMA_COMMAND", List.of("sh"), "/nonexistent:/bin");
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
        // read once, the log settings are there even when the rest is a usage error
        CommandLine bogus = CommandLine.read(new String[] {"run", "--database-url", "x", "--log-format", "json", "--bogus", "--", "app"}, Map.of());
        assertEquals(LogFormat.JSON, bogus.logFormat());
        assertTrue(assertThrows(LauncherException.class, bogus::config).getMessage().startsWith("unknown option '--bogus'"));
        assertEquals(Level.DEBUG, early(new String[] {"status", "--log-level=debug"}).logLevel());
        assertEquals(LogFormat.TEXT, early(new String[] {"run", "--", "app", "--log-format", "json"}).logFormat());
        // a value that looks like a flag is a value; a boolean flag takes none
        assertEquals(LogFormat.JSON, early(new String[] {"run", "--prisma-command", "--log-format", "--log-format", "json"}).logFormat());
        assertEquals(Level.WARN, early(new String[] {"migrate", "--dry-run", "--log-level", "warn"}).logLevel());
        assertEquals(Level.INFO, early(new String[] {"migrate", "--log-level"}).logLevel());
        assertEquals(Level.INFO, early(new String[] {"migrate", "--dry-run"}).logLevel());
        assertEquals(Level.INFO, early(new String[] {"migrate"}).logLevel());
        assertEquals(Level.INFO, early(new String[] {"run", "app", "--log-level", "warn"}).logLevel());
        // after a bad word, the flags are still read; the environment is the fallback; a bad value is text/info until config() refuses it
        assertEquals(LogFormat.JSON, early(new String[] {"bogus", "--log-format=json"}).logFormat());
        assertEquals(Level.ERROR, CommandLine.read(new String[] {"migrate"}, Map.of("LOG_LEVEL", "error")).logLevel());
        assertEquals(Level.WARN, CommandLine.read(new String[] {"migrate", "--log-level", "warn"}, Map.of("LOG_LEVEL", "error")).logLevel());
        CommandLine bad = CommandLine.read(new String[] {"migrate", "--log-format", "xml"}, ENV);
        assertEquals(LogFormat.TEXT, bad.logFormat());
        assertTrue(assertThrows(LauncherException.class, bad::config).getMessage().contains("is not a log format"));
        assertEquals(Path.of("/tmp/t"), early(new String[] {"migrate", "--bogus", "--termination-log", "/tmp/t"}).terminationLog());
        assertEquals(Path.of("/dev/termination-log"), early(new String[] {"migrate"}).terminationLog());
    }

    @Test
    void noCommandOrAnUnknownOneIsAUsageErrorFromConfig() {
        CommandLine none = CommandLine.read(new String[0], ENV);
        assertNull(none.command());
        assertTrue(assertThrows(LauncherException.class, none::config).getMessage().startsWith("no command given"));
        CommandLine unknown = CommandLine.read(new String[] {"deploy"}, ENV);
        assertNull(unknown.command());
        assertTrue(assertThrows(LauncherException.class, unknown::config).getMessage().startsWith("unknown command 'deploy'"));
        // the first wrong word is the one reported; --help after it does not hide it
        CommandLine first = CommandLine.read(new String[] {"migrate", "--bogus", "--lock-timeout", "--help"}, ENV);
        assertEquals(Command.MIGRATE, first.command());
        assertTrue(assertThrows(LauncherException.class, first::config).getMessage().startsWith("unknown option '--bogus'"));
    }

    @Test
    void defaultsComeFromTheSettingsAndTheHelpQuotesThem() {
        Config c = CommandLine.parse(new String[] {"migrate"}, ENV);
        assertEquals(Values.duration("x", Setting.LOCK_TIMEOUT.defaultValue()), c.lockTimeout());
        assertEquals(Values.duration("x", Setting.AUTO_TRIAL_STATEMENT_TIMEOUT.defaultValue()), c.autoTrialStatementTimeout());
        assertEquals(Duration.ofSeconds(2), c.autoTrialLockTimeout());
        assertEquals(Duration.ofSeconds(30), c.deploy().preflightTimeout());
        assertEquals(3, c.maxResolveAttempts());
        for (Setting s : Setting.values()) {
            assertFalse(s.description().contains("{default}"), s.name());
            if (s.defaultValue() != null) {
                assertTrue(s.description().contains("default " + s.defaultValue()), s.name() + ": " + s.description());
            }
        }
    }

    private static CommandLine early(String[] args) {
        return CommandLine.read(args, Map.of());
    }
}
