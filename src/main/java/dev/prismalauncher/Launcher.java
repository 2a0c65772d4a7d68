package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.DeployEngine;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.config.Setting;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.DatabaseCreation;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.database.Stop;
import dev.prismalauncher.deploy.JdbcDeployer;
import dev.prismalauncher.deploy.Preflight;
import dev.prismalauncher.evidence.Evidence;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.evidence.Trial;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.Baseline;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationRules;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.migrations.Resolver;
import dev.prismalauncher.prisma.Deployer;
import dev.prismalauncher.prisma.PrismaCommand;
import dev.prismalauncher.process.Exec;
import dev.prismalauncher.report.EvidenceReport;
import dev.prismalauncher.report.StatusReport;
import dev.prismalauncher.process.Termination;
import dev.prismalauncher.process.Tini;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start-up, told top to bottom: config → wait → lock → inspect → resolve → deploy → verify
 * → exec. Each step is a small method; what a step finds and does is one log line.
 */
public final class Launcher {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    /** How the database room heeds a stop signal: its connections closed, its waits ended. */
    private static final Stop STOP = Stop.of(Termination::closeOnStop, Termination::forget, Termination::sleep);

    private final Config config;
    private final PrintStream out;
    /** The Prisma of this app and its version (found first: a Prisma the launcher does not know stops the start). */
    private PrismaCommand prisma;

    public Launcher(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    /** Runs the configured command; returns the exit code (for {@code run}, only if exec failed). */
    public int run() {
        return switch (config.command()) {
            case STATUS -> status();
            case RUN, MIGRATE -> {
                // INIT=1: tini is found first, so a missing one stops the start before anything is touched
                Path tini = config.init() ? Tini.locate(System.getenv()) : null;
                if (config.skipMigrations()) {
                    log.info("SKIP_MIGRATIONS is set: no migration work, no database touched");
                } else {
                    migrate();
                }
                if (config.dryRun()) {
                    yield ExitCode.OK; // a dry run never execs
                }
                yield config.command() == Command.RUN ? exec(tini) : ExitCode.OK;
            }
            case HELP, VERSION -> throw new IllegalStateException("handled by Main");
        };
    }

    private void migrate() {
        if (!config.dryRun() && config.deploy().engine() == DeployEngine.PRISMA) {
            CommandLine.requireExecutable(Setting.PRISMA_COMMAND.env(), config.prismaCommand(), System.getenv("PATH"));
        }
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider(), migrationRules());
        Optional<Database> connected = waitForDatabase(dialect);
        if (connected.isEmpty()) {
            Inspection missing = Inspection.of(local, false, List.of());
            logInspection(missing);
            if (config.dryRun()) {
                printPlan(missing, local, Map.of());
                return;
            }
            connected = createDatabase(dialect);
        }
        try (Database db = connected.get()) {
            Inspection found = inspect(db, local);
            logInspection(found);
            if (found.upToDate() && !config.alwaysDeploy()) {
                log.info("up to date; prisma migrate deploy not needed");
                if (config.dryRun()) {
                    out.println("plan: nothing to do; " + found.summary());
                    written(out);
                }
                return;
            }
            if (config.dryRun()) {
                Map<String, MigrationEvidence> evidence = config.strategy() == ResolveStrategy.AUTO
                        ? db.withLauncherLock(config.lockTimeout(), () -> evidence(db, found, local)) : Map.of();
                printPlan(found, local, evidence);
                return;
            }
            db.withLauncherLock(config.lockTimeout(), () -> {
                // Whoever waited for the lock looks again: usually another replica did the work.
                Inspection now = inspect(db, local);
                if (now.upToDate() && !config.alwaysDeploy()) {
                    log.info("up to date after waiting for the lock; prisma migrate deploy not needed");
                    return null;
                }
                // auto: the evidence is gathered here, under the launcher lock, and must be conclusive to act
                Map<String, MigrationEvidence> evidence = now.count(MigrationState.FAILED) > 0 && config.strategy() == ResolveStrategy.AUTO
                        ? evidence(db, now, local) : Map.of();
                refuseUnlessConclusive(evidence);
                if (config.deploy().preflight()) {
                    // before anything is written: what the deploy would apply, tried in a transaction that is rolled back
                    Preflight.run(db, local, Resolver.wouldDeploy(now, local, plan(now, local, evidence)), config.autoTrialLockTimeout(),
                            config.deploy().preflightTimeout());
                }
                if (now.count(MigrationState.FAILED) > 0) {
                    resolve(db, local, evidence);
                }
                deploy(db, local);
                verify(db, local);
                return null;
            });
        }
    }

    /**
     * How the migrations folder is read: as the Prisma that deploys reads it; with the JDBC engine,
     * which is Prisma 7.10.1's engine, as 7.10.1 reads it, and no Prisma is looked for.
     */
    private MigrationRules migrationRules() {
        if (config.deploy().engine() == DeployEngine.JDBC) {
            return MigrationRules.CLI_LISTED;
        }
        prisma = PrismaCommand.find(config.prismaCommand(), Path.of(""));
        return prisma.rules();
    }

    /** Connects, waiting up to DB_WAIT_TIMEOUT for a database that is still starting; empty if it does not exist yet. */
    private Optional<Database> waitForDatabase(Dialect dialect) {
        return Database.connect(config.databaseUrl(), dialect, STOP, config.dbWaitTimeout());
    }

    /**
     * No database yet: create it as Prisma would, before taking our lock (which lives in it), so
     * that replicas starting together on a new database do not race to create it.
     */
    private Optional<Database> createDatabase(Dialect dialect) {
        DatabaseCreation.create(config.databaseUrl(), dialect);
        return Optional.of(Database.open(config.databaseUrl(), dialect, STOP).orElseThrow(() -> new LauncherException(
                ExitCode.DEPLOY_FAILED, config.databaseUrl() + " was created but cannot be found")));
    }

    /** The summary in text (names cut to a few), every name in the JSON event. */
    private void logInspection(Inspection found) {
        log.atInfo().addKeyValue("event", "inspect").addKeyValue("applied", found.count(MigrationState.APPLIED))
                .addKeyValue("failed", found.namesIn(MigrationState.FAILED)).addKeyValue("pending", found.namesIn(MigrationState.PENDING))
                .addKeyValue("missingLocally", found.namesIn(MigrationState.MISSING_LOCALLY))
                .addKeyValue("modifiedAfterApply", found.modifiedAfterApply())
                .log("{}: {}", config.databaseUrl(), found.summary());
    }

    private Inspection inspect(Database db, LocalMigrations local) {
        return inspect(db, local, false);
    }

    /** With checksums only where they are read (status): deploy ignores migrations edited after apply. */
    private Inspection inspect(Database db, LocalMigrations local, boolean checksums) {
        List<MigrationRow> rows = db.rows();
        if (rows.isEmpty()) {
            // tables but no _prisma_migrations: prisma migrate deploy refuses it (P3005), and so do we, on every path
            Baseline.refuseUnmanaged(config.databaseUrl(), db.unmanagedTables(config.external()), local);
        }
        return checksums ? Inspection.withChecksums(local, true, rows) : Inspection.of(local, true, rows);
    }

    /**
     * Resolves failed migrations by the configured strategy under Prisma's own lock, deciding again
     * from rows read under that lock; every resolve is an audit event.
     */
    private void resolve(Database db, LocalMigrations local, Map<String, MigrationEvidence> evidence) {
        db.phase("resolve");
        List<RowChange> changes = db.withPrismaLock(config.lockTimeout(), () -> {
            Inspection locked = inspect(db, local);
            List<RowChange> planned = plan(locked, local, evidence);
            db.write(planned);
            return planned;
        });
        for (String name : changes.stream().map(RowChange::migrationName).distinct().toList()) {
            List<RowChange> mine = changes.stream().filter(c -> c.migrationName().equals(name)).toList();
            MigrationEvidence e = evidence.get(name);
            var event = log.atInfo().addKeyValue("event", "resolve").addKeyValue("migration", name)
                    .addKeyValue("strategy", config.strategy().label()).addKeyValue("rowsChanged", mine.size())
                    .addKeyValue("changes", mine.stream().map(Launcher::describe).toList());
            if (e != null) {
                event = event.addKeyValue("decision", e.decision().label()).addKeyValue("reasons", e.reasons());
            }
            event.log("strategy {}: {}: {}{}", config.strategy().label(), name, String.join(", ", mine.stream().map(Launcher::describe).toList()),
                    e == null ? "" : " (decided " + e.decision().label() + ": " + String.join("; ", e.reasons()) + ")");
        }
    }

    /** The row changes for the failed migrations: by the configured strategy, or by auto's decision per migration. */
    private List<RowChange> plan(Inspection found, LocalMigrations local, Map<String, MigrationEvidence> evidence) {
        if (config.strategy() != ResolveStrategy.AUTO) {
            return Resolver.plan(found, local, config.strategy(), config.maxResolveAttempts(), Database.now());
        }
        return Resolver.plan(found, local, strategyOf(evidence), config.maxResolveAttempts(), Database.now());
    }

    private static Function<String, ResolveStrategy> strategyOf(Map<String, MigrationEvidence> evidence) {
        return name -> {
            MigrationEvidence e = evidence.get(name);
            if (e == null) {
                return ResolveStrategy.NONE;
            }
            return switch (e.decision()) {
                case ROLLED_BACK -> ResolveStrategy.ROLLED_BACK;
                case APPLIED -> ResolveStrategy.APPLIED;
                default -> ResolveStrategy.NONE;
            };
        };
    }

    /** auto: the evidence for each failed migration (catalog, and on PostgreSQL the rolled-back trial), each table logged. */
    private Map<String, MigrationEvidence> evidence(Database db, Inspection found, LocalMigrations local) {
        var catalog = db.phase("auto evidence").catalog(config.autoTrialStatementTimeout());
        var trial = Trial.of(db, new Trial.Bounds(config.autoTrialLockTimeout(), config.autoTrialStatementTimeout()), "the auto trial");
        Map<String, MigrationEvidence> out = new LinkedHashMap<>();
        for (String name : found.namesIn(MigrationState.FAILED)) {
            LocalMigration m = local.get(name);
            // the failed row's logs name the failing statement (MySQL); the folder's verify.sql proves what the catalog cannot
            String logs = found.rows().stream().filter(r -> r.migrationName().equals(name) && r.isFailed()).reduce((a, b) -> b)
                    .map(MigrationRow::logs).orElse(null);
            Evidence.Extras extras = Evidence.Extras.of(m == null ? null : m.directory(), logs);
            MigrationEvidence e = Evidence.gather(name, m == null ? null : m.script(), extras, db.dialect().provider(), catalog, trial);
            out.put(name, e);
            log.atInfo().addKeyValue("event", "evidence").addKeyValue("migration", name).addKeyValue("decision", e.decision().label())
                    .addKeyValue("reasons", e.reasons()).log("{}", EvidenceReport.table(e).stripTrailing());
        }
        return out;
    }

    /** auto acts only on conclusive evidence: otherwise exit 4, nothing changed, no crash-loop attempt used. */
    private static void refuseUnlessConclusive(Map<String, MigrationEvidence> evidence) {
        List<String> refusals = evidence.values().stream().filter(e -> !e.decision().acts())
                .map(e -> e.migration() + ": " + e.decision().label() + " - " + String.join("; ", e.reasons())).toList();
        if (!refusals.isEmpty()) {
            throw new LauncherException(ExitCode.FAILED_MIGRATIONS, "MIGRATION_RESOLVE_STRATEGY=auto changed nothing: "
                    + String.join(" | ", refusals) + " (the evidence table is in the log above)");
        }
    }

    /** Prisma must name the database inspected here as its datasource, or it is stopped (exit 5). */
    private void deploy(Database db, LocalMigrations local) {
        if (config.deploy().engine() == DeployEngine.JDBC) {
            // no Node, no Prisma: the launcher applies the migrations itself, as Prisma's engine would
            new JdbcDeployer(config.databaseUrl(), config.lockTimeout(), config.deploy().ddlLockTimeout(), config.deployTimeout(),
                    config.external())
                    .deploy(db, local);
            return;
        }
        List<String> command = prisma.deploy(config.deployArgs());
        log.info("running {}", String.join(" ", command));
        new Deployer(command, config.prismaEnvironment(), config.deployTimeout(), config.databaseUrl()).deploy();
    }

    /** After deploy the database must be current; anything else is a failed deploy. */
    private void verify(Database db, LocalMigrations local) {
        db.phase("verify");
        Inspection after = inspect(db, local);
        if (!after.upToDate()) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "prisma migrate deploy finished but the database is not current: "
                    + after.summary());
        }
        log.info("database is up to date: {}", after.summary());
    }

    private int exec(Path tini) {
        List<String> command = Tini.wrap(tini, config.appCommand()); // INIT=1: under tini
        Exec.Prepared prepared = Exec.prepare(command); // all the costly work, before the point of no return (and the app's environment)
        log.info("exec {}", String.join(" ", command));
        int errno = Termination.exec(prepared); // returns only if exec failed
        throw new LauncherException(Exec.exitCode(errno), Exec.failure(command, errno));
    }

    /** --dry-run: what run/migrate would do, on stdout; fails as the real run would (exit 4) where it would stop. */
    private void printPlan(Inspection found, LocalMigrations local, Map<String, MigrationEvidence> evidence) {
        for (MigrationEvidence e : evidence.values()) {
            out.print(EvidenceReport.table(e));
        }
        out.flush();
        refuseUnlessConclusive(evidence);
        List<RowChange> changes = plan(found, local, evidence);
        List<String> deploy = Resolver.wouldDeploy(found, local, changes);
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
        String deployer = config.deploy().engine() == DeployEngine.JDBC ? "the JDBC engine (DEPLOY_ENGINE=jdbc)"
                : "`" + String.join(" ", prisma.deploy(config.deployArgs())) + "`";
        b.append(deploy.isEmpty() && !config.alwaysDeploy() ? "  nothing to deploy\n"
                : "  " + deployer + " would apply: "
                        + (deploy.isEmpty() ? "nothing" : String.join(", ", deploy)) + "\n");
        if (config.command() == Command.RUN) {
            b.append("  then exec: ").append(String.join(" ", config.appCommand())).append(" (not in a dry run)\n");
        }
        out.print(b);
        written(out);
    }

    /**
     * A report nobody received is a failure (stdout closed, a full disk): exit 1, not 0, so a
     * script piping {@code status} or a dry run into a file learns it.
     */
    static int written(PrintStream out) {
        out.flush();
        if (out.checkError()) {
            throw new LauncherException(ExitCode.INTERNAL, "could not write the report to standard output (closed, or the disk is full)");
        }
        return ExitCode.OK;
    }

    private int status() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider(), migrationRules());
        Inspection found;
        Map<String, MigrationEvidence> evidence = Map.of();
        Optional<Database> connected = waitForDatabase(dialect);
        if (connected.isEmpty()) {
            found = Inspection.of(local, false, List.of());
        } else {
            try (Database db = connected.get()) {
                found = inspect(db, local, true);
                // auto only: its trial runs the failed script (rolled back, bounded), which a plain status must not do;
                // under the launcher lock, as in a real start, so it never runs beside another launcher's deploy
                if (config.strategy() == ResolveStrategy.AUTO && found.count(MigrationState.FAILED) > 0) {
                    Inspection seen = found;
                    evidence = db.withLauncherLock(config.lockTimeout(), () -> evidence(db, seen, local));
                }
            }
        }
        out.print(config.json() ? StatusReport.json(config.databaseUrl(), found, evidence) : StatusReport.text(config.databaseUrl(), found)
                + evidence.values().stream().map(EvidenceReport::table).reduce("", String::concat));
        written(out);
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
