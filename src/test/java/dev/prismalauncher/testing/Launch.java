package dev.prismalauncher.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts the launcher as a real process, the way a container would: {@code java -jar
 * target/prisma-launcher.jar} by default, or any command given in the system property
 * {@code launcher.command} (e.g. the top-level {@code entrypoint} on the jlinked runtime).
 * Every run's output is checked for the test password.
 */
public final class Launch {
    private static final long TIMEOUT_SECONDS = 120;

    private final Path directory;
    private final Map<String, String> env = new HashMap<>();
    private boolean shippedJvm;

    public Launch(Path directory) {
        this.directory = directory;
        // a clean, container-like environment: nothing of the developer's DATABASE_URL and the like
        for (String keep : List.of("PATH", "HOME", "LANG", "TMPDIR", "PRISMA_SCHEMA_ENGINE_BINARY")) {
            String v = System.getenv(keep);
            if (v != null) {
                env.put(keep, v);
            }
        }
        env.put("CHECKPOINT_DISABLE", "1");
    }

    public Launch env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    /**
     * Runs the launcher with the JVM flags it ships with (src/main/dist/jvm.args: heap, stack, GC), as the
     * entrypoint does: memory limits are tested as shipped. The entrypoint launch form uses them already.
     */
    public Launch shippedJvm() {
        this.shippedJvm = true;
        return this;
    }

    public Path directory() {
        return directory;
    }

    public Map<String, String> environment() {
        return Map.copyOf(env);
    }

    /**
     * Whether the tests run through another start command ({@code -Dlauncher.command}, scripts/test's second
     * pass through the shipped entrypoint): cases where the launch form changes nothing run on the first pass only.
     */
    public static boolean customLaunchForm() {
        String custom = System.getProperty("launcher.command");
        return custom != null && !custom.isBlank();
    }

    /** The command that starts the launcher under test. */
    public static List<String> launcherCommand() {
        String custom = System.getProperty("launcher.command");
        if (custom != null && !custom.isBlank()) {
            return List.of(custom.strip().split("\\s+"));
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String jar = System.getProperty("launcher.jar", "target/prisma-launcher.jar");
        return List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                Path.of(jar).toAbsolutePath().toString());
    }

    /** {@link #launcherCommand()}, the jar form given the shipped JVM flags (an argument file, as the entrypoint passes them). */
    private static List<String> shippedCommand() {
        List<String> command = launcherCommand();
        if (System.getProperty("launcher.command") != null && !System.getProperty("launcher.command").isBlank()) {
            return command; // the entrypoint: @lib/jvm.args already
        }
        String java = command.getFirst();
        return List.of(java, "@" + Path.of("src/main/dist/jvm.args").toAbsolutePath(), "-jar", command.getLast());
    }

    /**
     * {@code command} started with HUP, INT and TERM at their default dispositions, whatever the shell
     * that started the suite ignores (a backgrounded or nohup run ignores INT and HUP, and children
     * inherit that): the tests' outcome must not depend on how they were started. {@code env} execs
     * the command, so the PID stays the command's.
     */
    public static List<String> withDefaultSignals(List<String> command) {
        List<String> wrapped = new ArrayList<>(List.of("env", "--default-signal=HUP,INT,TERM"));
        wrapped.addAll(command);
        return wrapped;
    }

    public Result run(String... args) {
        List<String> command = new ArrayList<>(shippedJvm ? shippedCommand() : launcherCommand());
        command.addAll(List.of(args));
        return exec(command);
    }

    public Process start(String... args) {
        List<String> command = new ArrayList<>(shippedJvm ? shippedCommand() : launcherCommand());
        command.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(withDefaultSignals(command)).directory(directory.toFile());
        b.environment().clear();
        b.environment().putAll(env);
        try {
            return b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs any command with this launch's directory and environment. */
    public Result exec(List<String> command) {
        Process p;
        ProcessBuilder b = new ProcessBuilder(withDefaultSignals(command)).directory(directory.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        b.environment().clear();
        b.environment().putAll(env);
        try {
            p = b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return finish(p, String.join(" ", command));
    }

    public static Result finish(Process p, String what) {
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + what + "\nstderr:\n" + err.getNow(""));
            }
            Result r = new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS), p.pid());
            r.assertNoSecrets();
            return r;
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e);
        }
    }

    /**
     * Each stream on a thread of its own: on the common pool (one worker on 2 cores) stderr was read
     * only once stdout ended, so a launch that logs more than a pipe holds (64 KiB) blocked forever.
     */
    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, task -> Thread.ofPlatform().daemon().name("launch-output").start(task));
    }

    /** A finished run. */
    public record Result(int exit, String stdout, String stderr, long pid) {
        public void assertNoSecrets() {
            // the whole password and its distinctive pieces: a mis-parsed URL leaks parts, not the whole
            for (String secret : List.of(TestDatabase.PASSWORD, TestDatabase.PASSWORD_ENCODED, "SECRET", "Pw-7x")) {
                assertFalse(stdout.contains(secret) || stderr.contains(secret), "the test password leaked:\n" + this);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** Writes an executable shell script (for stand-in apps and Prisma commands). */
    public static Path script(Path path, String body) {
        try {
            Files.createDirectories(path.getParent());
            Files.writeString(path, "#!/bin/sh\n" + body + "\n");
            path.toFile().setExecutable(true);
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
