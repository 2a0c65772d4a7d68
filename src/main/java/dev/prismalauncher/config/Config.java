package dev.prismalauncher.config;

import dev.prismalauncher.log.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Everything one invocation needs, settled before anything is touched.
 *
 * @param databaseUrl the URL migration work connects to (MIGRATE_DATABASE_URL or DATABASE_URL);
 *     null when migrations are skipped
 * @param prismaCommand the words that start Prisma; empty means "find it" (see PrismaCommand)
 * @param deployTimeout null for no limit
 * @param prismaEnvironment variables set for the Prisma process only (DATABASE_URL when
 *     MIGRATE_DATABASE_URL is in use, or when the URL came from a flag or a file)
 * @param appCommand for {@code run}: the app to exec
 * @param init {@code run} with INIT=1: exec the app under tini (found by the launcher, not here)
 * @param autoTrialLockTimeout auto, PostgreSQL: the rolled-back trial's lock_timeout
 * @param autoTrialStatementTimeout auto, PostgreSQL: the trial's statement_timeout; also bounds catalog queries
 * @param deploy who applies pending migrations, and how (DEPLOY_ENGINE, DDL_LOCK_TIMEOUT)
 * @param external tables.external and enums.external of the Prisma config: not counted where a
 *     database is judged unmanaged (P3005), as Prisma's engine does not count them
 */
public record Config(
        Command command,
        boolean skipMigrations,
        DatabaseUrl databaseUrl,
        ResolveStrategy strategy,
        Path migrationsDir,
        List<String> prismaCommand,
        List<String> deployArgs,
        Duration lockTimeout,
        boolean alwaysDeploy,
        Duration dbWaitTimeout,
        Duration deployTimeout,
        int maxResolveAttempts,
        boolean dryRun,
        Path terminationLog,
        LogFormat logFormat,
        Level logLevel,
        boolean json,
        Map<String, String> prismaEnvironment,
        List<String> appCommand,
        boolean init,
        Duration autoTrialLockTimeout,
        Duration autoTrialStatementTimeout,
        DeploySettings deploy,
        ExternalTables external) {

    public Config {
        prismaCommand = List.copyOf(prismaCommand);
        deployArgs = List.copyOf(deployArgs);
        prismaEnvironment = Map.copyOf(prismaEnvironment);
        appCommand = List.copyOf(appCommand);
    }
}
