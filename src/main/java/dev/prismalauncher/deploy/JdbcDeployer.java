package dev.prismalauncher.deploy;

import dev.prismalauncher.config.ExternalTables;
import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.config.ResolveStrategy;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.MigrationTable;
import dev.prismalauncher.database.ScriptError;
import dev.prismalauncher.database.Scripts;
import dev.prismalauncher.evidence.SqlLexer;
import dev.prismalauncher.migrations.Baseline;
import dev.prismalauncher.migrations.Inspection;
import dev.prismalauncher.migrations.LocalMigrations;
import dev.prismalauncher.migrations.MigrationState;
import dev.prismalauncher.migrations.Resolver;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEPLOY_ENGINE=jdbc: `prisma migrate deploy` done by the launcher itself, starting no Node or
 * Prisma process, with Prisma 7.10.1's schema-engine semantics (schema-engine
 * commands/apply_migrations.rs and sql_migration_persistence.rs; how each database runs a script
 * is in the database room's {@link Scripts}, what is written in {@link MigrationTable}):
 *
 * <ol>
 *   <li>Prisma's advisory lock is taken (as acquire_lock), beside the launcher's own, so that a real
 *       `prisma migrate deploy` elsewhere waits;
 *   <li>migration persistence's initialize: {@code _prisma_migrations} exists, or the schema has no
 *       table Prisma counts and it is created with Prisma's DDL, or P3005;
 *   <li>any failed row (neither finished nor rolled back) stops it: P3009;
 *   <li>pending: each local migration, in Prisma's order, of which no row is un-rolled-back;
 *   <li>per migration: the started row (id, checksum, started_at), the script run as Prisma runs it,
 *       then applied_steps_count + 1 and finished_at; on failure the row stays unfinished with the
 *       error in logs in Prisma's shape, and the start ends with exit 5.
 * </ol>
 *
 * <p>Beyond Prisma, on PostgreSQL only: DDL_LOCK_TIMEOUT sets lock_timeout for each script; a script
 * that cannot get its locks is rolled back whole by the server, its started row removed, and it is
 * tried again with backoff; if it never gets them it is still pending (exit 7), never failed.
 */
public final class JdbcDeployer {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    /** DDL_LOCK_TIMEOUT: the first try and three more, 1, 2 and 4 s apart (±25%). */
    static final int LOCK_ATTEMPTS = 4;
    private static final long FIRST_BACKOFF_MILLIS = 1000;

    private final DatabaseUrl url;
    private final ExternalTables external;
    private final Duration lockTimeout;
    private final Duration ddlLockTimeout;
    private final Duration deployTimeout;
    /** DEPLOY_TIMEOUT has passed: no further migration starts. */
    private volatile boolean expired;
    /** DDL_LOCK_TIMEOUT: who the watcher last saw in a script's way. */
    private List<String> lastBlockers = List.of();

    /**
     * @param lockTimeout how long to wait for Prisma's lock (LOCK_TIMEOUT)
     * @param ddlLockTimeout DDL_LOCK_TIMEOUT, null for none
     * @param deployTimeout DEPLOY_TIMEOUT, null for no limit: a script still running then is cancelled
     */
    public JdbcDeployer(DatabaseUrl url, Duration lockTimeout, Duration ddlLockTimeout, Duration deployTimeout) {
        this(url, lockTimeout, ddlLockTimeout, deployTimeout, ExternalTables.NONE);
    }

    /** @param external tables.external: not counted when judging a database unmanaged (P3005), as the engine does */
    public JdbcDeployer(DatabaseUrl url, Duration lockTimeout, Duration ddlLockTimeout, Duration deployTimeout, ExternalTables external) {
        this.external = external;
        this.url = url;
        this.lockTimeout = lockTimeout;
        this.ddlLockTimeout = ddlLockTimeout;
        this.deployTimeout = deployTimeout;
    }

    /** Applies what is pending; returns the names applied. The launcher lock is held on {@code db}'s session. */
    public List<String> deploy(Database db, LocalMigrations local) {
        long start = System.nanoTime();
        Provider provider = db.dialect().provider();
        Scripts session = db.scripts();
        Blockers blockers = null;
        Thread deadline = deployTimeout == null ? null : Thread.ofPlatform().daemon().name("deploy-timeout").start(() -> {
            try {
                Thread.sleep(deployTimeout.toMillis());
                expired = true;
                session.cancel();
            } catch (InterruptedException e) {
                // deploy finished in time
            }
        });
        try {
            if (ddlLockTimeout != null) {
                blockers = Blockers.open(db, ddlLockTimeout);
            }
            Blockers watch = blockers;
            List<String> applied = db.phase("deploy").withPrismaLock(lockTimeout,
                    () -> applyPending(db, session, provider, local, watch, start));
            log.atInfo().addKeyValue("event", "deploy").addKeyValue("engine", "jdbc").addKeyValue("applied", applied)
                    .log("{}", applied.isEmpty() ? "no migration to apply" : "applied " + applied.size() + " migration(s) in "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms (DEPLOY_ENGINE=jdbc)");
            return applied;
        } finally {
            if (deadline != null) {
                deadline.interrupt();
            }
            if (blockers != null) {
                blockers.close();
            }
            db.stop().forget(session);
            session.close();
        }
    }

    private List<String> applyPending(Database db, Scripts session, Provider provider, LocalMigrations local, Blockers blockers,
            long start) throws SQLException {
        MigrationTable table = session.migrations();
        initialize(table, local);
        Inspection found = Inspection.of(local, true, table.rows());
        if (found.count(MigrationState.FAILED) > 0) {
            // detect_failed_migrations: P3009, nothing applied (a row failed after the launcher looked)
            Resolver.plan(found, local, ResolveStrategy.NONE, 1, Database.now());
        }
        List<String> applied = new ArrayList<>();
        for (String name : found.namesIn(MigrationState.PENDING)) {
            if (expired) {
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "DEPLOY_TIMEOUT=" + Values.text(deployTimeout) + " passed before "
                        + name + " started; it and the migrations after it are still pending (nothing written for them)" + earlier(applied)
                        + "; the next start goes on, or raise DEPLOY_TIMEOUT");
            }
            MigrationScript script = MigrationScript.read(local.get(name));
            apply(db, session, provider, script, blockers, applied, start);
            applied.add(name);
        }
        return applied;
    }

    /** Migration persistence's initialize, under Prisma's lock as Prisma does it: the table is there, or is created (else P3005). */
    private void initialize(MigrationTable table, LocalMigrations local) throws SQLException {
        Baseline.refuseUnmanaged(url, table.unmanagedTables(external), local);
        if (!table.exists()) {
            table.create();
            log.atInfo().addKeyValue("event", "create-migrations-table").log("created _prisma_migrations as prisma migrate deploy does");
        }
    }

    private void apply(Database db, Scripts session, Provider provider, MigrationScript script, Blockers blockers, List<String> applied,
            long start) throws SQLException {
        MigrationTable table = session.migrations();
        for (int attempt = 1; ; attempt++) {
            log.atInfo().addKeyValue("event", "apply").addKeyValue("migration", script.name())
                    .log("applying {}{}", script.name(), attempt > 1 ? " (attempt " + attempt + " of " + LOCK_ATTEMPTS + ")" : "");
            long began = System.nanoTime();
            String id = UUID.randomUUID().toString(); // Uuid::new_v4().to_string(): lowercase
            table.started(id, script.name(), script.checksum(), Database.now());
            ScriptError error;
            if (ddlLockTimeout != null) {
                session.lockTimeout(ddlLockTimeout);
                blockers.watch(session.sessionId());
                try {
                    error = session.run(script.text());
                } finally {
                    lastBlockers = blockers.stop();
                }
                if (error == null || error.kind() != ScriptError.Kind.SESSION_LOST) {
                    session.lockTimeout(null); // the rows are written without it, as the next script starts with it again
                }
            } else {
                error = session.run(script.text());
            }
            if (error == null) {
                table.finished(id, Database.now());
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
                log.atInfo().addKeyValue("event", "applied").addKeyValue("migration", script.name()).addKeyValue("millis", millis)
                        .log("applied {} ({} ms)", script.name(), millis);
                return;
            }
            ScriptFailure failure = ScriptFailure.of(script, error, provider);
            if (failure.kind() == ScriptError.Kind.LOCK_TIMEOUT && ddlLockTimeout != null && !controlsTransactions(script)) {
                table.abandoned(id); // the server rolled the script back whole: the row records nothing
                if (attempt == LOCK_ATTEMPTS) {
                    throw new LauncherException(ExitCode.LOCK_TIMEOUT, script.name() + " could not get its locks within DDL_LOCK_TIMEOUT="
                            + Values.text(ddlLockTimeout) + " in " + LOCK_ATTEMPTS + " attempts over "
                            + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + " s; blocked by " + Blockers.describe(lastBlockers)
                            + ". PostgreSQL rolled it back each time, so it is still pending, not failed (no row in _prisma_migrations)"
                            + earlier(applied) + "; the next start tries again. Let that session finish (or end it:"
                            + " SELECT pg_terminate_backend(pid)), or raise DDL_LOCK_TIMEOUT");
                }
                long backoff = FIRST_BACKOFF_MILLIS << (attempt - 1);
                long sleep = backoff * 3 / 4 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
                log.atWarn().addKeyValue("event", "ddl-lock-timeout").addKeyValue("migration", script.name())
                        .addKeyValue("attempt", attempt).addKeyValue("blockedBy", lastBlockers)
                        .log("{} waited more than DDL_LOCK_TIMEOUT={} for a lock held by {}; rolled back, retrying in {} ms",
                                script.name(), Values.text(ddlLockTimeout), Blockers.describe(lastBlockers), sleep);
                db.stop().sleep(sleep);
                continue;
            }
            throw failed(table, provider, id, script, failure, applied);
        }
    }

    /** Records the failure as Prisma records it (when the session still can) and says what happened and what to do. */
    private LauncherException failed(MigrationTable table, Provider provider, String id, MigrationScript script, ScriptFailure failure,
            List<String> applied) {
        String resolve = "`prisma migrate resolve --rolled-back " + script.name() + "`";
        if (failure.kind() == ScriptError.Kind.SESSION_LOST) {
            return new LauncherException(ExitCode.UNREACHABLE, "lost the deploy session to " + url + " while applying " + script.name()
                    + " (" + failure.describe() + "): whether the database committed it is unknown. Its row in _prisma_migrations stays"
                    + " unfinished, as Prisma leaves it, so the next start stops with P3009" + earlier(applied) + ". Check the schema,"
                    + " then resolve it: MIGRATION_RESOLVE_STRATEGY=auto decides from the database's evidence, or " + resolve
                    + " / --applied by hand");
        }
        try {
            table.failed(id, failure.logs());
        } catch (SQLException e) {
            log.atWarn().log("could not write the error into the row of {}: {}", script.name(), Database.describe(e));
        }
        boolean cancelled = deployTimeout != null && ("57014".equals(failure.code()) || "1317".equals(failure.code()));
        String what = cancelled ? script.name() + " did not finish within DEPLOY_TIMEOUT=" + Values.text(deployTimeout) + " and was cancelled"
                : "migration " + script.name() + " failed: " + failure.describe();
        String consequence;
        if (provider == Provider.MYSQL) {
            consequence = "MySQL commits each DDL statement by itself, so the statements before the failing one stay applied."
                    + " Revert them by hand and resolve it as rolled-back, or finish the rest by hand and resolve it as applied"
                    + " (MIGRATION_RESOLVE_STRATEGY=auto decides this from the database's evidence)";
        } else if (controlsTransactions(script)) {
            consequence = "The script controls its own transactions, so what it committed before the failure stays applied: check"
                    + " the schema, then resolve it (" + resolve + " to run it again, or --applied if you completed it by hand)";
        } else {
            consequence = "PostgreSQL ran the script as one transaction and rolled it back: nothing of it is applied. Fix"
                    + " migration.sql (or the data it trips on), then start with MIGRATION_RESOLVE_STRATEGY=rolled-back to run it again"
                    + " (or " + resolve + ")";
        }
        return new LauncherException(ExitCode.DEPLOY_FAILED, what + ". Its row in _prisma_migrations is recorded failed with the"
                + " error in logs, as prisma migrate deploy records it, so the next start stops with P3009 until it is resolved"
                + earlier(applied) + ". " + consequence);
    }

    private static String earlier(List<String> applied) {
        return applied.isEmpty() ? "" : " (" + applied.size() + " migration(s) before it were applied in this start)";
    }

    /**
     * A script with its own BEGIN/COMMIT (Prisma runs those as written): after one COMMIT, part of it
     * may stay, so it is never retried and a failure says so. Read from each statement's first words,
     * streamed: memory does not grow with the script.
     */
    static boolean controlsTransactions(MigrationScript script) {
        try (SqlLexer.Pieces pieces = SqlLexer.read(new StringReader(script.text()), Provider.POSTGRESQL, false)) {
            for (SqlLexer.Piece p = pieces.next(); p != null; p = pieces.next()) {
                String[] words = p.code().strip().split("\\s+", 3);
                String first = words[0].replace(";", "").toUpperCase(Locale.ROOT);
                String second = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
                if (first.equals("BEGIN") || first.equals("COMMIT") || first.equals("END") || first.equals("ROLLBACK")
                        || first.equals("ABORT") || (first.equals("START") && second.startsWith("TRANSACTION"))
                        || (first.equals("PREPARE") && second.startsWith("TRANSACTION"))) {
                    return true;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return false;
    }
}
