package dev.prismalauncher.process;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT before exec, in any phase: stop the Prisma process group if one runs, close
 * the database connections (which releases our session locks at once), never exec the app, exit
 * 128+N. Kubernetes sends SIGKILL 30 s after SIGTERM; stopping takes at most the child's grace.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) rather than a shutdown hook: a hook cannot tell
 * which signal arrived, and the exec gate below must be decided before the JVM starts exiting.
 */
public final class Termination {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    private static final Object GATE = new Object();
    private static final Set<AutoCloseable> RESOURCES = new LinkedHashSet<>();
    private static volatile boolean stopping;

    /** Installs the TERM and INT handlers; done once at start-up. */
    public static void install() {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), s -> stop(s.getNumber(), s.getName()));
        }
    }

    private static void stop(int number, String name) {
        List<AutoCloseable> open;
        synchronized (GATE) {
            if (stopping) {
                return;
            }
            stopping = true;
            open = new ArrayList<>(RESOURCES);
        }
        log.atWarn().addKeyValue("event", "signal").addKeyValue("signal", "SIG" + name)
                .log("received SIG{}: stopping without starting the app", name);
        // newest first: the Prisma process before the connection whose lock it runs under
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // stopping anyway; the server drops a dead session's locks too
            }
        }
        System.err.flush();
        System.exit(128 + number);
    }

    /** Registers something to close when a signal stops the launcher (a connection, a child process). */
    public static void closeOnStop(AutoCloseable resource) {
        synchronized (GATE) {
            if (!stopping) {
                RESOURCES.add(resource);
                return;
            }
        }
        park();
    }

    public static void forget(AutoCloseable resource) {
        synchronized (GATE) {
            RESOURCES.remove(resource);
        }
    }

    /** Sleeps; once stopping has begun, never returns (the JVM is about to exit). */
    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopping) {
            park();
        }
    }

    /** Runs the exec unless a stop has begun; a signal arriving meanwhile waits for exec's outcome. */
    public static int exec(IntSupplier exec) {
        synchronized (GATE) {
            if (!stopping) {
                return exec.getAsInt();
            }
        }
        park();
        return -1; // unreachable
    }

    public static boolean stopping() {
        return stopping;
    }

    /** Once a signal is being handled, the handler decides the exit code: the caller waits for it. */
    public static void parkIfStopping() {
        if (stopping) {
            park();
        }
    }

    public static void exitUnlessStopping(int code) {
        parkIfStopping();
        System.exit(code);
    }

    private static void park() {
        while (true) {
            LockSupport.park();
        }
    }

    private Termination() {}
}
