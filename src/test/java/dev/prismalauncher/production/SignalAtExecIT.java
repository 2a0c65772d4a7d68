package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A stop signal at any moment around exec is never lost: sent after the {@code exec} log line with a
 * sweep of delays (0 to 10 ms, through the moment the app replaces the JVM), HUP, INT and TERM in
 * turn, each try ends with the launcher stopped (128+N, no app) or the app having got the signal
 * (its trap ran, or it died of it). Never an app running on unaware.
 *
 * <p>As PID 1 of a PID namespace the kernel drops a signal whose action is the default; an app
 * that has not installed its handler yet cannot be told (that is what an init is for), and a signal
 * that lands once execve has begun (the kernel is ending the JVM's other threads) stays pending into
 * the app and meets its default handlers. So there, only signals delivered while the process was
 * still the JVM outside execve would be held to the rule, but execve's first microseconds (the exec
 * thread on a CPU, the JVM's other threads not yet ended) look the same from /proc. So there a try is
 * judged when the process was seen as the JVM outside execve once kill returned and again 2 ms later
 * (the launcher had the signal and time to act on it); the others are counted and reported. The plain
 * form runs the same launcher code and judges every try. Bounded:
 * at most {@link #TRIES} tries and {@link #BUDGET} per form.
 */
class SignalAtExecIT {
    static final int TRIES = 40;
    // in full through the jar, briefly through the entrypoint (CI runs every IT in both forms)
    static final Duration BUDGET = Duration.ofSeconds(System.getProperty("launcher.command", "").isBlank() ? 25 : 10);
    static final String[] SIGNALS = {"TERM", "INT", "HUP"};
    static final int[] NUMBERS = {15, 2, 1};

    @TempDir
    Path dir;
    private Killer killer;

    enum Outcome { STOPPED, REACHED_APP, AFTER_EXEC_DROPPED, UNCLEAR_PID1, LOST }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aStopSignalAroundExecIsNeverLost(boolean asPid1) throws Exception {
        Path app = Launch.script(dir.resolve("app.sh"), """
                trap 'echo HUP > "$MARKS/signalled"; exit 0' HUP
                trap 'echo INT > "$MARKS/signalled"; exit 0' INT
                trap 'echo TERM > "$MARKS/signalled"; exit 0' TERM
                echo started > "$MARKS/started"
                i=0
                while [ $i -lt 20 ]; do sleep 0.05; i=$((i+1)); done
                echo unaware > "$MARKS/unaware"
                """);
        int[] counts = new int[Outcome.values().length];
        killer = new Killer(); // closed below; the sweep's failures are collected, not thrown
        List<String> lost = new ArrayList<>();
        long start = System.nanoTime();
        int tries = 0;
        while (tries < TRIES && System.nanoTime() - start < BUDGET.toNanos()) {
            int which = tries % SIGNALS.length;
            long delayMicros = tries * 250L; // 0 to 10 ms after the exec line
            Path marks = Files.createDirectories(dir.resolve("try-" + tries));
            Outcome o = attempt(asPid1, app, marks, SIGNALS[which], NUMBERS[which], delayMicros, lost);
            counts[o.ordinal()]++;
            tries++;
        }
        killer.close();
        String summary = (asPid1 ? "as PID 1" : "as a plain process") + ": " + tries + " tries in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms: stopped " + counts[Outcome.STOPPED.ordinal()]
                + ", reached the app " + counts[Outcome.REACHED_APP.ordinal()] + ", in or after exec as PID 1 (not judged) "
                + counts[Outcome.AFTER_EXEC_DROPPED.ordinal()] + ", dropped as PID 1 with the JVM seemingly before execve (not judged) "
                + counts[Outcome.UNCLEAR_PID1.ordinal()] + ", lost " + counts[Outcome.LOST.ordinal()];
        System.out.println("SignalAtExecIT " + summary);
        assertEquals(List.of(), lost, summary);
        assertTrue(tries >= 10, "too few tries to mean anything: " + summary);
        assertTrue(counts[Outcome.STOPPED.ordinal()] > 0, "no try landed before exec: the sweep missed the window: " + summary);
    }

    private Outcome attempt(boolean asPid1, Path app, Path marks, String signal, int number, long delayMicros, List<String> lost)
            throws Exception {
        Launch launch = new Launch(marks).env("SKIP_MIGRATIONS", "1").env("MARKS", marks.toString());
        Process p = start(launch, asPid1, "run", "--", app.toString());
        StringBuilder err = new StringBuilder();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        long pid = -1;
        String line;
        // read here, not through a polling pump: the signal must follow the exec line within microseconds
        while ((line = lines.readLine()) != null) {
            err.append(line).append('\n');
            if (pid < 0) {
                pid = asPid1 ? p.children().findFirst().map(ProcessHandle::pid).orElse(-1L) : p.pid();
            }
            if (line.contains(" exec ")) {
                break;
            }
        }
        if (line == null) {
            throw new AssertionError("no exec line:\n" + err);
        }
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(delayMicros));
        killer.signal(signal, pid);
        boolean stillJvm = !inExecOrLater(pid); // delivered to the JVM, before exec
        // and still the JVM, outside execve, 2 ms later: the signal was the launcher's to act on
        long launcher = pid;
        boolean stillJvmLater = stillJvm && sleepThen(() -> !inExecOrLater(launcher));
        Thread.ofPlatform().daemon().start(() -> {
            try {
                lines.transferTo(Writer.nullWriter());
            } catch (IOException e) {
                // gone
            }
        });
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("still running 30 s after SIG" + signal);
        }
        int exit = p.exitValue();
        boolean started = Files.exists(marks.resolve("started")), signalled = Files.exists(marks.resolve("signalled"));
        if (signalled) {
            return Outcome.REACHED_APP;
        }
        // as PID 1, a signal in the last microseconds before execve ends the launcher through _exit(N)
        boolean stoppedCode = exit == 128 + number || (asPid1 && exit == number);
        if (stoppedCode && !Files.exists(marks.resolve("unaware"))) {
            return started ? Outcome.REACHED_APP : Outcome.STOPPED; // started: the app died of it
        }
        if (asPid1) {
            // In exec, or in its first microseconds (still all the JVM's threads, one of them in execve
            // but on a CPU, where /proc cannot tell): the pending signal meets the app's default
            // handlers and, for PID 1, the kernel drops it. The plain form holds the same code to the rule.
            if (!stillJvmLater) {
                return stillJvm ? Outcome.UNCLEAR_PID1 : Outcome.AFTER_EXEC_DROPPED;
            }
        }
        lost.add("SIG" + signal + " after " + delayMicros + " us: exit " + exit + ", app started " + started
                + ", delivered to the JVM " + stillJvm + "\n" + err);
        return Outcome.LOST;
    }

    /** A shell whose builtin kill sends signals on request: no fork between the decision and the signal. */
    private static final class Killer implements AutoCloseable {
        private final Process shell;
        private final BufferedReader acks;

        Killer() throws IOException {
            shell = new ProcessBuilder("sh", "-c", "while read -r s p; do kill -s \"$s\" \"$p\"; echo sent; done")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            acks = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
        }

        void signal(String name, long pid) throws IOException {
            shell.getOutputStream().write((name + " " + pid + "\n").getBytes(StandardCharsets.US_ASCII));
            shell.getOutputStream().flush();
            if (!"sent".equals(acks.readLine())) {
                throw new AssertionError("the kill helper died");
            }
        }

        @Override
        public void close() {
            shell.destroyForcibly();
        }
    }

    /**
     * Whether the process has entered execve (a thread of it is in that system call: the kernel is
     * stopping the JVM's other threads) or is the app already. A signal landing then stays pending
     * into the app, which as PID 1 drops it while its handlers are still the defaults.
     */
    private static boolean inExecOrLater(long pid) {
        if (!comm(pid).equals("java")) {
            return true;
        }
        String execve = "aarch64".equals(System.getProperty("os.arch")) ? "221 " : "59 ";
        try (var list = Files.list(Path.of("/proc/" + pid + "/task"))) {
            List<Path> tasks = list.toList();
            if (tasks.size() <= 1) {
                return true; // a JVM has many threads: one left is execve's, past ending the others
            }
            for (Path task : tasks) {
                try {
                    if (Files.readString(task.resolve("syscall")).startsWith(execve)) {
                        return true;
                    }
                } catch (IOException exited) {
                    // a thread the exec has already ended
                }
            }
        } catch (IOException gone) {
            return true;
        }
        return false;
    }

    private static boolean sleepThen(java.util.function.BooleanSupplier check) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        return check.getAsBoolean();
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        } catch (IOException gone) {
            return "";
        }
    }

    private static Process start(Launch launch, boolean asPid1, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (asPid1) {
            command.addAll(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        }
        command.addAll(Launch.launcherCommand());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(Launch.withDefaultSignals(command)).directory(launch.directory().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        b.environment().clear();
        b.environment().putAll(launch.environment());
        return b.start();
    }
}
