package dev.prismalauncher.process;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Undoes, for the app, what the entrypoint set for the launcher alone: where no locale was set it
 * exports LC_CTYPE=C.UTF-8 (so the JVM decodes arguments and file names as UTF-8) and marks that
 * with {@link #MARKER}. The app gets the environment the container gave, not ours: {@link Exec}
 * leaves both out of the environment it passes to execve (no unsetenv: a downcall handle of its own
 * costs start-up time).
 */
public final class AppEnvironment {
    public static final String MARKER = "PRISMA_LAUNCHER_SET_LC_CTYPE";
    private static final byte[][] DROPPED = {
        "LC_CTYPE=".getBytes(StandardCharsets.US_ASCII), (MARKER + "=").getBytes(StandardCharsets.US_ASCII)};

    private AppEnvironment() {}

    /** Whether the entrypoint set LC_CTYPE for the launcher (then {@link #drops} applies). */
    static boolean setByEntrypoint() {
        return "1".equals(System.getenv(MARKER));
    }

    /** Whether an environ entry (NUL-terminated NAME=VALUE) is one the entrypoint set: every such entry, as unsetenv removes them. */
    static boolean drops(MemorySegment entry) {
        for (byte[] prefix : DROPPED) {
            if (Exec.startsWith(entry, prefix)) return true;
        }
        return false;
    }
}
