package dev.prismalauncher.prisma;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.Secrets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs `prisma migrate deploy` as a child process and streams its output, line by line and
 * without secrets, into our log on stderr, so the app's stdout stays the app's alone.
 */
public final class Deployer {
    private static final Logger log = LoggerFactory.getLogger("prisma");

    private final List<String> command;
    private final Map<String, String> environment;

    /** @param environment variables to set for Prisma on top of ours (e.g. DATABASE_URL from MIGRATE_DATABASE_URL) */
    public Deployer(List<String> command, Map<String, String> environment) {
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
    }

    public void deploy() {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "cannot start `" + String.join(" ", command) + "`: "
                    + Secrets.redact(e.getMessage()) + "; install prisma in the image (node_modules/.bin/prisma) or set PRISMA_COMMAND");
        }
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.isBlank()) {
                    log.info("{}", Secrets.redact(line));
                }
            }
            int exit = process.waitFor();
            if (exit != 0) {
                throw new LauncherException(ExitCode.DEPLOY_FAILED, "`" + String.join(" ", command) + "` failed with exit code " + exit
                        + "; its output is above");
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "lost the output of prisma migrate deploy: " + Secrets.redact(e.getMessage()));
        } catch (InterruptedException e) {
            process.destroy();
            Thread.currentThread().interrupt();
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "interrupted while prisma migrate deploy was running");
        }
    }
}
