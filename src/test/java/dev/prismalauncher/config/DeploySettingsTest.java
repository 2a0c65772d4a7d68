package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DEPLOY_ENGINE and DDL_LOCK_TIMEOUT: parsed with the URL, refused (exit 2) where they cannot be honoured. */
class DeploySettingsTest {
    private static final String PG = "postgresql://u:p@db:5432/app";
    private static final String MY = "mysql://u:p@db:3306/app";

    private static Config parse(String url, String... env) {
        Map<String, String> e = new HashMap<>();
        e.put("DATABASE_URL", url);
        for (int i = 0; i < env.length; i += 2) {
            e.put(env[i], env[i + 1]);
        }
        return CommandLine.parse(new String[] {"migrate"}, e);
    }

    private static String refused(String url, String... env) {
        LauncherException e = assertThrows(LauncherException.class, () -> parse(url, env));
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void prismaIsTheDefaultAndJdbcIsChosenByNameInAnyCase() {
        assertEquals(DeployEngine.PRISMA, parse(PG).deploy().engine());
        assertNull(parse(PG).deploy().ddlLockTimeout());
        assertEquals(DeployEngine.JDBC, parse(PG, "DEPLOY_ENGINE", " JDBC ").deploy().engine());
        assertEquals(DeployEngine.PRISMA, parse(PG, "DEPLOY_ENGINE", "prisma").deploy().engine());
        assertEquals(DeployEngine.JDBC, CommandLine.parse(new String[] {"migrate", "--deploy-engine", "jdbc"}, Map.of("DATABASE_URL", PG))
                .deploy().engine());
        assertTrue(refused(PG, "DEPLOY_ENGINE", "native").contains("DEPLOY_ENGINE='native' is not a deploy engine"));
    }

    @Test
    void theDdlLockTimeoutNeedsTheJdbcEngineOnPostgres() {
        assertEquals(Duration.ofMillis(1500), parse(PG, "DEPLOY_ENGINE", "jdbc", "DDL_LOCK_TIMEOUT", "1500ms").deploy().ddlLockTimeout());
        assertEquals(Duration.ofSeconds(5), CommandLine.parse(new String[] {"migrate", "--deploy-engine=jdbc", "--ddl-lock-timeout", "5s"},
                Map.of("DATABASE_URL", PG)).deploy().ddlLockTimeout());
        assertTrue(refused(PG, "DDL_LOCK_TIMEOUT", "5s").contains("DDL_LOCK_TIMEOUT needs DEPLOY_ENGINE=jdbc"));
        assertTrue(refused(MY, "DEPLOY_ENGINE", "jdbc", "DDL_LOCK_TIMEOUT", "5s").contains("DDL_LOCK_TIMEOUT is for PostgreSQL"));
        assertTrue(refused(PG, "DEPLOY_ENGINE", "jdbc", "DDL_LOCK_TIMEOUT", "0").contains("wait for its locks forever"));
        assertTrue(refused(PG, "DEPLOY_ENGINE", "jdbc", "DDL_LOCK_TIMEOUT", "soon").contains("is not a duration"));
        assertNull(parse(PG, "DEPLOY_ENGINE", "jdbc", "DDL_LOCK_TIMEOUT", " ").deploy().ddlLockTimeout());
    }

    @Test
    void theEngineIsCheckedEvenWhenMigrationsAreSkipped() {
        Map<String, String> env = Map.of("SKIP_MIGRATIONS", "1", "DEPLOY_ENGINE", "jbdc");
        LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"run", "--", "true"}, env));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void thePreflightIsPostgresOnlyAndBounded() {
        assertEquals(false, parse(PG).deploy().preflight());
        assertEquals(true, parse(PG, "DEPLOY_PREFLIGHT", "Trial").deploy().preflight());
        assertEquals(false, parse(PG, "DEPLOY_PREFLIGHT", "none").deploy().preflight());
        assertEquals(true, CommandLine.parse(new String[] {"migrate", "--deploy-preflight", "trial"}, Map.of("DATABASE_URL", PG))
                .deploy().preflight());
        assertEquals(java.time.Duration.ofSeconds(30), parse(PG, "DEPLOY_PREFLIGHT", "trial").deploy().preflightTimeout());
        assertEquals(Duration.ofSeconds(90), parse(PG, "DEPLOY_PREFLIGHT", "trial", "DEPLOY_PREFLIGHT_TIMEOUT", "90s").deploy().preflightTimeout());
        assertTrue(refused(MY, "DEPLOY_PREFLIGHT", "trial").contains("cannot be honoured on MySQL"));
        assertTrue(refused(PG, "DEPLOY_PREFLIGHT", "dry").contains("is not a preflight"));
        assertTrue(refused(PG, "DEPLOY_PREFLIGHT", "trial", "DEPLOY_PREFLIGHT_TIMEOUT", "0").contains("no time at all"));
        // MySQL without the preflight is fine, with either engine
        assertEquals(DeployEngine.JDBC, parse(MY, "DEPLOY_ENGINE", "jdbc", "DEPLOY_PREFLIGHT", "none").deploy().engine());
    }
}
