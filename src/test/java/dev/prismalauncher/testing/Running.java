package dev.prismalauncher.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A launcher process still running: its output collected as it comes, signals sent to it. */
public final class Running {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();

    public Running(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    private static void pump(InputStream in, StringBuffer into) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.append(line).append('\n');
                }
            } catch (IOException e) {
                // process gone
            }
        });
    }

    public Process process() {
        return process;
    }

    /** The launcher's own PID: the process itself, or under `unshare --fork`, its child (PID 1 inside). */
    public long launcherPid() {
        if (!ProcessHandle.of(process.pid()).flatMap(h -> h.info().command()).orElse("").endsWith("unshare")) {
            return process.pid();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            var child = process.children().findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            sleep(20);
        }
        return fail("unshare started no child");
    }

    /** Waits until stderr contains the text. */
    public void awaitStderr(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (err.indexOf(text) >= 0) {
                return;
            }
            if (!process.isAlive() && err.indexOf(text) < 0) {
                sleep(200);
                if (err.indexOf(text) >= 0) {
                    return;
                }
                fail("exited (" + process.exitValue() + ") before printing '" + text + "':\n" + err);
            }
            sleep(50);
        }
        fail("no '" + text + "' within " + timeout + ":\n" + err);
    }

    public void signal(String name) {
        signal(launcherPid(), name);
    }

    public static void signal(long pid, String name) {
        try {
            int rc = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
            if (rc != 0) {
                fail("kill -" + name + " " + pid + " failed");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the exit; the result is checked for secrets like every launch. */
    public Launch.Result await(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("still running after " + timeout + ":\n" + err);
            }
            sleep(100); // let the pumps drain
            Launch.Result r = new Launch.Result(process.exitValue(), out.toString(), err.toString(), process.pid());
            r.assertNoSecrets();
            return r;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    public String stderr() {
        return err.toString();
    }

    /**
     * PIDs of every live process whose process group is {@code pgid} (from /proc). Zombies are dead:
     * they wait for whoever reaps orphans here, which may take a second or two.
     */
    public static List<Long> processGroup(long pgid) {
        return ProcessHandle.allProcesses().filter(p -> {
            String[] stat = stat(p.pid());
            return stat != null && !stat[0].equals("Z") && Long.parseLong(stat[2]) == pgid;
        }).map(ProcessHandle::pid).toList();
    }

    /** The fields of /proc/PID/stat after the command name: state, ppid, pgrp, ... */
    private static String[] stat(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
