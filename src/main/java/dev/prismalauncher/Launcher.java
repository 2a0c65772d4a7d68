package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.ResolveStrategy;
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
import dev.prismalauncher.process.Termination;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start-up, told top to bottom: config → wait → lock → inspect → resolve → deploy → verify
 * → exec. Each step is a small method; what a step finds and does is one log line.
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
                if (config.command() == Command.RUN && !config.dryRun()) {
                    Exec.warmUp(); // links exec's native calls meanwhile, so the last step is cheap
                }
                if (config.skipMigrations()) {
                    log.info("SKIP_MIGRATIONS is set: no migration work, no database touched");
                } else {
                    migrate();
                }
                if (config.dryRun()) {
                    yield ExitCode.OK; // a dry run never execs
                }
                yield config.command() == Command.RUN ? exec() : ExitCode.OK;
            }
            case HELP, VERSION -> throw new IllegalStateException("handled by Main");
        };
    }

    private void migrate() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider());
        Optional<Database> connected = waitForDatabase(dialect);
        if (connected.isEmpty()) {
            deployIntoNewDatabase(dialect, local);
            return;
        }
        try (Database db = connected.get()) {
            Inspection found = inspect(db, local);
            log.info("{}: {}", config.databaseUrl(), found.summary());
            if (found.upToDate() && !config.alwaysDeploy()) {
                log.info("up to date; prisma migrate deploy not needed");
                if (config.dryRun()) {
                    out.println("plan: nothing to do; " + found.summary());
                }
                return;
            }
            if (config.dryRun()) {
                printPlan(found, local);
                return;
            }
            db.withLauncherLock(config.lockTimeout(), () -> {
                // Whoever waited for the lock looks again: usually another replica did the work.
                Inspection now = inspect(db, local);
                if (now.upToDate() && !config.alwaysDeploy()) {
                    log.info("up to date after waiting for the lock; prisma migrate deploy not needed");
                    return null;
                }
                if (now.count(MigrationState.FAILED) > 0) {
                    resolve(db, local);
                }
                deploy();
                verify(db, local);
                return null;
            });
        }
    }

    /** Connects, waiting up to DB_WAIT_TIMEOUT for a database that is still starting; empty if it does not exist yet. */
    private Optional<Database> waitForDatabase(Dialect dialect) {
        return Database.connect(config.databaseUrl(), dialect, config.dbWaitTimeout());
    }

    /**
     * No database yet: everything is pending and `prisma migrate deploy` creates it. Our lock lives
     * in that database, so here only Prisma's own lock orders concurrent deploys.
     */
    private void deployIntoNewDatabase(Dialect dialect, LocalMigrations local) {
        Inspection found = Inspection.of(local, false, List.of());
        log.info("{}: {}", config.databaseUrl(), found.summary());
        if (config.dryRun()) {
            printPlan(found, local);
            return;
        }
        deploy();
        try (Database db = Database.open(config.databaseUrl(), dialect).orElseThrow(() -> new LauncherException(
                ExitCode.DEPLOY_FAILED, "prisma migrate deploy finished but " + config.databaseUrl() + " still does not exist"))) {
            verify(db, local);
        }
    }

    private static Inspection inspect(Database db, LocalMigrations local) {
        return Inspection.of(local, true, db.rows());
    }

    /**
     * Resolves failed migrations by the configured strategy under Prisma's own lock, deciding again
     * from rows read under that lock; every resolve is an audit event.
     */
    private void resolve(Database db, LocalMigrations local) {
        List<RowChange> changes = db.withPrismaLock(config.lockTimeout(), () -> {
            Inspection locked = inspect(db, local);
            List<RowChange> planned = Resolver.plan(locked, local, config.strategy(), config.maxResolveAttempts(), Database.now());
            db.write(planned);
            return planned;
        });
        for (String name : changes.stream().map(RowChange::migrationName).distinct().toList()) {
            List<RowChange> mine = changes.stream().filter(c -> c.migrationName().equals(name)).toList();
            log.atInfo().addKeyValue("event", "resolve").addKeyValue("migration", name)
                    .addKeyValue("strategy", config.strategy().label()).addKeyValue("rowsChanged", mine.size())
                    .addKeyValue("changes", mine.stream().map(Launcher::describe).toList())
                    .log("strategy {}: {}: {}", config.strategy().label(), name, String.join(", ", mine.stream().map(Launcher::describe).toList()));
        }
    }

    private void deploy() {
        List<String> command = PrismaCommand.deploy(config.prismaCommand(), config.deployArgs());
        log.info("running {}", String.join(" ", command));
        new Deployer(command, config.prismaEnvironment(), config.deployTimeout()).deploy();
    }

    /** After deploy the database must be current; anything else is a failed deploy. */
    private static void verify(Database db, LocalMigrations local) {
        Inspection after = inspect(db, local);
        if (!after.upToDate()) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "prisma migrate deploy finished but the database is not current: "
                    + after.summary());
        }
        log.info("database is up to date: {}", after.summary());
    }

    private int exec() {
        Exec.Prepared prepared = Exec.prepare(config.appCommand());
        log.info("exec {}", String.join(" ", config.appCommand()));
        int errno = Termination.exec(prepared); // returns only if exec failed
        throw new LauncherException(Exec.exitCode(errno), Exec.failure(config.appCommand(), errno));
    }

    /** --dry-run: what run/migrate would do, on stdout; fails as the real run would (exit 4) where it would stop. */
    private void printPlan(Inspection found, LocalMigrations local) {
        List<RowChange> changes = Resolver.plan(found, local, config.strategy(), config.maxResolveAttempts(), Database.now());
        List<String> deploy = new ArrayList<>(found.namesIn(MigrationState.PENDING));
        for (RowChange c : changes) {
            if (c instanceof RowChange.MarkRolledBack && config.strategy() == ResolveStrategy.ROLLED_BACK
                    && !deploy.contains(c.migrationName())) {
                deploy.add(c.migrationName());
            }
        }
        deploy.sort(null);
        StringBuilder b = new StringBuilder("plan (dry run, nothing changed) for ").append(config.databaseUrl()).append(":\n");
        for (RowChange c : changes) {
            b.append("  ").append(c.migrationName()).append(": would be ").append(switch (c) {
                case RowChange.MarkRolledBack m -> "marked rolled back (row " + m.id() + ")";
                case RowChange.InsertApplied a -> "recorded as applied (a new row, checksum " + a.checksum() + ")";
            }).append('\n');
        }
        if (!found.databaseExists()) {
            b.append("  the database would be created by prisma migrate deploy\n");
        }
        b.append(deploy.isEmpty() && !config.alwaysDeploy() ? "  nothing to deploy\n"
                : "  `" + String.join(" ", PrismaCommand.deploy(config.prismaCommand(), config.deployArgs())) + "` would apply: "
                        + (deploy.isEmpty() ? "nothing" : String.join(", ", deploy)) + "\n");
        if (config.command() == Command.RUN) {
            b.append("  then exec: ").append(String.join(" ", config.appCommand())).append(" (not in a dry run)\n");
        }
        out.print(b);
        out.flush();
    }

    private int status() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider());
        Inspection found;
        Optional<Database> connected = waitForDatabase(dialect);
        if (connected.isEmpty()) {
            found = Inspection.of(local, false, List.of());
        } else {
            try (Database db = connected.get()) {
                found = inspect(db, local);
            }
        }
        out.print(config.json() ? StatusReport.json(config.databaseUrl(), found) : StatusReport.text(config.databaseUrl(), found));
        out.flush();
        if (found.count(MigrationState.FAILED) > 0) {
            return ExitCode.FAILED_MIGRATIONS;
        }
        return found.count(MigrationState.PENDING) > 0 ? ExitCode.PENDING : ExitCode.OK;
    }

    private static String describe(RowChange change) {
        return switch (change) {
            case RowChange.MarkRolledBack m -> "marked row " + m.id() + " rolled back";
            case RowChange.InsertApplied a -> "recorded as applied (row " + a.id() + ")";
        };
    }
}
