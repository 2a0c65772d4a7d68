package dev.prismalauncher.prisma;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.log.Secrets;
import dev.prismalauncher.process.ChildProcess;
import dev.prismalauncher.process.Signals;
import dev.prismalauncher.process.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs `prisma migrate deploy` in its own process group and streams its output, line by line
 * and without secrets, into our log on stderr, so the app's stdout stays the app's alone. On
 * DEPLOY_TIMEOUT, or when a signal stops the launcher, the whole group gets SIGTERM and, after a
 * grace period, SIGKILL: no npx, node or schema-engine outlives the launcher.
 *
 * <p>Prisma names the database it is about to migrate ({@link DatasourceLine}) before it starts its
 * schema engine. If that is not the database the launcher inspected, the group is stopped at that
 * line: frozen at once (SIGSTOP), searched for a schema engine (whose presence means Prisma may have
 * connected), then killed. The start fails (exit 5) naming both databases and saying whether Prisma
 * could have touched its own; the app is not started.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger("prisma");
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration FOREVER = Duration.ofDays(365);

    private final List<String> command;
    private final Map<String, String> environment;
    private final Duration timeout;
    private final DatabaseUrl inspected;

    /**
     * @param environment variables set for Prisma on top of ours (e.g. DATABASE_URL from MIGRATE_DATABASE_URL)
     * @param timeout null for no limit
     * @param inspected the database the launcher inspected, which Prisma must name as its datasource
     */
    public Deployer(List<String> command, Map<String, String> environment, Duration timeout, DatabaseUrl inspected) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
        this.inspected = inspected;
    }

    public void deploy() {
        ChildProcess child;
        try {
            // registered for stopping as it starts: no signal can fall between its spawn and its registration
            child = Termination.startAndCloseOnStop(() -> ChildProcess.start(command, environment));
        } catch (IOException e) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, Secrets.redact(e.getMessage())
                    + "; install prisma in the image (node_modules/.bin/prisma) or set PRISMA_COMMAND");
        }
        try (child) {
            OutputTail tail = new OutputTail();
            DatasourceWatch watch = new DatasourceWatch(inspected, child);
            Thread pump = Thread.ofPlatform().daemon().name("prisma-output").start(() -> pump(child, tail, watch));
            OptionalInt exit = child.waitFor(timeout == null ? FOREVER : timeout);
            if (watch.stopped() != null) {
                pump.join(GRACE.toMillis());
                throw new LauncherException(ExitCode.DEPLOY_FAILED, watch.stopped());
            }
            if (exit.isEmpty()) {
                log.atWarn().addKeyValue("event", "deploy-timeout")
                        .log("prisma migrate deploy still running after {} (DEPLOY_TIMEOUT): stopping its process group", Values.text(timeout));
                child.terminate(GRACE);
                pump.join(GRACE.toMillis());
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "prisma migrate deploy did not finish within DEPLOY_TIMEOUT="
                        + Values.text(timeout) + " and was stopped; its failed migration, if any, is left for the next start");
            }
            pump.join(GRACE.toMillis()); // the rest of its output, before we say anything more
            if (watch.stopped() != null) {
                throw new LauncherException(ExitCode.DEPLOY_FAILED, watch.stopped()); // stopped as it ended
            }
            if (exit.getAsInt() != 0) {
                repeat(tail);
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "`" + String.join(" ", command) + "` failed with exit code "
                        + exit.getAsInt() + "; its last lines are above");
            }
            watch.unseen();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "interrupted while prisma migrate deploy was running");
        } finally {
            Termination.forget(child);
        }
    }

    /** Prisma's last lines once more, at ERROR: with LOG_LEVEL=warn they were not shown as they came. */
    private static void repeat(OutputTail tail) {
        List<String> lines = tail.lines();
        log.atError().addKeyValue("event", "deploy-output").log("prisma migrate deploy failed; its last {} lines:", lines.size());
        for (String line : lines) {
            log.atError().addKeyValue("event", "deploy-output").log("| {}", line);
        }
    }

    /**
     * Copies Prisma's output into the log until its end. Lines are capped ({@link BoundedLines}), and
     * nothing ends the copying early: a pump that stopped reading would leave Prisma blocked on a full
     * pipe, or killed by SIGPIPE mid-migration.
     */
    private static void pump(ChildProcess child, OutputTail tail, DatasourceWatch watch) {
        try (var out = child.output()) {
            BoundedLines lines = new BoundedLines(out);
            String line;
            while ((line = lines.next()) != null) {
                try {
                    watch.see(line); // before the line is logged: a wrong database is stopped first
                    if (!line.isBlank()) {
                        tail.add(line);
                        log.info("{}", line); // the log backend redacts secrets from every line
                    }
                } catch (RuntimeException e) {
                    // one line could not be logged: keep draining
                }
            }
        } catch (IOException e) {
            // the stream closes when the process group is stopped; nothing more to copy
        }
    }

    /**
     * Watches Prisma's output for its datasource line and stops the group at once when that names
     * another database. Runs on the output thread; {@link #stopped()} is read by the deploying thread.
     */
    private static final class DatasourceWatch {
        private final DatabaseUrl inspected;
        private final ChildProcess child;
        private final AtomicReference<String> stopped = new AtomicReference<>();
        private volatile boolean seen;

        DatasourceWatch(DatabaseUrl inspected, ChildProcess child) {
            this.inspected = inspected;
            this.child = child;
            // the first line must be judged in microseconds, not after class loading and linking: warm up now
            try {
                DatasourceCheck.check(DatasourceLine.parse(DatasourceLine.PREFIX + "db\": " + DatasourceCheck.describe(inspected)), inspected);
            } catch (RuntimeException e) {
                // only a warm-up
            }
            child.groupAlive();
        }

        void see(String text) {
            if (seen) {
                return;
            }
            DatasourceLine line = DatasourceLine.parse(text);
            if (line == null) {
                return;
            }
            seen = true;
            long at = System.nanoTime();
            DatasourceCheck.Verdict verdict = DatasourceCheck.check(line, inspected);
            if (verdict instanceof DatasourceCheck.Different different) {
                stop(different, at);
            } else if (verdict instanceof DatasourceCheck.Same same) {
                log.atDebug().addKeyValue("event", "datasource").log("Prisma's datasource is the database inspected: {}", line.named());
                same.notes().forEach(note -> log.atInfo().addKeyValue("event", "datasource").log("datasource check: {}", note));
            } else if (verdict instanceof DatasourceCheck.Unknown unknown) {
                log.atWarn().addKeyValue("event", "datasource").log("cannot check which database Prisma migrates: {}", printable(unknown.why()));
            }
        }

        /**
         * Freezes the whole group in one signal, looks at what Prisma had started, then decides. Before
         * its engine that applies migrations runs, nothing can be lost by stopping: the group is killed.
         * Once that engine runs, stopping it would leave Prisma's database worse than finishing (on
         * PostgreSQL a failed row that blocks the next deploy, on MySQL half-applied DDL): Prisma is let
         * finish, and the start fails all the same. The verdict is published before the group is
         * signalled again, so the deploying thread, woken by the exit, finds it.
         */
        private void stop(DatasourceCheck.Different different, long lineAt) {
            child.signalGroup(Signals.SIGSTOP);
            long micros = (System.nanoTime() - lineAt) / 1_000;
            String prismaDatabase = printable(different.prisma());
            boolean letFinish = false;
            String what = "Prisma was stopped at that line (" + micros + " µs after it was read), but what it had under way could not"
                    + " be read from /proc: check the database it named, " + prismaDatabase + ", with `prisma migrate status`";
            try {
                EngineProbe.Snapshot seen = EngineProbe.afterStop(child.pid());
                letFinish = seen.letFinish();
                what = seen.account(micros, prismaDatabase);
            } catch (RuntimeException e) {
                // the account above stands; the group is killed below all the same, never left frozen
            } finally {
                stopped.set("Prisma was pointed at another database than the one the launcher inspected: Prisma named "
                        + prismaDatabase + ", the launcher inspected " + printable(different.launcher()) + " (" + inspected.variable()
                        + "); differs: " + printable(String.join("; ", different.differences())) + ". " + what + ". The app is not"
                        + " started. Make them the same database: Prisma takes its URL from prisma.config.ts's datasource.url (Prisma 7)"
                        + " or schema.prisma (Prisma 6); set MIGRATE_DATABASE_URL to that URL, or change the config to read "
                        + inspected.variable());
                child.signalGroup(letFinish ? Signals.SIGCONT : Signals.SIGKILL);
            }
        }

        /** After a clean exit: a Prisma that never named its datasource could not be checked. */
        void unseen() {
            if (!seen) {
                log.atWarn().addKeyValue("event", "datasource").log("prisma migrate deploy did not name its datasource (no `Datasource \"…\"`"
                        + " line): the launcher could not check that it migrated {}", inspected);
            }
        }

        String stopped() {
            return stopped.get();
        }

        /** Control characters escaped: Prisma's line holds the schema as the URL decodes it. */
        private static String printable(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                b.append(Character.isISOControl(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            return b.toString();
        }
    }
}
