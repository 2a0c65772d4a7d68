package dev.prismalauncher.config;

/**
 * Every setting, with its environment variable (the container convention) and its equivalent
 * flag. Flags win over the environment. --help is generated from this list, so the two never
 * drift apart.
 */
public enum Setting {
    DATABASE_URL("--database-url", "URL", "Prisma database URL: postgresql://, postgres:// or mysql://"),
    DATABASE_URL_FILE("--database-url-file", "FILE",
            "a file that holds DATABASE_URL (a mounted secret); one trailing newline is dropped; not together with DATABASE_URL"),
    MIGRATE_DATABASE_URL("--migrate-database-url", "URL",
            "used instead of DATABASE_URL for migration work (a direct connection behind a pooler)"),
    MIGRATE_DATABASE_URL_FILE("--migrate-database-url-file", "FILE",
            "a file that holds MIGRATE_DATABASE_URL (a mounted secret); not together with MIGRATE_DATABASE_URL"),
    SKIP_MIGRATIONS("--skip-migrations", "BOOL",
            "1/true/yes/on: skip all migration work and touch no database (run still execs)"),
    MIGRATION_RESOLVE_STRATEGY("--resolve-strategy", "STRATEGY",
            "none (default): stop on a failed migration; rolled-back or applied: resolve it as"
                    + " `prisma migrate resolve` would; auto: decide from the database's evidence, refuse unless conclusive"),
    PRISMA_MIGRATIONS_DIR("--migrations-dir", "DIR", "prisma/migrations",
            "as Prisma 7 finds it: the config's migrations.path, else beside the schema; without either default {default}"),
    PRISMA_COMMAND("--prisma-command", "CMD",
            "how to run Prisma; default node_modules/.bin/prisma as npx finds it (prisma7 where that is Prisma 8),"
                    + " else npx --no-install prisma"),
    PRISMA_DEPLOY_ARGS("--prisma-deploy-args", "ARGS",
            "extra arguments for `prisma migrate deploy`, e.g. --schema=db/schema.prisma or --config=prisma.config.ts"),
    ALWAYS_DEPLOY("--always-deploy", "BOOL",
            "run `prisma migrate deploy` even when nothing is pending (default: skip it, it costs ~1 s)"),
    DB_WAIT_TIMEOUT("--db-wait-timeout", "DURATION", "60s",
            "wait this long for the database to accept connections, retrying what is transient"
                    + " (default {default}; 0 = try once; exit 3 past it)"),
    LOCK_TIMEOUT("--lock-timeout", "DURATION", "300s",
            "wait this long for the launcher lock another replica holds, and for Prisma's lock (default {default}; 0 = only if free; exit 7 past it)"),
    DEPLOY_TIMEOUT("--deploy-timeout", "DURATION",
            "stop `prisma migrate deploy` (its whole process group) after this long (default and 0: no limit; exit 5)"),
    MAX_RESOLVE_ATTEMPTS("--max-resolve-attempts", "N", "3",
            "crash-loop guard: rolled-back refuses a migration already rolled back N times (default {default}; exit 4)"),
    DRY_RUN("--dry-run", "BOOL",
            "print the plan (rows to change, migrations to deploy) and change nothing; run does not exec"),
    LOG_FORMAT("--log-format", "FORMAT", "text (default) or json: one JSON object per line on stderr"),
    LOG_LEVEL("--log-level", "LEVEL", "info (default), debug, warn or error"),
    TERMINATION_LOG("--termination-log", "FILE", "/dev/termination-log",
            "on failure, the one-line reason goes here if the file exists and is writable (default {default})"),
    INIT("--init", "BOOL",
            "1/true/yes/on: run execs the app under tini (lib/tini), which forwards signals and reaps zombies as PID 1"),
    AUTO_TRIAL_LOCK_TIMEOUT("--auto-trial-lock-timeout", "DURATION", "2s",
            "auto on PostgreSQL: the longest the rolled-back trial run of a failed migration waits for any one lock"
                    + " (default {default}; more than 0)"),
    AUTO_TRIAL_STATEMENT_TIMEOUT("--auto-trial-statement-timeout", "DURATION", "10s",
            "auto on PostgreSQL: the whole trial's time, all its statements together (then they are cancelled),"
                    + " and the bound of each catalog query (default {default}; more than 0)"),
    DEPLOY_ENGINE("--deploy-engine", "ENGINE",
            "prisma (default): run `prisma migrate deploy`; jdbc: apply pending migrations over JDBC as Prisma's engine"
                    + " does, starting no Node or Prisma process"),
    DDL_LOCK_TIMEOUT("--ddl-lock-timeout", "DURATION",
            "jdbc engine on PostgreSQL: lock_timeout of each migration's transaction; a migration that cannot get its"
                    + " locks is rolled back, retried with backoff, and left pending (exit 7), never failed (default: none)"),
    DEPLOY_PREFLIGHT("--deploy-preflight", "MODE",
            "none (default) or trial (PostgreSQL): first run the pending migrations in a transaction that is rolled back;"
                    + " one that would fail is refused (exit 5) with nothing written"),
    DEPLOY_PREFLIGHT_TIMEOUT("--deploy-preflight-timeout", "DURATION", "30s",
            "the preflight's whole time, all its statements together (default {default}; more than 0); past it the migrations"
                    + " are not judged and deploy as usual");

    private final String flag;
    private final String valueName;
    private final String defaultValue;
    private final String description;

    Setting(String flag, String valueName, String description) {
        this(flag, valueName, null, description);
    }

    /** The default is written here once: the parser falls back to it and the help line quotes it ({default}). */
    Setting(String flag, String valueName, String defaultValue, String description) {
        this.flag = flag;
        this.valueName = valueName;
        this.defaultValue = defaultValue;
        this.description = defaultValue == null ? description : description.replace("{default}", defaultValue);
    }

    public String env() {
        return name();
    }

    public String flag() {
        return flag;
    }

    public boolean isBoolean() {
        return valueName.equals("BOOL");
    }

    public String valueName() {
        return valueName;
    }

    /** What an unset or blank value means, as it would be written; null where unset has no value of its own. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    static Setting ofFlag(String flag) {
        for (Setting s : values()) {
            if (s.flag.equals(flag)) {
                return s;
            }
        }
        return null;
    }
}
