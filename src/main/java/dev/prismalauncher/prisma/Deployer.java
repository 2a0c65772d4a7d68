package dev.prismalauncher.prisma;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.log.Secrets;
import dev.prismalauncher.process.ChildProcess;
import dev.prismalauncher.process.Termination;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs `prisma migrate deploy` in its own process group and streams its output, line by line
 * and without secrets, into our log on stderr, so the app's stdout stays the app's alone. On
 * DEPLOY_TIMEOUT, or when a signal stops the launcher, the whole group gets SIGTERM and, after a
 * grace period, SIGKILL: no npx, node or schema-engine outlives the launcher.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger("prisma");
    private static final Duration GRACE = Duration.ofSeconds(10);
    private static final Duration FOREVER = Duration.ofDays(365);

    private final List<String> command;
    private final Map<String, String> environment;
    private final Duration timeout;

    /**
     * @param environment variables set for Prisma on top of ours (e.g. DATABASE_URL from MIGRATE_DATABASE_URL)
     * @param timeout null for no limit
     */
    public Deployer(List<String> command, Map<String, String> environment, Duration timeout) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.timeout = timeout;
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
            Thread pump = Thread.ofPlatform().daemon().name("prisma-output").start(() -> pump(child, tail));
            OptionalInt exit = child.waitFor(timeout == null ? FOREVER : timeout);
            if (exit.isEmpty()) {
                log.atWarn().addKeyValue("event", "deploy-timeout")
                        .log("prisma migrate deploy still running after {} (DEPLOY_TIMEOUT): stopping its process group", Values.text(timeout));
                child.terminate(GRACE);
                pump.join(GRACE.toMillis());
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "prisma migrate deploy did not finish within DEPLOY_TIMEOUT="
                        + Values.text(timeout) + " and was stopped; its failed migration, if any, is left for the next start");
            }
            pump.join(GRACE.toMillis()); // the rest of its output, before we say anything more
            if (exit.getAsInt() != 0) {
                repeat(tail);
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "`" + String.join(" ", command) + "` failed with exit code "
                        + exit.getAsInt() + "; its last lines are above");
            }
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
    private static void pump(ChildProcess child, OutputTail tail) {
        try (var out = child.output()) {
            BoundedLines lines = new BoundedLines(out);
            String line;
            while ((line = lines.next()) != null) {
                try {
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
}
