package dev.prismalauncher.report;

import dev.prismalauncher.config.Setting;

/** --help: the usage, every setting (generated from {@link Setting}, so the two never drift apart) and the exit codes. */
public final class Help {

    public static String text(String version) {
        StringBuilder b = new StringBuilder();
        b.append("""
                prisma-launcher %s: resolve failed Prisma migrations, deploy, then exec the app.

                Usage:
                  prisma-launcher run [options] [--] COMMAND [ARG...]   migrate, then execvp COMMAND (same PID)
                  prisma-launcher migrate [options]                      migrate only (release phase, Kubernetes Job)
                  prisma-launcher status [--json] [options]              report; changes nothing
                  prisma-launcher --help | --version

                Settings (environment variable, or the flag; flags win):
                """.formatted(version));
        for (Setting s : Setting.values()) {
            b.append(String.format("  %-27s %-33s %s%n", s.env(), s.flag() + (s.isBoolean() ? "" : " " + s.valueName()), s.description()));
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

    private Help() {}
}
