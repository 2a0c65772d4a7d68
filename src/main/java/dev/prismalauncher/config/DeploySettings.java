package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.time.Duration;
import java.util.function.Function;

/**
 * How pending migrations are applied (DEPLOY_ENGINE, DDL_LOCK_TIMEOUT, DEPLOY_PREFLIGHT), checked
 * together with the URL's provider while parsing, so that a combination that cannot be honoured
 * stops with exit 2 before anything is touched.
 *
 * @param ddlLockTimeout PostgreSQL, jdbc engine: lock_timeout of each migration's transaction; null for none
 * @param preflight PostgreSQL: run the pending migrations first in a transaction that is rolled back
 * @param preflightTimeout the preflight's whole time, all its statements together
 */
public record DeploySettings(DeployEngine engine, Duration ddlLockTimeout, boolean preflight, Duration preflightTimeout) {
    /**
     * @param value a setting's value (flag or environment), null when unset
     * @param name where it came from, for messages
     * @param provider the migration URL's database; null when no URL is read (SKIP_MIGRATIONS)
     */
    static DeploySettings parse(Function<Setting, String> value, Function<Setting, String> name, Provider provider) {
        DeployEngine engine = DeployEngine.parse(name.apply(Setting.DEPLOY_ENGINE), value.apply(Setting.DEPLOY_ENGINE));
        String lock = value.apply(Setting.DDL_LOCK_TIMEOUT);
        Duration ddlLockTimeout = null;
        if (lock != null && !lock.isBlank()) {
            String source = name.apply(Setting.DDL_LOCK_TIMEOUT);
            ddlLockTimeout = Values.duration(source, lock);
            if (ddlLockTimeout.isZero()) {
                // PostgreSQL reads lock_timeout = 0 as "wait forever": the opposite of what the setting is for
                throw LauncherException.usage(source + "=0 would let a migration wait for its locks forever; give a duration"
                        + " such as 5s, or leave it unset");
            }
            if (engine != DeployEngine.JDBC) {
                throw LauncherException.usage(source + " needs DEPLOY_ENGINE=jdbc: `prisma migrate deploy` has no lock timeout"
                        + " (set DEPLOY_ENGINE=jdbc, or unset " + source + ")");
            }
            if (provider == Provider.MYSQL) {
                throw LauncherException.usage(source + " is for PostgreSQL: on MySQL each DDL statement commits by itself, so a"
                        + " migration that times out cannot be rolled back whole and retried; unset it");
            }
        }
        boolean preflight = preflight(name.apply(Setting.DEPLOY_PREFLIGHT), value.apply(Setting.DEPLOY_PREFLIGHT), provider);
        String timeout = value.apply(Setting.DEPLOY_PREFLIGHT_TIMEOUT);
        Duration preflightTimeout = Values.duration(Setting.DEPLOY_PREFLIGHT_TIMEOUT.env(), Setting.DEPLOY_PREFLIGHT_TIMEOUT.defaultValue());
        if (timeout != null && !timeout.isBlank()) {
            String source = name.apply(Setting.DEPLOY_PREFLIGHT_TIMEOUT);
            preflightTimeout = Values.duration(source, timeout);
            if (preflightTimeout.isZero()) {
                throw LauncherException.usage(source + "=0 would give the preflight no time at all; give a duration such as 30s"
                        + " (the default), or leave DEPLOY_PREFLIGHT unset");
            }
        }
        return new DeploySettings(engine, ddlLockTimeout, preflight, preflightTimeout);
    }

    /** none (default) or trial; trial on MySQL is refused: its DDL commits by itself, so no transaction can take a migration back. */
    private static boolean preflight(String source, String value, Provider provider) {
        String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        if (v.isEmpty() || v.equals("none")) {
            return false;
        }
        if (!v.equals("trial")) {
            throw LauncherException.usage(source + "='" + value + "' is not a preflight: use trial (run the pending migrations"
                    + " first in a transaction that is rolled back) or none (the default)");
        }
        if (provider == Provider.MYSQL) {
            throw LauncherException.usage(source + "=trial cannot be honoured on MySQL: each DDL statement commits by itself, so"
                    + " no transaction can run a migration and take it back; unset " + source);
        }
        return true;
    }
}
