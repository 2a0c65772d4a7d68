package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.migrations.Resolver;
import dev.prismalauncher.migrations.StatusReport;
import dev.prismalauncher.prisma.Deployer;
import dev.prismalauncher.prisma.PrismaCommand;
import dev.prismalauncher.process.Exec;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start-up, told top to bottom: config → inspect → resolve → deploy → verify → exec.
 * Each step is a small method; what a step finds and does is one log line.
 */
public final class Launcher {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    private final Config config;
    private final PrintStream out;

    public Launcher(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Runs the configured command; returns the exit code (for {@code run}, only if exec failed). */
    public int run() {
        return switch (config.command()) {
            case STATUS -> status();
            case RUN, MIGRATE -> {
                if (config.skipMigrations()) {
                    log.info("SKIP_MIGRATIONS is set: no migration work, no database touched");
                } else {
                    migrate();
                }
                yield config.command() == Command.RUN ? exec() : ExitCode.OK;
            }
            case HELP, VERSION -> throw new IllegalStateException("handled by Main");
        };
    }

    private void migrate() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider());
        Inspection found = inspect(dialect, local);
        log.info("{}: {}", config.databaseUrl(), found.summary());

        boolean resolved = found.count(MigrationState.FAILED) > 0 && resolve(dialect, local);
        if (found.upToDate() && !resolved && !config.alwaysDeploy()) {
            log.info("up to date; prisma migrate deploy not needed");
            return;
        }
        deploy();
        verify(dialect, local);
    }

    /** Reads the folder and the table together; a database that does not exist yet has everything pending. */
    private Inspection inspect(Dialect dialect, LocalMigrations local) {
        Optional<Database> db = Database.open(config.databaseUrl(), dialect);
        if (db.isEmpty()) {
            return Inspection.of(local, false, List.of());
        }
        try (Database open = db.get()) {
            return Inspection.of(local, true, open.rows());
        }
    }

    /**
     * Resolves failed migrations by the configured strategy under Prisma's own lock, deciding
     * again from rows read under that lock; returns whether anything was written.
     */
    private boolean resolve(Dialect dialect, LocalMigrations local) {
        try (Database db = Database.open(config.databaseUrl(), dialect).orElseThrow()) {
            List<RowChange> changes = db.withPrismaLock(config.lockTimeout(), () -> {
                Inspection locked = Inspection.of(local, true, db.rows());
                List<RowChange> planned = Resolver.plan(locked, local, config.strategy(), Database.now());
                db.write(planned);
                return planned;
            });
            if (!changes.isEmpty()) {
                log.info("strategy {}: {}", config.strategy().label(), describe(changes));
            }
            return !changes.isEmpty();
        }
    }

    private void deploy() {
        List<String> command = PrismaCommand.deploy(config.prismaCommand(), config.deployArgs());
        log.info("running {}", String.join(" ", command));
        new Deployer(command, config.prismaEnvironment()).deploy();
    }

    /** After deploy the database must be current; anything else is a failed deploy. */
    private void verify(Dialect dialect, LocalMigrations local) {
        Inspection after = inspect(dialect, local);
        if (!after.upToDate()) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "prisma migrate deploy finished but the database is not current: "
                    + after.summary());
        }
        log.info("database is up to date: {}", after.summary());
    }

    private int exec() {
        log.info("exec {}", String.join(" ", config.appCommand()));
        return Exec.exec(config.appCommand());
    }

    private int status() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider());
        Inspection found = inspect(dialect, local);
        out.print(config.json() ? StatusReport.json(config.databaseUrl(), found) : StatusReport.text(config.databaseUrl(), found));
        out.flush();
        if (found.count(MigrationState.FAILED) > 0) {
            return ExitCode.FAILED_MIGRATIONS;
        }
        return found.count(MigrationState.PENDING) > 0 ? ExitCode.PENDING : ExitCode.OK;
    }

    private static String describe(List<RowChange> changes) {
        return changes.stream()
                .collect(Collectors.groupingBy(RowChange::migrationName, java.util.LinkedHashMap::new, Collectors.toList()))
                .entrySet().stream()
                .map(e -> e.getKey() + ": " + e.getValue().stream().map(c -> switch (c) {
                    case RowChange.MarkRolledBack m -> "marked row " + m.id() + " rolled back";
                    case RowChange.InsertApplied a -> "recorded as applied (row " + a.id() + ")";
                }).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }
}
