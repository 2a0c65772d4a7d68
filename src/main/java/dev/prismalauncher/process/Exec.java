package dev.prismalauncher.process;

import java.io.IOException;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Replaces the running JVM with another program the way {@code execvp(3)} does, through java.lang.foreign
 * only (Linux, glibc, x86_64 / aarch64). Same PID, same environment ({@code environ}, less what
 * {@link AppEnvironment} set for the launcher alone); the app gets the fds
 * the launcher was given ({@link StartFds}) and none of the JVM's, an empty signal mask and no
 * inherited SIG_IGN.
 *
 * <p>In two steps, so that the step after the point of no return is cheap: {@link #prepare} builds
 * everything (argv in native memory, the fd plan, the ignored signals) before it, and
 * {@link Termination#exec} then runs the few system calls of the last step. {@link #warmUp} links
 * and runs every downcall once in the background early on, so none of it is paid at exec time.
 *
 * <p>Every system call of exec goes through one downcall handle, glibc's {@code syscall(2)}: each
 * handle costs start-up CPU to link (the first ~140 ms, each further one 7-25 ms), on a 2-core
 * machine at the expense of the migration work running meanwhile. So execvp is glibc's own loop
 * ({@code posix/execvpe.c}) over the raw {@code execve}: the PATH candidates are built in
 * {@link #prepare}, the same errors skip a candidate, EACCES is reported if any candidate had it,
 * and a file the kernel will not run (ENOEXEC) is run by /bin/sh as glibc does.
 */
@SuppressWarnings("restricted") // native access is the point of this class (jar has Enable-Native-Access)
public final class Exec {

    // same on x86_64 and aarch64
    private static final int ENOENT = 2, ENOEXEC = 8, EACCES = 13, ENODEV = 19, ENOTDIR = 20, ENAMETOOLONG = 36, ETIMEDOUT = 110,
            ESTALE = 116;
    private static final int NAME_MAX = 255;
    private static final int F_SETFD = 2, FD_CLOEXEC = 1, F_GETFD = 1;
    private static final int O_RDWR = 2, O_CLOEXEC = 0x80000;
    private static final int SIG_BLOCK = 0, SIG_SETMASK = 2;
    private static final long SIG_IGN = 1;
    // glibc: sigset_t is 1024 bits; struct sigaction is 152 bytes with sa_handler at offset 0 on both arches.
    private static final long SIGSET_SIZE = 128, SIGACTION_SIZE = 256;

    // not Libc's: touching Libc (the native linker) here would make the caller of warmUp pay for it
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    /**
     * The downcall handles, linked when first used: {@link #warmUp} does that on its own thread, so
     * the caller (and Exec's own class initialisation) pays nothing for them.
     */
    private static final class Native {
        private static final StructLayout CAPTURE = Libc.CAPTURE;
        // long syscall(long number, ...), the one handle for every system call of exec (each handle costs
        // start-up time): rt_sigaction, rt_sigprocmask and rt_sigtimedwait take (long, pointer, pointer, size),
        // execve (path, argv, envp) and fcntl (fd, cmd, arg) fit the same shape. errno is captured into a
        // state segment, the first argument. Linked as the variadic function it is (firstVariadicArg): linking
        // it as a plain one would save ~8 ms but rely on ABI details the FFM API does not promise.
        private static final MethodHandle SYSCALL = Libc.fn("syscall",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, PTR, PTR, ValueLayout.JAVA_LONG),
                Libc.ERRNO_STATE, Linker.Option.firstVariadicArg(1));
        private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));
        private static final long SYS_RT_SIGACTION = AARCH64 ? 134 : 13, SYS_RT_SIGPROCMASK = AARCH64 ? 135 : 14,
                SYS_RT_SIGTIMEDWAIT = AARCH64 ? 137 : 128, SYS_EXECVE = AARCH64 ? 221 : 59, SYS_FCNTL = AARCH64 ? 25 : 72;
        private static final MemorySegment F_SETFD_ARG = MemorySegment.ofAddress(F_SETFD), CLOEXEC_ARG = MemorySegment.ofAddress(FD_CLOEXEC),
                F_GETFD_ARG = MemorySegment.ofAddress(F_GETFD);
        private static final long KERNEL_SIGSET_SIZE = 8;
        // The kernel's struct sigaction: handler at 0, flags at 8 on both; x86_64 has the restorer at 16 and
        // wants one (SA_RESTORER) for any handler; aarch64 returns through its vDSO.
        private static final long SA_RESTORER = 0x04000000;
        // void _exit(int) has a signal handler's signature: handler N exits with status N at once (and never
        // returns, so it is its own restorer).
        private static final MemorySegment EXIT_NOW = Libc.LINKER.defaultLookup().find("_exit").orElseThrow();
        // char **environ, the variable itself: execvp passes it on; unsetenv would cost a handle of its own
        private static final MemorySegment ENVIRON = Libc.LINKER.defaultLookup().find("environ").orElseThrow().reinterpret(8);
    }

    private Exec() {}

    /**
     * Everything exec needs, built before the point of no return: native argv, the stop-signal set, the
     * sigaction for them, the fds to hide from the app and /dev/null for stdio that was closed at start.
     */
    public record Prepared(List<String> command, MemorySegment file, MemorySegment argv, MemorySegment stopSignals,
                           MemorySegment emptySet, MemorySegment stopAction, MemorySegment defaultAction,
                           MemorySegment state, int[] closeOnExec, int[] devNullOnto, int devNull, int[] ignored,
                           MemorySegment envp, List<MemorySegment> candidates, MemorySegment shellArgv, int notSearched) {}

    /** Builds what {@link Termination#exec} needs; call it before the point of no return. */
    public static Prepared prepare(List<String> command) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        for (String arg : command) {
            if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL character in argument: " + arg);
        }
        Arena arena = Arena.global(); // lives until exec, or until the launcher exits
        MemorySegment argv = arena.allocate(PTR, command.size() + 1L); // zeroed: trailing NULL
        for (int i = 0; i < command.size(); i++) argv.setAtIndex(PTR, i, arena.allocateFrom(command.get(i)));
        MemorySegment stop = arena.allocate(SIGSET_SIZE);
        for (int sig : Signals.STOP) stop.set(ValueLayout.JAVA_LONG, 0, stop.get(ValueLayout.JAVA_LONG, 0) | 1L << (sig - 1));
        // As PID 1 the kernel drops a signal whose action is SIG_DFL: there, from the point of no return
        // on, a stop signal ends the launcher at once through _exit (status N) instead of being lost.
        MemorySegment stopAction = arena.allocate(SIGACTION_SIZE);
        if (ProcessHandle.current().pid() == 1) {
            stopAction.set(PTR, 0, Native.EXIT_NOW);
            if (!Native.AARCH64) {
                stopAction.set(ValueLayout.JAVA_LONG, 8, Native.SA_RESTORER);
                stopAction.set(PTR, 16, Native.EXIT_NOW);
            }
        }
        try {
            StartFds.Record start = StartFds.recorded();
            int devNull = -1;
            List<Integer> onto = new ArrayList<>();
            if (start != null && !start.closedStdio().isEmpty()) {
                devNull = (int) Rare.OPEN.invokeExact(arena.allocateFrom("/dev/null"), O_RDWR | O_CLOEXEC);
                if (devNull >= 0) onto.addAll(start.closedStdio());
            }
            Set<Integer> keep = start == null ? Set.of() : start.inheritedAbove2();
            List<Integer> hide = new ArrayList<>();
            for (int fd : openFds()) {
                if (fd > 2 && !keep.contains(fd) && fd != devNull) hide.add(fd);
            }
            Environment env = environment(arena);
            MemorySegment shellArgv = arena.allocate(PTR, command.size() + 2L); // /bin/sh FILE ARG... NULL, for ENOEXEC
            shellArgv.setAtIndex(PTR, 0, arena.allocateFrom(BIN_SH));
            for (int i = 1; i < command.size(); i++) shellArgv.setAtIndex(PTR, i + 1, argv.getAtIndex(PTR, i));
            byte[] file = command.getFirst().getBytes(StandardCharsets.UTF_8); // as allocateFrom encodes it
            List<MemorySegment> candidates = new ArrayList<>();
            int notSearched = candidates(file, env.path(), arena, candidates);
            return new Prepared(List.copyOf(command), arena.allocateFrom(command.getFirst()), argv, stop, arena.allocate(SIGSET_SIZE),
                    stopAction, arena.allocate(SIGACTION_SIZE), arena.allocate(Native.CAPTURE),
                    hide.stream().mapToInt(Integer::intValue).toArray(), onto.stream().mapToInt(Integer::intValue).toArray(), devNull,
                    ignoredSignals(arena), env.envp(), List.copyOf(candidates), shellArgv, notSearched);
        } catch (Throwable t) {
            throw new IllegalStateException("preparing the exec of \"" + command.getFirst() + "\" failed unexpectedly", t);
        }
    }

    /**
     * Links every downcall and runs each once, harmlessly, on a background thread: exec then costs only its
     * system calls. Called by main as soon as the command is known to be {@code run}.
     */
    public static void warmUp() {
        Thread.ofPlatform().daemon().name("exec-warm-up").start(() -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment empty = arena.allocate(SIGSET_SIZE), old = arena.allocate(SIGACTION_SIZE);
                MemorySegment zero = arena.allocate(16), state = arena.allocate(Native.CAPTURE);
                long r = (long) Native.SYSCALL.invokeExact(state, Native.SYS_RT_SIGPROCMASK, (long) SIG_BLOCK, empty, MemorySegment.NULL,
                        Native.KERNEL_SIGSET_SIZE);
                r = (long) Native.SYSCALL.invokeExact(state, Native.SYS_RT_SIGTIMEDWAIT, empty.address(), MemorySegment.NULL, zero,
                        Native.KERNEL_SIGSET_SIZE); // EAGAIN at once
                r = (long) Native.SYSCALL.invokeExact(state, Native.SYS_RT_SIGACTION, (long) Signals.SIGTERM, MemorySegment.NULL, old, Native.KERNEL_SIGSET_SIZE);
                r = (long) Native.SYSCALL.invokeExact(state, Native.SYS_FCNTL, 0L, Native.F_GETFD_ARG, MemorySegment.NULL, 0L);
                int ignored = Libc.errno(state);
                environment(arena);
                openFds();
                Termination.warmUp();
            } catch (Throwable t) {
                // exec links them itself then
            }
        });
    }

    /** Blocks HUP, INT and TERM in the calling thread (other threads still take them). */
    static void blockStopSignals(Prepared p) {
        try {
            long r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_RT_SIGPROCMASK, (long) SIG_BLOCK, p.stopSignals(), MemorySegment.NULL, Native.KERNEL_SIGSET_SIZE);
        } catch (Throwable t) {
            throw new IllegalStateException("rt_sigprocmask failed unexpectedly", t);
        }
    }

    /** HUP, INT and TERM to their default action (or, as PID 1, to _exit): the JVM's handlers no longer take them. */
    static void stopSignalsEndTheProcess(Prepared p) {
        try {
            for (int sig : Signals.STOP) {
                long r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_RT_SIGACTION, (long) sig, p.stopAction(), MemorySegment.NULL, Native.KERNEL_SIGSET_SIZE);
            }
        } catch (Throwable t) {
            throw new IllegalStateException("rt_sigaction failed unexpectedly", t);
        }
    }

    /** A stop signal pending for this thread (blocked here), taken without waiting; 0 if none. */
    static int takePendingStopSignal(Prepared p) {
        try (Arena arena = Arena.ofConfined()) {
            long sig = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_RT_SIGTIMEDWAIT, p.stopSignals().address(), MemorySegment.NULL, arena.allocate(16),
                    Native.KERNEL_SIGSET_SIZE);
            return (int) Math.max(sig, 0);
        } catch (Throwable t) {
            throw new IllegalStateException("sigtimedwait failed unexpectedly", t);
        }
    }

    /**
     * The last step: fds, ignored signals back to default, an empty mask, execvp. Returns only if exec
     * failed: its errno.
     */
    static int execNow(Prepared p) {
        try {
            System.out.flush();
            System.err.flush();
            for (int fd : p.closeOnExec()) {
                long ignored = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_FCNTL, (long) fd, Native.F_SETFD_ARG, Native.CLOEXEC_ARG, 0L);
            }
            for (int fd : p.devNullOnto()) {
                // dup2 clears close-on-exec on the copy; /dev/null may itself have landed on a closed 0-2
                long ignored = fd == p.devNull()
                        ? (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_FCNTL, (long) fd, Native.F_SETFD_ARG, MemorySegment.NULL, 0L)
                        : (int) Rare.DUP2.invokeExact(p.devNull(), fd);
            }
            // SIG_IGN survives exec (handled signals are reset by exec itself). The raw rt_sigaction system
            // call, not glibc's sigaction: glibc refuses its reserved signals 32 and 33, yet an ignored 32 is
            // inherited here too (seen under Maven's forks).
            for (int sig : p.ignored()) {
                long r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_RT_SIGACTION, (long) sig, p.defaultAction(), MemorySegment.NULL, Native.KERNEL_SIGSET_SIZE);
            }
            // JVM threads run with some signals blocked (e.g. SIGQUIT), and the stop signals are blocked here
            // now; the mask survives exec, so clear it. A stop signal from here on takes its default action.
            long r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_RT_SIGPROCMASK, (long) SIG_SETMASK, p.emptySet(), MemorySegment.NULL, Native.KERNEL_SIGSET_SIZE);
            return execvp(p);
        } catch (Throwable t) {
            throw new IllegalStateException("exec of \"" + p.command().getFirst() + "\" failed unexpectedly", t);
        }
    }

    /**
     * glibc's execvp over the prepared candidates: a candidate that is missing or not ours to run is
     * skipped, any other error ends the search; EACCES wins if any candidate had it. Returns only on
     * failure: errno.
     */
    private static int execvp(Prepared p) throws Throwable {
        int errno = p.notSearched();
        boolean eacces = false;
        for (MemorySegment path : p.candidates()) {
            long r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_EXECVE, path.address(), p.argv(), p.envp(), 0L);
            errno = Libc.errno(p.state());
            if (errno == ENOEXEC) { // no #! and no binary the kernel knows: glibc hands it to /bin/sh
                p.shellArgv().setAtIndex(PTR, 1, path);
                r = (long) Native.SYSCALL.invokeExact(p.state(), Native.SYS_EXECVE, p.shellArgv().getAtIndex(PTR, 0).address(), p.shellArgv(),
                        p.envp(), 0L);
                errno = Libc.errno(p.state());
            }
            switch (errno) {
                case EACCES -> eacces = true;
                case ENOENT, ESTALE, ENOTDIR, ENODEV, ETIMEDOUT -> {}
                default -> { return errno; }
            }
        }
        return eacces ? EACCES : errno;
    }

    /**
     * The paths execvp would try, into {@code out}: FILE itself if it has a slash, else each PATH entry
     * (glibc's default "/bin:/usr/bin" if PATH is unset; an empty entry is the current directory) with
     * FILE. Returns the errno when there is nothing to try (empty or over-long FILE), as glibc sets it.
     */
    private static int candidates(byte[] file, byte[] path, Arena arena, List<MemorySegment> out) {
        if (file.length == 0) return ENOENT;
        if (indexOf(file, (byte) '/', 0) >= 0) {
            out.add(cString(file, arena));
            return ENOENT;
        }
        if (file.length > NAME_MAX) return ENAMETOOLONG;
        if (path == null) path = "/bin:/usr/bin".getBytes(StandardCharsets.US_ASCII);
        for (int from = 0; ; ) {
            int end = indexOf(path, (byte) ':', from);
            if (end < 0) end = path.length;
            byte[] candidate;
            if (end == from) {
                candidate = file;
            } else {
                candidate = Arrays.copyOfRange(path, from, end + 1 + file.length);
                candidate[end - from] = '/';
                System.arraycopy(file, 0, candidate, end - from + 1, file.length);
            }
            out.add(cString(candidate, arena));
            if (end == path.length) return ENOENT;
            from = end + 1;
        }
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) if (bytes[i] == b) return i;
        return -1;
    }

    private static MemorySegment cString(byte[] bytes, Arena arena) {
        MemorySegment s = arena.allocate(bytes.length + 1L); // zeroed: trailing NUL
        MemorySegment.copy(bytes, 0, s, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /** The app's environment (a copy of environ's pointers, less what {@link AppEnvironment} drops) and PATH's raw bytes. */
    private record Environment(MemorySegment envp, byte[] path) {}

    /** Reads environ as it is now, byte for byte (no decoding): what execvp would pass on and search. */
    private static Environment environment(Arena arena) {
        MemorySegment environ = Native.ENVIRON.get(PTR, 0).reinterpret(Long.MAX_VALUE);
        List<MemorySegment> kept = new ArrayList<>();
        byte[] path = null;
        boolean drop = AppEnvironment.setByEntrypoint();
        for (long i = 0; ; i++) {
            MemorySegment entry = environ.getAtIndex(PTR, i);
            if (entry.equals(MemorySegment.NULL)) break;
            MemorySegment s = entry.reinterpret(Long.MAX_VALUE);
            if (drop && AppEnvironment.drops(s)) continue;
            kept.add(entry);
            if (path == null && startsWith(s, PATH_IS)) {
                long n = 0;
                while (s.get(ValueLayout.JAVA_BYTE, PATH_IS.length + n) != 0) n++;
                path = s.asSlice(PATH_IS.length, n).toArray(ValueLayout.JAVA_BYTE);
            }
        }
        MemorySegment envp = arena.allocate(PTR, kept.size() + 1L); // zeroed: trailing NULL
        for (int i = 0; i < kept.size(); i++) envp.setAtIndex(PTR, i, kept.get(i));
        return new Environment(envp, path);
    }

    private static final byte[] PATH_IS = "PATH=".getBytes(StandardCharsets.US_ASCII);
    private static final String BIN_SH = "/bin/sh"; // glibc's _PATH_BSHELL

    /** Whether the NUL-terminated string {@code s} begins with {@code prefix}. */
    static boolean startsWith(MemorySegment s, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (s.get(ValueLayout.JAVA_BYTE, i) != prefix[i]) return false; // a NUL differs from every prefix byte
        }
        return true;
    }

    /** The exit code for a failed exec: 127 if the command was not found, otherwise 126 (shell conventions). */
    public static int exitCode(int errno) {
        return errno == ENOENT || errno == ENOTDIR ? 127 : 126;
    }

    /** One line saying why exec failed. */
    public static String failure(List<String> command, int errno) {
        String file = command.getFirst();
        String hint = exitCode(errno) == 127 && file.indexOf('/') < 0
                ? " (not found on PATH=" + System.getenv().getOrDefault("PATH", "<unset>") + ")"
                : errno == EACCES || errno == ENOEXEC ? " (not an executable file?)" : "";
        return "cannot exec \"" + file + "\": " + Libc.strerror(errno) + hint;
    }

    /** Signals 1-64 whose disposition is SIG_IGN (inherited; the JVM ignores none itself), KILL and STOP aside. */
    private static int[] ignoredSignals(Arena arena) throws Throwable {
        MemorySegment old = arena.allocate(SIGACTION_SIZE), state = arena.allocate(Native.CAPTURE);
        List<Integer> ignored = new ArrayList<>();
        for (long sig = 1; sig <= 64; sig++) {
            if (sig == Signals.SIGKILL || sig == Signals.SIGSTOP) continue;
            old.fill((byte) 0);
            long r = (long) Native.SYSCALL.invokeExact(state, Native.SYS_RT_SIGACTION, sig, MemorySegment.NULL, old, Native.KERNEL_SIGSET_SIZE);
            if (r == 0 && old.get(PTR, 0).address() == SIG_IGN) ignored.add((int) sig);
        }
        return ignored.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Linked on first use: only a launcher started with stdio closed needs them. */
    private static final class Rare {
        static final MethodHandle OPEN = Libc.fn("open", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle DUP2 = Libc.fn("dup2", FunctionDescriptor.of(INT, INT, INT));
    }

    private static List<Integer> openFds() {
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) fds.add(Integer.parseInt(p.getFileName().toString()));
        } catch (IOException | NumberFormatException e) {
            for (int fd = 3; fd < 4096; fd++) fds.add(fd); // no /proc: best effort; EBADF is harmless
        }
        return fds;
    }
}
