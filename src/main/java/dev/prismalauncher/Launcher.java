package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.DeployEngine;
import dev.prismalauncher.config.Setting;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.DatabaseCreation;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.database.MigrationRow;
import dev.prismalauncher.database.RowChange;
import dev.prismalauncher.database.Stop;
import dev.prismalauncher.deploy.JdbcDeployer;
import dev.prismalauncher.deploy.Preflight;
import dev.prismalauncher.evidence.MigrationEvidence;
import dev.prismalauncher.migrations.Baseline;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationRules;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.plan.Decider;
import dev.prismalauncher.plan.Decisions;
import dev.prismalauncher.plan.LockScope;
import dev.prismalauncher.plan.Plan;
import dev.prismalauncher.prisma.Deployer;
import dev.prismalauncher.prisma.PrismaCommand;
import dev.prismalauncher.process.Exec;
import dev.prismalauncher.process.Termination;
import dev.prismalauncher.process.Tini;
import dev.prismalauncher.report.EvidenceReport;
import dev.prismalauncher.report.PlanReport;
import dev.prismalauncher.report.StatusReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One start-up, told top to bottom: config → wait → lock → inspect → plan → resolve → deploy →
 * verify → exec. Each step is a small method; what a step finds and does is one log line.
 */
public final class Launcher {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    /** How the database room heeds a stop signal: its connections closed, its waits ended. */
    private static final Stop STOP = Stop.of(Termination::closeOnStop, Termination::forget, Termination::sleep);

    private final Config config;
    private final PrintStream out;
    private final Decider decider;
    /** The Prisma of this app and its version (found first: a Prisma the launcher does not know stops the start). */
    private PrismaCommand prisma;

    public Launcher(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.decider = Decider.of(config);
    }

    /** Runs the configured command; returns the exit code (for {@code run}, only if exec failed). */
    public int run() {
        return switch (config.command()) {
            case RUN, MIGRATE -> start();
            case STATUS -> status();
            case HELP, VERSION -> throw new IllegalStateException("handled by Main");
        };
    }

    /** run and migrate: the database brought up to date (a dry run prints the plan instead), then, for run, the app. */
    private int start() {
        Path tini = config.init() ? Tini.locate(System.getenv()) : null; // INIT=1: a missing tini stops the start before anything is touched
        if (config.skipMigrations()) {
            log.info("SKIP_MIGRATIONS is set: no migration work, no database touched");
        } else if (config.dryRun()) {
            printPlan();
        } else {
            migrate();
        }
        return config.command() == Command.RUN && !config.dryRun() ? exec(tini) : ExitCode.OK; // a dry run never execs
    }

    /** The database brought up to date: connect (or create it), a first look, then, under the launcher lock, the plan carried out. */
    private void migrate() {
        requirePrisma();
        Opening opened = open();
        try (Database db = opened.connected().orElseGet(() -> createDatabase(opened))) {
            if (Plan.nothingToDo(inspect(db, opened.local()), config.alwaysDeploy())) {
                log.info("up to date; prisma migrate deploy not needed");
                return;
            }
            db.withLauncherLock(config.lockTimeout(), () -> carryOut(db, opened.local()));
        }
    }

    /** Under the launcher lock: the plan from the rows as they are now, carried out. */
    private Void carryOut(Database db, LocalMigrations local) {
        // Whoever waited for the lock looks again: usually another replica did the work.
        Plan plan = plan(db, local, read(db, local, false), LockScope.HELD);
        if (plan.nothingToDo()) {
            log.info("up to date after waiting for the lock; prisma migrate deploy not needed");
            return null;
        }
        plan.refuseIfRefused(); // exit 4 before anything is written
        preflight(db, local, plan);
        resolve(db, local, plan);
        deploy(db, local);
        verify(db, local);
        return null;
    }

    /** What migrate and status both begin with: the folder as the deploying Prisma reads it, and the database (empty: not there yet). */
    private record Opening(Dialect dialect, LocalMigrations local, Optional<Database> connected) {}

    private Opening open() {
        Dialect dialect = Dialect.of(config.databaseUrl());
        LocalMigrations local = LocalMigrations.read(config.migrationsDir(), dialect.provider(), migrationRules());
        return new Opening(dialect, local, waitForDatabase(dialect));
    }

    /** An explicit PRISMA_COMMAND that cannot run is found now, before connecting, not after a resolve was committed. */
    private void requirePrisma() {
        if (config.deploy().engine() == DeployEngine.PRISMA) {
            CommandLine.requireExecutable(Setting.PRISMA_COMMAND.env(), config.prismaCommand(), System.getenv("PATH"));
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
    private Database createDatabase(Opening opened) {
        logInspection(Inspection.of(opened.local(), false, List.of()));
        DatabaseCreation.create(config.databaseUrl(), opened.dialect());
        return Database.open(config.databaseUrl(), opened.dialect(), STOP).orElseThrow(() -> new LauncherException(
                ExitCode.DEPLOY_FAILED, config.databaseUrl() + " was created but cannot be found"));
    }

    /** The plan from what was found: decisions (auto's evidence within {@code lock}), row changes, what deploy applies. */
    private Plan plan(Database db, LocalMigrations local, Inspection found, LockScope lock) {
        return Plan.of(found, local, decider.decide(db, found, local, lock), config.maxResolveAttempts(), config.alwaysDeploy());
    }

    /** The summary in text (names cut to a few), every name in the JSON event. */
    private void logInspection(Inspection found) {
        log.atInfo().addKeyValue("event", "inspect").addKeyValue("applied", found.count(MigrationState.APPLIED))
                .addKeyValue("failed", found.namesIn(MigrationState.FAILED)).addKeyValue("pending", found.namesIn(MigrationState.PENDING))
                .addKeyValue("missingLocally", found.namesIn(MigrationState.MISSING_LOCALLY))
                .addKeyValue("modifiedAfterApply", found.modifiedAfterApply())
                .log("{}: {}", config.databaseUrl(), found.summary());
    }

    /** Logged: the first look of a start. */
    private Inspection inspect(Database db, LocalMigrations local) {
        Inspection found = read(db, local, false);
        logInspection(found);
        return found;
    }

    /** With checksums only where they are read (status): deploy ignores migrations edited after apply. */
    private Inspection read(Database db, LocalMigrations local, boolean checksums) {
        List<MigrationRow> rows = db.rows();
        if (rows.isEmpty()) {
            // tables but no _prisma_migrations: prisma migrate deploy refuses it (P3005), and so do we, on every path
            Baseline.refuseUnmanaged(config.databaseUrl(), db.unmanagedTables(config.external()), local);
            if (!db.hasMigrationsTable()) {
                return Inspection.withoutTable(local); // deploy creates it, even with nothing pending
            }
        }
        return checksums ? Inspection.withChecksums(local, true, rows) : Inspection.of(local, true, rows);
    }

    /** DEPLOY_PREFLIGHT=trial: before anything is written, what the deploy would apply, tried in a transaction that is rolled back. */
    private void preflight(Database db, LocalMigrations local, Plan plan) {
        if (config.deploy().preflight()) {
            Preflight.run(db, local, plan.deploy(), config.autoTrialLockTimeout(), config.deploy().preflightTimeout());
        }
    }

    /**
     * Resolves failed migrations as decided, under Prisma's own lock, from rows read again under that
     * lock; every resolve is an audit event. Nothing failed: nothing to do, no lock taken.
     */
    private void resolve(Database db, LocalMigrations local, Plan plan) {
        if (plan.found().count(MigrationState.FAILED) == 0) {
            return;
        }
        Decisions decisions = plan.decisions();
        db.phase("resolve");
        List<RowChange> changes = db.withPrismaLock(config.lockTimeout(), () -> {
            List<RowChange> planned = decisions.changes(read(db, local, false), local, config.maxResolveAttempts(), Database.now());
            db.resolve(planned);
            return planned;
        });
        for (String name : changes.stream().map(RowChange::migrationName).distinct().toList()) {
            List<String> mine = changes.stream().filter(c -> c.migrationName().equals(name)).map(Launcher::describe).toList();
            MigrationEvidence e = decisions.evidence().get(name);
            var event = log.atInfo().addKeyValue("event", "resolve").addKeyValue("migration", name)
                    .addKeyValue("strategy", config.strategy().label()).addKeyValue("rowsChanged", mine.size()).addKeyValue("changes", mine);
            if (e != null) {
                event = event.addKeyValue("decision", e.decision().label()).addKeyValue("reasons", e.reasons());
            }
            event.log("strategy {}: {}: {}{}", config.strategy().label(), name, String.join(", ", mine),
                    e == null ? "" : " (decided " + e.decision().label() + ": " + String.join("; ", e.reasons()) + ")");
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
        Inspection after = read(db, local, false);
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

    /** --dry-run: the plan a start would carry out, on stdout; fails as the real run would (exit 4) where it would stop. */
    private void printPlan() {
        Opening opened = open();
        try (Database db = opened.connected().orElse(null)) {
            Inspection found = db == null ? Inspection.of(opened.local(), false, List.of()) : read(db, opened.local(), false);
            logInspection(found);
            print(plan(db, opened.local(), found, lockFor(db)));
        }
    }

    /** Outside a start the launcher lock is taken for auto's evidence; without a database there is nothing to lock or decide. */
    private LockScope lockFor(Database db) {
        return db == null ? LockScope.HELD : LockScope.take(db, config.lockTimeout());
    }

    private void print(Plan plan) {
        out.print(EvidenceReport.tables(plan.decisions().evidence().values()));
        out.flush();
        plan.refuseIfRefused();
        String deployer = config.deploy().engine() == DeployEngine.JDBC ? "the JDBC engine (DEPLOY_ENGINE=jdbc)"
                : "`" + String.join(" ", prisma.deploy(config.deployArgs())) + "`";
        out.print(PlanReport.text(plan, config.databaseUrl(), deployer, config.command() == Command.RUN ? config.appCommand() : List.of()));
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

    /** status: the same opening and plan as a dry run, reported; auto adds its evidence (its trial under the launcher lock, as in a start). */
    private int status() {
        Opening opened = open();
        Plan plan;
        try (Database db = opened.connected().orElse(null)) {
            Inspection found = db == null ? Inspection.of(opened.local(), false, List.of()) : read(db, opened.local(), true);
            plan = plan(db, opened.local(), found, lockFor(db));
        }
        Inspection found = plan.found();
        Map<String, MigrationEvidence> evidence = plan.decisions().evidence();
        out.print(config.json() ? StatusReport.json(config.databaseUrl(), found, evidence)
                : StatusReport.text(config.databaseUrl(), found) + EvidenceReport.tables(evidence.values()));
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
