package dev.prismalauncher.deploy;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.evidence.Trial;
import dev.prismalauncher.migrations.LocalMigration;
import dev.prismalauncher.migrations.LocalMigrations;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DEPLOY_PREFLIGHT=trial (PostgreSQL, both engines): before anything is written, the migrations the
 * deploy would apply run in order in one transaction that is always rolled back ({@link Trial}: its
 * own connection, the URL's schema, one bound the scripts cannot lift, cancelled when it passes or
 * the launcher stops, nothing run that a rollback cannot undo). One that would fail is refused
 * (exit 5) with the database's error, its statement and the fix, and nothing is written: no row, no
 * change to the schema, Prisma not run, the app not started; the next start tries again. What the
 * trial cannot judge (a statement a transaction cannot hold, such as CREATE INDEX CONCURRENTLY or a
 * script's own COMMIT; what a rollback cannot undo; a bound that passed) is said plainly, and the
 * deploy goes on as usual.
 *
 * <p>The cost: the pending migrations run twice, their locks are taken twice (within the bounds).
 */
public final class Preflight {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    private Preflight() {}

    /**
     * @param pending what the deploy would apply, in order (after the resolve that is about to be written)
     * @param lockTimeout the longest the trial waits for any one lock (AUTO_TRIAL_LOCK_TIMEOUT)
     * @param total the whole trial's time (DEPLOY_PREFLIGHT_TIMEOUT)
     */
    public static void run(Database db, LocalMigrations local, List<String> pending, java.time.Duration lockTimeout,
            java.time.Duration total) {
        if (pending.isEmpty()) {
            return;
        }
        List<Trial.Script> scripts = new ArrayList<>();
        for (String name : pending) {
            LocalMigration m = local.get(name);
            if (m == null || !m.hasScript()) {
                log.atWarn().addKeyValue("event", "preflight").addKeyValue("outcome", "not judged")
                        .log("preflight: not judged: {} has no migration.sql; deploying as usual (which stops there, P3015)", name);
                return;
            }
            scripts.add(Trial.Script.of(name, m.script()));
        }
        long start = System.nanoTime();
        Trial.Outcome outcome = Trial.of(db.phase("the deploy preflight"), new Trial.Bounds(lockTimeout, total), "the deploy preflight")
                .run(scripts);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String what = pending.size() == 1 ? pending.getFirst() : pending.size() + " migrations (" + pending.getFirst() + " to " + pending.getLast() + ")";
        switch (outcome) {
            case Trial.Outcome.Passed p -> log.atInfo().addKeyValue("event", "preflight").addKeyValue("outcome", "passed")
                    .addKeyValue("statements", p.statements()).addKeyValue("millis", millis)
                    .log("preflight: {} ran without error in a transaction that was rolled back ({} statements, {} ms); deploying", what,
                            p.statements(), millis);
            case Trial.Outcome.Failed f -> throw new LauncherException(ExitCode.DEPLOY_FAILED, "preflight (DEPLOY_PREFLIGHT=trial): "
                    + f.at().script() + " would fail at statement " + f.at().statement() + " (" + f.at().firstLine() + "): database error "
                    + f.sqlState() + ": " + f.error().replace('\n', ' ') + ". Nothing was written: no row in _prisma_migrations, no change"
                    + " to the schema (the trial was rolled back), no migration run, the app not started; the next start tries again."
                    + " Fix " + f.at().script() + "/migration.sql (or the data it trips on) in a new release");
            case Trial.Outcome.Stopped s -> log.atWarn().addKeyValue("event", "preflight").addKeyValue("outcome", "not judged")
                    .addKeyValue("why", s.why()).log("preflight: not judged ({}{}): deploying as usual", s.why(),
                            s.at() == null ? "" : ", at " + s.at());
            case Trial.Outcome.Refused r -> log.atWarn().addKeyValue("event", "preflight").addKeyValue("outcome", "not judged")
                    .addKeyValue("why", r.why()).log("preflight: not judged: {} {}; deploying as usual",
                            r.at() == null ? "the database" : r.at().toString(), r.why());
        }
    }
}
