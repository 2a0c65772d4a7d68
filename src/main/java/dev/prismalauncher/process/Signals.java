package dev.prismalauncher.process;

import java.util.List;

/**
 * The signals the launcher sends, blocks or handles, by number and name: one table for exec, the
 * child process and the stop handlers. Linux's numbers, the same on x86_64 and aarch64. Constants
 * only, so that using them costs no class loading (exec's warm-up stays cheap).
 */
public final class Signals {
    public static final int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGTERM = 15, SIGCONT = 18, SIGSTOP = 19, SIGWINCH = 28;

    /** What stops the launcher before exec (exit 128+N), lowest first. */
    static final List<Integer> STOP = List.of(SIGHUP, SIGINT, SIGTERM);

    /** The name without "SIG", as {@code sun.misc.Signal} takes it and the log line writes it; the number for another. */
    public static String name(int number) {
        return switch (number) {
            case SIGHUP -> "HUP";
            case SIGINT -> "INT";
            case SIGKILL -> "KILL";
            case SIGTERM -> "TERM";
            case SIGCONT -> "CONT";
            case SIGSTOP -> "STOP";
            case SIGWINCH -> "WINCH";
            default -> String.valueOf(number);
        };
    }

    private Signals() {}
}
