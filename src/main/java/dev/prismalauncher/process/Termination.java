package dev.prismalauncher.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM, SIGINT and SIGHUP before exec, in any phase: stop the Prisma process group if one runs,
 * close the database connections (which releases our session locks at once), never exec the app,
 * exit 128+N. Kubernetes sends SIGKILL 30 s after SIGTERM; stopping takes at most the child's grace.
 * HUP too: a launcher that is not PID 1 (a shell wrapper, a release phase, CI) gets it when its
 * terminal or parent goes, and must not leave Prisma migrating unsupervised.
 *
 * <p>sun.misc.Signal (module jdk.unsupported) rather than a shutdown hook: a hook cannot tell
 * which signal arrived, and the exec gate below must be decided before the JVM starts exiting.
 */
public final class Termination {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    private static final Object GATE = new Object();
    private static final Set<AutoCloseable> RESOURCES = new LinkedHashSet<>();
    private static final Set<String> STOP_HANDLERS = Set.copyOf(Signals.STOP.stream().map(n -> "SIG" + Signals.name(n) + " handler").toList());
    private static final Signal FLUSH_SIGNAL = new Signal(Signals.name(Signals.SIGWINCH)); // harmless: its default action is to ignore it
    private static final long FLUSH_WAIT_MILLIS = 2000;
    private static volatile boolean stopping;
    private static volatile boolean flushable;
    private static final long SECOND_FLUSH_MILLIS = 3;
    private static long flushesAnswered; // guarded by FLUSH
    private static boolean stopSeenByFlush; // guarded by FLUSH
    private static final Object FLUSH = new Object();

    /** Installs the TERM, INT and HUP handlers (and exec's flush signal); done once at start-up. */
    public static void install() {
        for (int number : Signals.STOP) {
            Signal.handle(new Signal(Signals.name(number)), s -> stop(s.getNumber()));
        }
        try {
            Signal.handle(FLUSH_SIGNAL, s -> {
                boolean seen = stopping || stopHandlerAlive();
                synchronized (FLUSH) {
                    flushesAnswered++;
                    stopSeenByFlush |= seen;
                    FLUSH.notifyAll();
                }
            });
            flushable = true;
        } catch (IllegalArgumentException e) {
            // a JVM that keeps WINCH for itself: exec then relies on the GATE alone
        }
    }

    private static void stop(int number) {
        List<AutoCloseable> open;
        synchronized (GATE) {
            if (stopping) {
                return;
            }
            stopping = true;
            open = new ArrayList<>(RESOURCES);
        }
        logStop(number);
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

    /** The one line a stop signal writes, from the JVM's handler or taken at exec. */
    private static void logStop(int number) {
        String name = Signals.name(number);
        log.atWarn().addKeyValue("event", "signal").addKeyValue("signal", "SIG" + name)
                .log("received SIG{}: stopping without starting the app", name);
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

    /** Something started by {@link #startAndCloseOnStop}: a child process, say. */
    @FunctionalInterface
    public interface Start<T extends AutoCloseable> {
        T start() throws IOException;
    }

    /**
     * Starts something and registers it for stopping in one step: a signal is handled either before
     * the start (nothing is started, this never returns) or after the registration (it is stopped).
     */
    public static <T extends AutoCloseable> T startAndCloseOnStop(Start<T> start) throws IOException {
        synchronized (GATE) {
            if (!stopping) {
                T started = start.start();
                RESOURCES.add(started);
                return started;
            }
        }
        park();
        return null; // unreachable
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

    /**
     * Execs the prepared command unless a stop signal came first: then the launcher exits 128+N and the
     * app never starts. No moment loses a signal: (1) HUP, INT and TERM are blocked in this thread and
     * their handlers replaced by the default action (as PID 1, where the kernel drops those, by _exit),
     * so from here on one either ends the process or waits, blocked, for the check below; (2) one the
     * JVM's handler took earlier is flushed out: the JVM dispatches pending signals lowest number first,
     * so once WINCH (28), raised now, reaches Java, any earlier HUP (1), INT (2) or TERM (15) has had its
     * handler thread started; if so, that handler decides (128+N) and this thread waits; (3) one pending
     * for this thread is taken without waiting: exit 128+N; (4) the mask is emptied and execvp runs:
     * from here a signal ends the launcher by its default action, or, once exec is done, reaches the app.
     * Returns only if exec failed: its errno.
     */
    public static int exec(Exec.Prepared prepared) {
        boolean stopped;
        synchronized (GATE) {
            stopped = stopping;
            if (!stopped) {
                Exec.blockStopSignals(prepared);
                Exec.stopSignalsEndTheProcess(prepared);
            }
        }
        if (stopped || stopSignalTakenByJvm()) {
            park(); // its handler exits 128+N
        }
        int pending = Exec.takePendingStopSignal(prepared);
        if (pending > 0) {
            logStop(pending);
            System.err.flush();
            Runtime.getRuntime().halt(128 + pending); // nothing is open any more; the handlers are gone anyway
        }
        return Exec.execNow(prepared);
    }

    /** Whether a stop signal reached the JVM's handler before the handlers were replaced (see {@link #exec}). */
    private static boolean stopSignalTakenByJvm() {
        if (!flushable) {
            return stopping;
        }
        // A signal the kernel handed to another thread just before the handlers were replaced may still be
        // inside the JVM's native handler (that thread preempted before it records the signal): the first
        // flush can overtake it. A second flush a few milliseconds later lets such a handler finish.
        // This narrows that window to a handler preempted for longer; it does not close it (see README).
        if (flushOnce()) {
            return true;
        }
        try {
            Thread.sleep(SECOND_FLUSH_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return flushOnce();
    }

    private static boolean flushOnce() {
        long asked;
        synchronized (FLUSH) {
            asked = flushesAnswered;
        }
        Signal.raise(FLUSH_SIGNAL);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FLUSH_WAIT_MILLIS);
        synchronized (FLUSH) {
            while (flushesAnswered == asked) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break; // the JVM's dispatcher did not answer: exec rather than hang
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(FLUSH, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return stopSeenByFlush || stopping;
        }
    }

    /** Runs on a signal handler thread: whether a stop signal's handler thread (same thread group) is alive. */
    private static boolean stopHandlerAlive() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        Thread[] threads = new Thread[group.activeCount() + 16];
        int n = group.enumerate(threads, false);
        for (int i = 0; i < n; i++) {
            if (STOP_HANDLERS.contains(threads[i].getName()) && threads[i].isAlive()) {
                return true;
            }
        }
        return false;
    }

    /** Warms the flush path (a signal through the JVM's dispatcher and a handler thread) off the critical path. */
    public static void warmUp() {
        if (flushable) Signal.raise(FLUSH_SIGNAL);
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
