package dev.prismalauncher;

/** The launcher's exit codes: the contract with users, scripts and orchestrators (README, --help). */
public final class ExitCode {
    public static final int OK = 0;
    public static final int INTERNAL = 1;
    public static final int USAGE = 2;
    public static final int UNREACHABLE = 3;
    public static final int FAILED_MIGRATIONS = 4;
    public static final int DEPLOY_FAILED = 5;
    public static final int PENDING = 6;
    public static final int LOCK_TIMEOUT = 7;

    /** What a shell reports for a process ended by signal N. */
    public static int signal(int signal) {
        return 128 + signal;
    }

    private ExitCode() {}
}
