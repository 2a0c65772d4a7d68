package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.LauncherException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MIGRATION_RESOLVE_STRATEGY=auto and its trial bounds. */
class AutoSettingsTest {
    private static final String URL = "postgresql://u@127.0.0.1:5432/db";

    @Test
    void autoWithDefaultBounds() {
        Config c = CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", URL, "MIGRATION_RESOLVE_STRATEGY", "Auto"));
        assertEquals(ResolveStrategy.AUTO, c.strategy());
        assertEquals(Duration.ofSeconds(2), c.autoTrialLockTimeout());
        assertEquals(Duration.ofSeconds(10), c.autoTrialStatementTimeout());
    }

    @Test
    void boundsFromTheEnvironmentAndFlags() {
        Config c = CommandLine.parse(new String[] {"migrate", "--resolve-strategy", "auto", "--auto-trial-statement-timeout", "30s"},
                Map.of("DATABASE_URL", URL, "AUTO_TRIAL_LOCK_TIMEOUT", "500ms"));
        assertEquals(Duration.ofMillis(500), c.autoTrialLockTimeout());
        assertEquals(Duration.ofSeconds(30), c.autoTrialStatementTimeout());
    }

    /** 0 would mean "stop at once" or, as PostgreSQL reads it, "no limit": refused, whichever way it is given. */
    @Test
    void zeroBoundsAreRefusedNotGuessed() {
        for (String setting : new String[] {"AUTO_TRIAL_LOCK_TIMEOUT", "AUTO_TRIAL_STATEMENT_TIMEOUT"}) {
            for (String zero : new String[] {"0", "0s", "0ms", "000"}) {
                LauncherException env = assertThrows(LauncherException.class,
                        () -> CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", URL, setting, zero)));
                assertEquals(2, env.exitCode());
                assertEquals(setting + "='" + zero + "' must be more than 0: it bounds the trial run of MIGRATION_RESOLVE_STRATEGY=auto (e.g. "
                        + (setting.contains("LOCK") ? "2 s" : "10 s") + ", the default)", env.getMessage());
            }
            String flag = "--" + setting.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            LauncherException arg = assertThrows(LauncherException.class,
                    () -> CommandLine.parse(new String[] {"migrate", flag, "0"}, Map.of("DATABASE_URL", URL)));
            assertTrue(arg.getMessage().startsWith(flag + "='0' must be more than 0"), arg.getMessage());
        }
        Config oneMs = CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", URL, "AUTO_TRIAL_LOCK_TIMEOUT", "1ms"));
        assertEquals(Duration.ofMillis(1), oneMs.autoTrialLockTimeout(), "1 ms means 1 ms");
    }

    @Test
    void aBadBoundOrStrategyIsAUsageError() {
        LauncherException e = assertThrows(LauncherException.class,
                () -> CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", URL, "AUTO_TRIAL_LOCK_TIMEOUT", "soon")));
        assertEquals(2, e.exitCode());
        LauncherException s = assertThrows(LauncherException.class,
                () -> CommandLine.parse(new String[] {"migrate"}, Map.of("DATABASE_URL", URL, "MIGRATION_RESOLVE_STRATEGY", "guess")));
        assertTrue(s.getMessage().contains("auto"), s.getMessage());
    }
}
