package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.LogFormat;
import dev.prismalauncher.log.LogSettings;
import dev.prismalauncher.log.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Reads {@code prisma-launcher COMMAND [options] [--] [APP ARGS...]} together with the environment,
 * once: the command, the early log settings (so that even a usage error is written in the format
 * asked for) and, on demand, the {@link Config}. Hand-written rather than picocli: the grammar is a
 * dozen flags and start-up time is the product (see README, "Why no CLI library"). Reading touches
 * nothing on this machine but the files the settings name (a secret's _FILE, schema.prisma):
 * executables (Prisma, tini) are looked for by the launcher.
 */
public final class CommandLine {
    private final Command command;
    private final Source src;
    private final boolean json;
    private final List<String> app;
    /** The first thing wrong with the words themselves; {@link #config()} throws it. */
    private final LauncherException error;

    private CommandLine(Command command, Source src, boolean json, List<String> app, LauncherException error) {
        this.command = command;
        this.src = src;
        this.json = json;
        this.app = List.copyOf(app);
        this.error = error;
    }

    /** The configuration of a run, migrate or status; what is wrong with the command line is thrown (exit 2). */
    public static Config parse(String[] args, Map<String, String> env) {
        return read(args, env).config();
    }

    /**
     * Reads the words once and never throws: a word that is wrong is kept for {@link #config()},
     * and the flags after it are still read, so that --log-format applies to the error itself.
     */
    public static CommandLine read(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            return new CommandLine(null, new Source(Map.of(), env), false, List.of(),
                    LauncherException.usage("no command given: use run, migrate or status (see --help)"));
        }
        Command command = switch (args[0]) {
            case "run" -> Command.RUN;
            case "migrate" -> Command.MIGRATE;
            case "status" -> Command.STATUS;
            case "help", "--help", "-h" -> Command.HELP;
            case "version", "--version", "-V" -> Command.VERSION;
            default -> null;
        };
        LauncherException error = command != null ? null
                : LauncherException.usage("unknown command '" + args[0] + "': use run, migrate or status (see --help)");
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        boolean json = false;
        List<String> app = new ArrayList<>();
        int i = 1;
        for (; i < args.length && command != Command.HELP && command != Command.VERSION; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                i++;
                break;
            }
            if (!arg.startsWith("-") || arg.equals("-")) {
                break; // first word of the app's command
            }
            if ((arg.equals("--help") || arg.equals("-h")) && error == null) {
                command = Command.HELP; // --help before a bad word wins
                break;
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--json") && command == Command.STATUS) {
                try {
                    json = value == null || Values.bool("--json", value);
                } catch (LauncherException e) {
                    error = error == null ? e : error;
                }
                continue;
            }
            Setting setting = Setting.ofFlag(name);
            if (setting == null) {
                error = error != null ? error : LauncherException.usage("unknown option '" + name + "' for " + args[0] + " (see --help)"
                        + (command == Command.RUN ? "; put the app's command after --" : ""));
                continue;
            }
            if (value == null) {
                if (setting.isBoolean()) {
                    value = "true";
                } else if (i + 1 < args.length) {
                    value = args[++i]; // a value may start with '-'
                } else {
                    error = error != null ? error : LauncherException.usage(name + " needs a value (" + setting.valueName() + ")");
                    continue;
                }
            }
            flags.put(setting, value);
        }
        for (; i < args.length && command != Command.HELP && command != Command.VERSION; i++) {
            app.add(args[i]);
        }
        if (error == null && command == Command.RUN && app.isEmpty()) {
            error = LauncherException.usage("run needs the app's command: prisma-launcher run -- node dist/server.js");
        }
        if (error == null && command != Command.RUN && !app.isEmpty()) {
            error = LauncherException.usage("unexpected argument '" + app.getFirst() + "' for " + args[0]);
        }
        return new CommandLine(command, new Source(flags, env), json, app, error);
    }

    /** RUN, MIGRATE, STATUS, HELP or VERSION; null when the first word is none of them ({@link #config()} says so). */
    public Command command() {
        return command;
    }

    /** LOG_FORMAT as the flags and environment say, before anything else is checked; a bad value is text until {@link #config()} refuses it. */
    public LogFormat logFormat() {
        try {
            return LogFormat.parse(src.name(Setting.LOG_FORMAT), src.get(Setting.LOG_FORMAT));
        } catch (LauncherException e) {
            return LogFormat.TEXT;
        }
    }

    /** LOG_LEVEL likewise: a bad value is info until {@link #config()} refuses it. */
    public Level logLevel() {
        try {
            return LogSettings.parseLevel(src.name(Setting.LOG_LEVEL), src.get(Setting.LOG_LEVEL));
        } catch (LauncherException e) {
            return Level.INFO;
        }
    }

    /** Where the one-line reason of a failure goes, even one of parsing (TERMINATION_LOG). */
    public Path terminationLog() {
        return Path.of(src.orDefault(Setting.TERMINATION_LOG));
    }

    /** Everything run, migrate or status needs, checked; the first usage error is thrown (exit 2). */
    public Config config() {
        if (error != null) {
            throw error;
        }
        if (command == Command.HELP || command == Command.VERSION) {
            throw new IllegalStateException(command + " has no configuration");
        }
        return build(command, src, json, app);
    }

    private static Config build(Command command, Source src, boolean json, List<String> app) {
        Map<Setting, String> flags = src.flags();
        Map<String, String> env = src.env();
        // SKIP_MIGRATIONS is checked first and, when set, the URL is not even parsed: touch nothing.
        boolean skip = command != Command.STATUS && Values.bool(src.name(Setting.SKIP_MIGRATIONS), src.get(Setting.SKIP_MIGRATIONS));
        ResolveStrategy strategy = ResolveStrategy.parse(src.name(Setting.MIGRATION_RESOLVE_STRATEGY), src.get(Setting.MIGRATION_RESOLVE_STRATEGY));
        DatabaseUrl url = null;
        Map<String, String> prismaEnv = new HashMap<>();
        // Prisma's CLI would otherwise ask the internet for updates at every container start.
        prismaEnv.put("CHECKPOINT_DISABLE", env.getOrDefault("CHECKPOINT_DISABLE", "1"));
        prismaEnv.put("PRISMA_HIDE_UPDATE_MESSAGE", env.getOrDefault("PRISMA_HIDE_UPDATE_MESSAGE", "1"));
        String dir = src.get(Setting.PRISMA_MIGRATIONS_DIR);
        Path migrationsDir = Path.of(src.orDefault(Setting.PRISMA_MIGRATIONS_DIR));
        List<String> prismaCommand = Values.words(src.name(Setting.PRISMA_COMMAND), src.get(Setting.PRISMA_COMMAND));
        List<String> deployArgs = Values.words(src.name(Setting.PRISMA_DEPLOY_ARGS), src.get(Setting.PRISMA_DEPLOY_ARGS));
        ExternalTables external = ExternalTables.NONE;
        if (!skip) {
            // Each URL from its variable, its flag, or a file (X_FILE: a mounted secret).
            SecretFiles.Value migrate = SecretFiles.resolve(Setting.MIGRATE_DATABASE_URL, Setting.MIGRATE_DATABASE_URL_FILE, flags, env);
            SecretFiles.Value database = SecretFiles.resolve(Setting.DATABASE_URL, Setting.DATABASE_URL_FILE, flags, env);
            if (migrate.isSet()) {
                url = DatabaseUrl.parse(migrate.source(), migrate.value());
                prismaEnv.put("DATABASE_URL", migrate.value().strip()); // Prisma migrates through the direct URL too
            }
            // A DATABASE_URL from a flag or a file is not in the environment Prisma inherits: hand it
            // over (to Prisma only; the app execs with the environment the launcher was given).
            if (!migrate.isSet() && database.isSet() && !database.inEnvironment()) {
                prismaEnv.put("DATABASE_URL", database.value().strip());
            }
            // Prisma 7's map of the project: its config, read with the environment Prisma will have
            boolean explicitDir = dir != null && !dir.isBlank();
            Map<String, String> prismaView = new HashMap<>(env);
            prismaView.putAll(prismaEnv);
            prismaView.values().forEach(Secrets::registerUrlPasswords); // the config may read and print any of them
            DeployEngine engine = DeployEngine.parse(src.name(Setting.DEPLOY_ENGINE), src.get(Setting.DEPLOY_ENGINE));
            boolean prismaRuns = engine == DeployEngine.PRISMA && command != Command.STATUS;
            PrismaProject project;
            try {
                project = PrismaProject.read(Path.of(""), deployArgs, prismaView, explicitDir && migrate.isSet(), prismaRuns);
                if (project.hasConfig() && project.url() == null && !migrate.isSet() && prisma6(engine, prismaCommand)) {
                    project = PrismaProject.prisma6(Path.of(""), deployArgs, project.configFile(), "it has no datasource.url");
                }
            } catch (LauncherException e) {
                if (!prisma6(engine, prismaCommand)) {
                    throw e;
                }
                project = PrismaProject.prisma6(Path.of(""), deployArgs, null, e.getMessage());
            }
            external = project.external();
            if (project.hasConfig() && project.url() != null && !migrate.isSet()) {
                url = DatabaseUrl.parse(project.urlVariable() != null ? project.urlVariable() + " (datasource.url of " + project.configFile().getFileName() + ")"
                        : "datasource.url of " + project.configFile().getFileName(), project.url());
            } else if (project.hasConfig() && project.url() != null) {
                try {
                    DatabaseUrl.parse("datasource.url of " + project.configFile().getFileName(), project.url()); // its password registered before any log
                } catch (LauncherException e) {
                    Secrets.register(project.url()); // not a URL the launcher reads, and not used: still never logged
                }
            }
            project.log();
            if (explicitDir) {
                if (project.hasConfig() && !sameFolder(migrationsDir, project.migrationsDir())) {
                    LoggerFactory.getLogger("prisma-launcher").atWarn().addKeyValue("event", "setting-contradicts-config")
                            .log("{}={} wins, but {} makes Prisma use {}: the launcher inspects a folder Prisma does not deploy",
                                    src.name(Setting.PRISMA_MIGRATIONS_DIR), dir, project.configFile().getFileName(), project.migrationsDir());
                }
            } else {
                migrationsDir = project.migrationsDir();
            }
            if (migrate.isSet()) {
                if (project.hasConfig() && project.url() != null && !project.url().strip().equals(migrate.value().strip())) {
                    if (project.urlVariable() != null) {
                        // Prisma reads the URL from that variable: it gets the same one, so both use one database
                        prismaEnv.put(project.urlVariable(), migrate.value().strip());
                    }
                    LoggerFactory.getLogger("prisma-launcher").atWarn().addKeyValue("event", "setting-contradicts-config")
                            .log("{} wins over datasource.url of {}{}", migrate.source(), project.configFile().getFileName(),
                                    project.urlVariable() != null ? " (" + project.urlVariable() + "): Prisma is given the same URL in "
                                            + project.urlVariable() : ": Prisma reads its own; if it names another database it is stopped");
                }
            } else if (project.hasConfig() && project.url() == null) {
                throw LauncherException.usage("datasource.url of " + project.configFile() + " is undefined here"
                        + (project.variablesRead().isEmpty() ? "" : " (it reads " + String.join(", ", project.variablesRead()) + ")")
                        + ": Prisma 7 refuses migrate deploy without it. Set the variable the config reads, or MIGRATE_DATABASE_URL");
            } else if (!project.hasConfig()) {
                // No Prisma 7 config: MIGRATE_DATABASE_URL, else the schema's directUrl = env("X") when X
                // is set (Prisma 6 does the same), else DATABASE_URL.
                String direct = PrismaSchema.directUrlVariable(migrationsDir, deployArgs)
                        .filter(v -> env.get(v) != null && !env.get(v).isBlank()).orElse(null);
                url = direct != null ? DatabaseUrl.parse(direct, env.get(direct)) : DatabaseUrl.parse(database.source(), database.value());
            }
            if (command != Command.STATUS) {
                refusePooler(url);
            }
        }
        return new Config(
                command,
                skip,
                url,
                strategy,
                migrationsDir,
                prismaCommand,
                deployArgs,
                src.duration(Setting.LOCK_TIMEOUT),
                Values.bool(src.name(Setting.ALWAYS_DEPLOY), src.get(Setting.ALWAYS_DEPLOY)),
                src.duration(Setting.DB_WAIT_TIMEOUT),
                noLimitIfZero(src.duration(Setting.DEPLOY_TIMEOUT)),
                src.positive(Setting.MAX_RESOLVE_ATTEMPTS),
                Values.bool(src.name(Setting.DRY_RUN), src.get(Setting.DRY_RUN)),
                Path.of(src.orDefault(Setting.TERMINATION_LOG)),
                LogFormat.parse(src.name(Setting.LOG_FORMAT), src.get(Setting.LOG_FORMAT)),
                LogSettings.parseLevel(src.name(Setting.LOG_LEVEL), src.get(Setting.LOG_LEVEL)),
                json,
                prismaEnv,
                app,
                // INIT=1: only run execs; the launcher finds tini before it touches anything
                command == Command.RUN && Values.bool(src.name(Setting.INIT), src.get(Setting.INIT)),
                src.positiveDuration(Setting.AUTO_TRIAL_LOCK_TIMEOUT),
                src.positiveDuration(Setting.AUTO_TRIAL_STATEMENT_TIMEOUT),
                DeploySettings.parse(src::get, src::name, url == null ? null : url.provider()),
                external);
    }

    /** Only where a Prisma 7 reading would refuse: the version costs a package.json read (a few ms). */
    private static boolean prisma6(DeployEngine engine, List<String> prismaCommand) {
        return engine == DeployEngine.PRISMA && dev.prismalauncher.prisma.PrismaCommand.isPrisma6(prismaCommand, Path.of(""));
    }

    private static boolean sameFolder(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /** DEPLOY_TIMEOUT=0 is what people write for "no limit"; a deploy killed at once would crash-loop. */
    private static Duration noLimitIfZero(Duration d) {
        return d == null || d.isZero() ? null : d;
    }

    /**
     * A transaction-mode pooler (PgBouncer, Supabase's and Neon's poolers) hands each transaction
     * to any server session: session advisory locks, ours and Prisma's, would protect nothing.
     */
    private static void refusePooler(DatabaseUrl url) {
        if (url.provider() == Provider.POSTGRESQL && "true".equals(url.parameter("pgbouncer"))) {
            boolean isMigrateUrl = url.variable().startsWith(Setting.MIGRATE_DATABASE_URL.env()) || url.variable().startsWith(Setting.MIGRATE_DATABASE_URL.flag());
            throw LauncherException.usage(url.variable() + " has pgbouncer=true: through a transaction-mode pooler the migration"
                    + " locks (the launcher's and Prisma's) do not hold. "
                    + (isMigrateUrl ? "Set MIGRATE_DATABASE_URL to the direct connection (not the pooler)"
                            : "Set MIGRATE_DATABASE_URL to the direct connection (or name it in schema.prisma as directUrl = env(\"DIRECT_URL\"))")
                    + "; see README, \"Behind a pooler\"");
        }
        boolean supabaseTransactionPooler = url.host().endsWith(".pooler.supabase.com") && url.port() == 6543;
        boolean neonPooler = url.host().contains("-pooler.");
        if (url.provider() == Provider.POSTGRESQL && (supabaseTransactionPooler || neonPooler)) {
            LoggerFactory.getLogger("prisma-launcher").warn("{} looks like a transaction-mode pooler ({}): the migration locks do not hold"
                    + " through it; set MIGRATE_DATABASE_URL (or directUrl in schema.prisma) to the direct connection",
                    url.variable(), supabaseTransactionPooler ? "Supabase, port 6543" : "a Neon -pooler host");
        }
    }

    /**
     * An explicit PRISMA_COMMAND that cannot run is found at start (Launcher, before connecting), not
     * after a resolve was committed. Not while parsing: parsing reads settings, not this machine's files.
     */
    public static void requireExecutable(String source, List<String> command, String path) {
        if (command.isEmpty()) {
            return;
        }
        String program = command.getFirst();
        boolean found;
        if (program.contains("/")) {
            found = Files.isRegularFile(Path.of(program)) && Files.isExecutable(Path.of(program));
        } else {
            found = false;
            for (String d : (path == null ? "" : path).split(":")) {
                Path p = Path.of(d.isEmpty() ? "." : d).resolve(program);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    found = true;
                    break;
                }
            }
        }
        if (!found) {
            throw LauncherException.usage(source + ": '" + program + "' " + (program.contains("/") ? "does not exist or is not executable"
                    : "is not found on PATH (or is not executable)") + "; set it to how Prisma runs in this image,"
                    + " e.g. node_modules/.bin/prisma or \"node node_modules/prisma/build/index.js\"");
        }
    }

    /** A setting's value and, for error messages, the name of where it came from. */
    private record Source(Map<Setting, String> flags, Map<String, String> env) {
        String get(Setting s) {
            return flags.containsKey(s) ? flags.get(s) : env.get(s.env());
        }

        String name(Setting s) {
            return flags.containsKey(s) ? s.flag() : s.env();
        }

        /** The value, or the setting's default when unset or blank (null where it has none). */
        String orDefault(Setting s) {
            String v = get(s);
            return v == null || v.isBlank() ? s.defaultValue() : v;
        }

        /** Null when unset and without a default. */
        Duration duration(Setting s) {
            return duration(name(s), orDefault(s));
        }

        private static Duration duration(String name, String value) {
            return value == null ? null : Values.duration(name, value);
        }

        /**
         * A bound that must be above zero: for the trial's bounds 0 would mean either "stop at once"
         * or, as PostgreSQL reads 0, "no limit"; neither is a trial, so it is refused, not guessed.
         */
        Duration positiveDuration(Setting s) {
            Duration d = duration(s);
            if (d.isZero()) {
                throw LauncherException.usage(name(s) + "='" + get(s) + "' must be more than 0: it bounds the trial run of"
                        + " MIGRATION_RESOLVE_STRATEGY=auto (e.g. " + Values.text(duration(s.env(), s.defaultValue())) + ", the default)");
            }
            return d;
        }

        int positive(Setting s) {
            String v = orDefault(s);
            try {
                int n = Integer.parseInt(v.strip());
                if (n >= 1) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the usage error
            }
            throw LauncherException.usage(name(s) + "='" + v + "' must be a whole number of 1 or more");
        }
    }
}
