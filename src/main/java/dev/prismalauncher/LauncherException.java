package dev.prismalauncher;

/**
 * A failure with a known exit code and a message meant for the operator: it says what is wrong
 * and how to fix it. Messages must never contain a password (see {@link dev.prismalauncher.log.Secrets}).
 */
public class LauncherException extends RuntimeException {
    private final int exitCode;

    public LauncherException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LauncherException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Usage or configuration error: nothing was touched. */
    public static LauncherException usage(String message) {
        return new LauncherException(ExitCode.USAGE, message);
    }
}
