package dev.prismalauncher;

import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.Setting;
import dev.prismalauncher.log.Secrets;
import java.io.PrintStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: logging, the command line, and the mapping of failures to exit codes. */
public final class Main {

    public static void main(String[] args) {
        configureLogging();
        System.exit(run(args, System.getenv(), System.out));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out) {
        Logger log = LoggerFactory.getLogger("prisma-launcher");
        try {
            Config config = CommandLine.parse(args, env);
            if (config.command() == Command.HELP) {
                out.print(help());
                return ExitCode.OK;
            }
            if (config.command() == Command.VERSION) {
                out.println("prisma-launcher " + version());
                return ExitCode.OK;
            }
            return new Launcher(config, out).run();
        } catch (LauncherException e) {
            log.error("{}", Secrets.redact(e.getMessage()));
            return e.exitCode();
        } catch (RuntimeException | Error e) {
            log.error("internal error: {}: {}", e.getClass().getName(), Secrets.redact(String.valueOf(e.getMessage())));
            return ExitCode.INTERNAL;
        }
    }

    /** slf4j-simple, one line per event on stderr: stdout belongs to the app and to `status`. */
    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        setDefault("org.slf4j.simpleLogger.defaultLogLevel", System.getenv().getOrDefault("LOG_LEVEL", "info"));
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    static String help() {
        StringBuilder b = new StringBuilder();
        b.append("""
                prisma-launcher %s: resolve failed Prisma migrations, deploy, then exec the app.

                Usage:
                  prisma-launcher run [options] [--] COMMAND [ARG...]   migrate, then execvp COMMAND (same PID)
                  prisma-launcher migrate [options]                      migrate only (release phase, Kubernetes Job)
                  prisma-launcher status [--json] [options]              report; changes nothing
                  prisma-launcher --help | --version

                Settings (environment variable, or the flag; flags win):
                """.formatted(version()));
        for (Setting s : Setting.values()) {
            b.append(String.format("  %-27s %-26s %s%n", s.env(), s.flag() + (s.isBoolean() ? "" : " " + s.valueName()), s.description()));
        }
        b.append("""

                Exit codes:
                  0   success; for status: up to date
                  1   unexpected internal error
                  2   usage or configuration error (nothing was touched)
                  3   database unreachable
                  4   failed migration(s) present and not resolved
                  5   prisma migrate deploy failed
                  6   status only: pending migrations, none failed
                  7   a lock could not be taken in time
                  128+N  stopped by signal N
                After `run` has exec'd the app, the exit code is the app's own.
                """);
        return b.toString();
    }

    private Main() {}
}
