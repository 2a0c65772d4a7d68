package dev.prismalauncher.process;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process in a process group of its own, started with {@code posix_spawnp(3)} through
 * java.lang.foreign (Linux, glibc, x86_64 / aarch64). ProcessBuilder cannot do this, and without it
 * a timeout or our own termination could only reach the direct child (npx), not what it started
 * (node, the schema engine). The child gets: stdin from /dev/null, stdout and stderr into one pipe
 * ({@link #output()}), fds 0-2 only, an empty signal mask, every signal at its default disposition,
 * our environment plus the given variables, our working directory.
 */
@SuppressWarnings("restricted") // native access is the point of this class (jar has Enable-Native-Access)
public final class ChildProcess implements AutoCloseable {

    private static final int ESRCH = 3, EINTR = 4, EPERM = 1; // same on x86_64 and aarch64
    private static final int O_RDONLY = 0, O_CLOEXEC = 0x80000; // 02000000 on x86_64 and aarch64
    private static final int WNOHANG = 1;
    // glibc's spawn.h
    private static final short POSIX_SPAWN_SETPGROUP = 0x02, POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    // glibc: posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80, sigset_t 128 (1024 bits).
    // Generous room; the _init functions fill them in.
    private static final long SPAWN_STRUCT_SIZE = 1024, SIGSET_SIZE = 128;
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 20;
    // after SIGKILL, only whoever reaps the orphans (init, or us) stands between us and an empty group
    private static final long AFTER_KILL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private static final StructLayout CAPTURE = Libc.CAPTURE;
    private static final ValueLayout.OfInt INT = Libc.INT;
    private static final AddressLayout PTR = Libc.PTR;
    private static final Linker.Option ERRNO_STATE = Libc.ERRNO_STATE;

    private static final MethodHandle PIPE2 = Libc.fn("pipe2", FunctionDescriptor.of(INT, PTR, INT), ERRNO_STATE);
    private static final MethodHandle CLOSE = Libc.fn("close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle KILL = Libc.fn("kill", FunctionDescriptor.of(INT, INT, INT), ERRNO_STATE);
    private static final MethodHandle WAITPID = Libc.fn("waitpid", FunctionDescriptor.of(INT, INT, PTR, INT), ERRNO_STATE);
    // The posix_spawn family returns the error number instead of setting errno.
    private static final MethodHandle SPAWNP = Libc.fn("posix_spawnp", FunctionDescriptor.of(INT, PTR, PTR, PTR, PTR, PTR, PTR));
    private static final MethodHandle ATTR_INIT = Libc.fn("posix_spawnattr_init", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle ATTR_DESTROY = Libc.fn("posix_spawnattr_destroy", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle ATTR_SETFLAGS = Libc.fn("posix_spawnattr_setflags", FunctionDescriptor.of(INT, PTR, ValueLayout.JAVA_SHORT));
    private static final MethodHandle ATTR_SETPGROUP = Libc.fn("posix_spawnattr_setpgroup", FunctionDescriptor.of(INT, PTR, INT));
    private static final MethodHandle ATTR_SETSIGMASK = Libc.fn("posix_spawnattr_setsigmask", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle ATTR_SETSIGDEFAULT = Libc.fn("posix_spawnattr_setsigdefault", FunctionDescriptor.of(INT, PTR, PTR));
    private static final MethodHandle FA_INIT = Libc.fn("posix_spawn_file_actions_init", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle FA_DESTROY = Libc.fn("posix_spawn_file_actions_destroy", FunctionDescriptor.of(INT, PTR));
    private static final MethodHandle FA_ADDOPEN = Libc.fn("posix_spawn_file_actions_addopen", FunctionDescriptor.of(INT, PTR, INT, PTR, INT, INT));
    private static final MethodHandle FA_ADDDUP2 = Libc.fn("posix_spawn_file_actions_adddup2", FunctionDescriptor.of(INT, PTR, INT, INT));
    // glibc >= 2.34. Without it, the JVM's own fds (mostly not close-on-exec) would leak into the child.
    private static final Optional<MethodHandle> FA_ADDCLOSEFROM =
            Libc.find("posix_spawn_file_actions_addclosefrom_np", FunctionDescriptor.of(INT, PTR, INT));

    private final int pid;
    private final InputStream output;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    // Set once kill(-pid, ...) said ESRCH: the group is empty for good, and its number may be reused.
    private volatile boolean groupGone;

    private ChildProcess(int pid, InputStream output) {
        this.pid = pid;
        this.output = output;
        // Reap the leader as soon as it exits: its status is captured once, and no zombie is left.
        Thread.ofPlatform().daemon().name("child-reaper-" + pid).start(this::reap);
    }

    /**
     * Starts {@code command} (PATH lookup in our own PATH, as posix_spawnp does) as the leader of a new
     * process group. {@code extraEnv} is added to our environment, replacing variables of the same name;
     * a null value removes the variable.
     *
     * @throws IOException when the program cannot be started, e.g. {@code cannot start "npx": No such file or directory}
     */
    public static ChildProcess start(List<String> command, Map<String, String> extraEnv) throws IOException {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        for (String arg : command) {
            if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL character in argument: " + arg);
        }
        Map<String, String> env = new TreeMap<>(System.getenv());
        extraEnv.forEach((name, value) -> {
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name: \"" + name + "\"");
            }
            if (value == null) {
                env.remove(name);
            } else if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL character in the value of " + name);
            } else {
                env.put(name, value);
            }
        });
        String file = command.getFirst();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment argv = arena.allocate(PTR, command.size() + 1L); // zeroed: trailing NULL
            for (int i = 0; i < command.size(); i++) argv.setAtIndex(PTR, i, arena.allocateFrom(command.get(i)));
            MemorySegment envp = arena.allocate(PTR, env.size() + 1L);
            int n = 0;
            for (Map.Entry<String, String> e : env.entrySet()) {
                envp.setAtIndex(PTR, n++, arena.allocateFrom(e.getKey() + "=" + e.getValue()));
            }

            // Close-on-exec: neither end may leak into children started concurrently (ours or ProcessBuilder's).
            MemorySegment fds = arena.allocate(INT, 2);
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) PIPE2.invokeExact(state, fds, O_CLOEXEC) != 0) {
                throw new IOException("cannot start \"" + file + "\": pipe2: " + Libc.strerror(Libc.errno(state)));
            }
            int readFd = fds.getAtIndex(INT, 0), writeFd = fds.getAtIndex(INT, 1);
            // The read end as a plain FileInputStream: Java cannot wrap a raw fd, but it can open the pipe
            // again through /proc; then the raw fd is no longer needed.
            FileInputStream in;
            try {
                in = new FileInputStream("/proc/self/fd/" + readFd);
            } catch (IOException e) {
                close(writeFd);
                throw new IOException("cannot start \"" + file + "\": cannot open its output pipe: " + e.getMessage(), e);
            } finally {
                close(readFd);
            }

            MemorySegment pidOut = arena.allocate(INT);
            int rc;
            try {
                rc = spawn(arena, file, argv, envp, writeFd, pidOut);
            } catch (Throwable t) {
                in.close();
                throw t;
            } finally {
                close(writeFd); // the child has its copies (1 and 2); EOF comes when they are all closed
            }
            if (rc != 0) {
                in.close();
                throw new IOException("cannot start \"" + file + "\": " + Libc.strerror(rc));
            }
            return new ChildProcess(pidOut.get(INT, 0), in);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("start of \"" + file + "\" failed unexpectedly", t);
        }
    }

    /** posix_spawnp with our attributes and file actions; returns its error number (0: started). */
    private static int spawn(Arena arena, String file, MemorySegment argv, MemorySegment envp, int writeFd,
                             MemorySegment pidOut) throws Throwable {
        MemorySegment attr = arena.allocate(SPAWN_STRUCT_SIZE, 16);
        MemorySegment actions = arena.allocate(SPAWN_STRUCT_SIZE, 16);
        check("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(attr));
        try {
            check("posix_spawn_file_actions_init", (int) FA_INIT.invokeExact(actions));
            try {
                // pgroup 0: the child becomes the leader of a new group (pgid == pid), set before exec.
                check("posix_spawnattr_setpgroup", (int) ATTR_SETPGROUP.invokeExact(attr, 0));
                // JVM threads block some signals (e.g. SIGQUIT), and the mask survives exec.
                MemorySegment emptySet = arena.allocate(SIGSET_SIZE, 8);
                check("posix_spawnattr_setsigmask", (int) ATTR_SETSIGMASK.invokeExact(attr, emptySet));
                // Inherited SIG_IGN survives exec too: every signal 1..64 back to default. Bits set directly,
                // as glibc's sigaddset refuses its reserved 32 and 33; KILL and STOP cannot be changed anyway.
                MemorySegment allSignals = arena.allocate(SIGSET_SIZE, 8);
                allSignals.set(ValueLayout.JAVA_LONG, 0, ~0L & ~(1L << (Signals.SIGKILL - 1)) & ~(1L << (Signals.SIGSTOP - 1)));
                check("posix_spawnattr_setsigdefault", (int) ATTR_SETSIGDEFAULT.invokeExact(attr, allSignals));
                short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
                check("posix_spawnattr_setflags", (int) ATTR_SETFLAGS.invokeExact(attr, flags));

                check("posix_spawn_file_actions_addopen",
                        (int) FA_ADDOPEN.invokeExact(actions, 0, arena.allocateFrom("/dev/null"), O_RDONLY, 0));
                // dup2 clears close-on-exec on the copies.
                check("posix_spawn_file_actions_adddup2", (int) FA_ADDDUP2.invokeExact(actions, writeFd, 1));
                check("posix_spawn_file_actions_adddup2", (int) FA_ADDDUP2.invokeExact(actions, writeFd, 2));
                if (FA_ADDCLOSEFROM.isPresent()) {
                    check("posix_spawn_file_actions_addclosefrom_np", (int) FA_ADDCLOSEFROM.get().invokeExact(actions, 3));
                }
                return (int) SPAWNP.invokeExact(pidOut, arena.allocateFrom(file), actions, attr, argv, envp);
            } finally {
                int ignored = (int) FA_DESTROY.invokeExact(actions);
            }
        } finally {
            int ignored = (int) ATTR_DESTROY.invokeExact(attr);
        }
    }

    private static void check(String function, int rc) throws IOException {
        if (rc != 0) throw new IOException(function + " failed: " + Libc.strerror(rc));
    }

    /** The child's pid, which is also its process group id. */
    public long pid() {
        return pid;
    }

    /** The child's stdout and stderr, merged; EOF once every process holding them has closed them. */
    public InputStream output() {
        return output;
    }

    /** Sends {@code signal} to every process of the child's group; nothing if the group is gone. */
    public void signalGroup(int signal) {
        int errno = kill(-pid, signal);
        if (errno != 0 && errno != ESRCH) {
            throw new IllegalStateException("kill(-" + pid + ", " + signal + ") failed: " + Libc.strerror(errno));
        }
    }

    /** Whether any process (a zombie included) is still in the child's group. */
    public boolean groupAlive() {
        int errno = kill(-pid, 0);
        return errno == 0 || errno == EPERM;
    }

    /** The leader's exit code (128 + signal if a signal ended it), or empty if it still runs after {@code timeout}. */
    public OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (!exit.isDone() && timeout.isPositive()) {
            try {
                exit.get(nanos(timeout), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // handled below
            }
        }
        return exit.isDone() ? OptionalInt.of(exitCode()) : OptionalInt.empty();
    }

    /**
     * TERM to the group; after {@code grace}, KILL to whatever of it remains, the leader or processes it
     * left behind. Returns the leader's exit code (143 if TERM ended it, 137 if KILL did).
     */
    public int terminate(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + nanos(grace);
        signalGroup(Signals.SIGTERM);
        waitFor(grace);
        // The leader is gone; the rest of the group gets what is left of the grace to follow it.
        while (exit.isDone() && groupRunning() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        signalGroup(Signals.SIGKILL); // harmless to zombies, nothing if the group is gone
        try {
            exit.get(); // KILL cannot be caught: no more than a moment
        } catch (ExecutionException e) {
            // exitCode() reports it
        }
        long killed = System.nanoTime();
        while (groupRunning() && System.nanoTime() - killed < AFTER_KILL_NANOS) {
            Thread.sleep(POLL_MILLIS);
        }
        return exitCode();
    }

    /** Terminates the group (short grace) if any of it still runs, then closes {@link #output()}. */
    @Override
    public void close() {
        try {
            if (!exit.isDone() || groupRunning()) terminate(CLOSE_GRACE);
        } catch (InterruptedException e) {
            signalGroup(Signals.SIGKILL);
            Thread.currentThread().interrupt();
        } finally {
            try {
                output.close();
            } catch (IOException e) {
                // nothing left to lose
            }
        }
    }

    private int exitCode() {
        try {
            return exit.join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("lost the exit status of process " + pid, e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Whether a process of the group still runs. Zombies count for kill(2) but are dead already: only
     * their reaping is missing, which is their new parent's job (init may take its time) or ours, below.
     */
    private boolean groupRunning() {
        if (exit.isDone()) reapOrphans();
        if (!groupAlive()) return false;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException exited) {
                    continue;
                }
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", 4);
                if (Integer.parseInt(fields[2]) == pid && !fields[0].equals("Z")) return true;
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return true; // no /proc to tell: assume the worst
        }
    }

    /**
     * When we are PID 1 (the usual case for an entrypoint) or a subreaper, the group's orphans become our
     * children: killed, they would stay zombies in the group (and be inherited by the app after exec).
     * Only after the leader is reaped, so its status cannot be taken from the reaper thread.
     */
    private void reapOrphans() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(INT), state = arena.allocate(CAPTURE);
            while ((int) WAITPID.invokeExact(state, -pid, status, WNOHANG) > 0) {
                // one more orphan reaped
            }
        } catch (Throwable t) {
            throw new IllegalStateException("waitpid(-" + pid + ") failed unexpectedly", t);
        }
    }

    private void reap() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(INT), state = arena.allocate(CAPTURE);
            while (true) {
                if ((int) WAITPID.invokeExact(state, pid, status, 0) == pid) {
                    int s = status.get(INT, 0);
                    // WIFEXITED ? WEXITSTATUS : 128 + WTERMSIG (stops are not reported without WUNTRACED)
                    exit.complete((s & 0x7f) == 0 ? (s >> 8) & 0xff : 128 + (s & 0x7f));
                    return;
                }
                int errno = Libc.errno(state);
                if (errno != EINTR) {
                    exit.completeExceptionally(new IllegalStateException("waitpid(" + pid + ") failed: " + Libc.strerror(errno)));
                    return;
                }
            }
        } catch (Throwable t) {
            exit.completeExceptionally(t);
        }
    }

    /** kill(2); returns 0 or errno. ESRCH is remembered: once empty, a group stays empty. */
    private int kill(int target, int signal) {
        if (groupGone) return ESRCH;
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            errno = (int) KILL.invokeExact(state, target, signal) == 0 ? 0 : Libc.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("kill failed unexpectedly", t);
        }
        // A zombie still counts as a member, so ESRCH means the leader is reaped too: from now on the
        // number could name someone else's group.
        if (errno == ESRCH) groupGone = true;
        return errno;
    }

    private static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close failed unexpectedly", t);
        }
    }

    private static long nanos(Duration d) {
        if (!d.isPositive()) return 0;
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // "forever", and still safe to add to System.nanoTime()
        }
    }

}
