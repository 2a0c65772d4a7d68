package dev.prismalauncher.process;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * Undoes, just before exec, what the entrypoint set for the launcher alone: where no locale was
 * set it exports LC_CTYPE=C.UTF-8 (so the JVM decodes arguments and file names as UTF-8) and marks
 * that with {@link #MARKER}. The app gets the environment the container gave, not ours.
 */
@SuppressWarnings("restricted") // unsetenv through the FFM API, like Exec
public final class AppEnvironment {
    public static final String MARKER = "PRISMA_LAUNCHER_SET_LC_CTYPE";

    private AppEnvironment() {}

    /** Removes LC_CTYPE and the marker from {@code environ} (which execvp passes on) if the entrypoint set them. */
    public static void restore() {
        if (!"1".equals(System.getenv(MARKER))) {
            return; // nothing of ours: the common case costs no downcall
        }
        MethodHandle unsetenv = Libc.fn("unsetenv", FunctionDescriptor.of(Libc.INT, Libc.PTR));
        try (Arena arena = Arena.ofConfined()) {
            for (String name : new String[] {"LC_CTYPE", MARKER}) {
                int ignored = (int) unsetenv.invokeExact(arena.allocateFrom(name));
            }
        } catch (Throwable t) {
            throw new IllegalStateException("unsetenv failed", t);
        }
    }
}
