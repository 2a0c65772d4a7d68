package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.time.Duration;
import java.util.function.Function;

/**
 * How pending migrations are applied (DEPLOY_ENGINE, DDL_LOCK_TIMEOUT), checked together with the
 * URL's provider while parsing, so that a combination that cannot be honoured stops with exit 2
 * before anything is touched.
 *
 * @param ddlLockTimeout PostgreSQL, jdbc engine: lock_timeout of each migration's transaction; null for none
 */
public record DeploySettings(DeployEngine engine, Duration ddlLockTimeout) {
    public static final DeploySettings DEFAULT = new DeploySettings(DeployEngine.PRISMA, null);

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
        return new DeploySettings(engine, ddlLockTimeout);
    }
}
