package dev.prismalauncher.process;

import java.io.IOException;
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
import java.util.ArrayList;
import java.util.List;

/**
 * Replaces the running JVM with another program via {@code execvp(3)}, through java.lang.foreign only
 * (Linux, glibc, x86_64 / aarch64). Same PID, same environment ({@code environ}), stdio inherited; the
 * JVM's own file descriptors, blocked signals and inherited SIG_IGN dispositions are not passed on.
 */
@SuppressWarnings("restricted") // native access is the point of this class (jar has Enable-Native-Access)
public final class Exec {

    private static final int ENOENT = 2, ENOEXEC = 8, EACCES = 13, ENOTDIR = 20; // same on x86_64 and aarch64
    private static final int F_GETFD = 1, F_SETFD = 2, FD_CLOEXEC = 1;
    private static final int SIG_SETMASK = 2;
    private static final long SIGKILL = 9, SIGSTOP = 19;
    private static final long SIG_IGN = 1;
    // glibc: sigset_t is 1024 bits; struct sigaction is 152 bytes with sa_handler at offset 0 on both arches.
    private static final long SIGSET_SIZE = 128, SIGACTION_SIZE = 256;

    private static final StructLayout CAPTURE = Libc.CAPTURE;
    private static final ValueLayout.OfInt INT = Libc.INT;
    private static final AddressLayout PTR = Libc.PTR;

    private static final MethodHandle EXECVP = Libc.fn("execvp", FunctionDescriptor.of(INT, PTR, PTR),
            Linker.Option.captureCallState("errno"));
    // fcntl is variadic: the third argument must be passed the variadic way (matters on aarch64 ABIs).
    private static final MethodHandle FCNTL = Libc.fn("fcntl", FunctionDescriptor.of(INT, INT, INT, INT),
            Linker.Option.firstVariadicArg(2));
    // long syscall(long number, ...): the kernel's struct sigaction has the handler at offset 0 too.
    private static final MethodHandle SYSCALL = Libc.fn("syscall",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, PTR, PTR, ValueLayout.JAVA_LONG),
            Linker.Option.firstVariadicArg(1));
    private static final long SYS_RT_SIGACTION = "aarch64".equals(System.getProperty("os.arch")) ? 134 : 13;
    private static final long KERNEL_SIGSET_SIZE = 8;
    private static final MethodHandle SIGMASK = Libc.fn("pthread_sigmask", FunctionDescriptor.of(INT, INT, PTR, PTR));

    private Exec() {}

    /**
     * Replaces this process with {@code command} (PATH lookup as in a shell). Returns only if exec failed,
     * after printing one line to System.err: the exit code to use, 127 if the command was not found,
     * otherwise 126 (shell conventions).
     */
    public static int exec(List<String> command) {
        if (command.isEmpty()) throw new IllegalArgumentException("empty command");
        for (String arg : command) {
            if (arg.indexOf('\0') >= 0) throw new IllegalArgumentException("NUL character in argument: " + arg);
        }
        String file = command.getFirst();
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            // Build everything first, so nothing below allocates more than necessary once fds are listed.
            MemorySegment argv = arena.allocate(PTR, command.size() + 1L); // zeroed: trailing NULL
            for (int i = 0; i < command.size(); i++) argv.setAtIndex(PTR, i, arena.allocateFrom(command.get(i)));
            MemorySegment path = arena.allocateFrom(file);
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment emptySet = arena.allocate(SIGSET_SIZE);
            MemorySegment dfl = arena.allocate(SIGACTION_SIZE); // zeroed: sa_handler = SIG_DFL, no flags
            MemorySegment old = arena.allocate(SIGACTION_SIZE);

            System.out.flush();
            System.err.flush();
            closeOnExecAboveStderr();
            // JVM threads run with some signals blocked (e.g. SIGQUIT); the mask survives exec, so clear it.
            int rc = (int) SIGMASK.invokeExact(SIG_SETMASK, emptySet, MemorySegment.NULL);
            // SIG_IGN survives exec (handled signals are reset by exec itself). Only touch ignored ones: the
            // JVM relies on its handlers (SIGSEGV, ...) until the very last moment.
            // The raw rt_sigaction system call, not glibc's sigaction: glibc refuses its reserved
            // signals 32 and 33, yet an ignored 32 is inherited here too (seen under Maven's forks).
            for (long sig = 1; sig <= 64; sig++) {
                if (sig == SIGKILL || sig == SIGSTOP) continue;
                old.fill((byte) 0);
                long r = (long) SYSCALL.invokeExact(SYS_RT_SIGACTION, sig, MemorySegment.NULL, old, KERNEL_SIGSET_SIZE);
                if (r == 0 && old.get(PTR, 0).address() == SIG_IGN) {
                    r = (long) SYSCALL.invokeExact(SYS_RT_SIGACTION, sig, dfl, MemorySegment.NULL, KERNEL_SIGSET_SIZE);
                }
            }
            rc = (int) EXECVP.invokeExact(state, path, argv);
            errno = Libc.errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException("exec of \"" + file + "\" failed unexpectedly", t);
        }
        boolean notFound = errno == ENOENT || errno == ENOTDIR;
        String hint = notFound && file.indexOf('/') < 0
                ? " (not found on PATH=" + System.getenv().getOrDefault("PATH", "<unset>") + ")"
                : errno == EACCES || errno == ENOEXEC ? " (not an executable file?)" : "";
        System.err.println("prisma-launcher: cannot exec \"" + file + "\": " + Libc.strerror(errno) + hint);
        System.err.flush();
        return notFound ? 127 : 126;
    }

    /** Marks every fd above 2 close-on-exec, so the exec'd program inherits only stdin/stdout/stderr. */
    private static void closeOnExecAboveStderr() throws Throwable {
        int ignored = (int) FCNTL.invokeExact(0, F_GETFD, 0); // warm up the call path before listing fds
        List<Integer> fds = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) fds.add(Integer.parseInt(p.getFileName().toString()));
        } catch (IOException | NumberFormatException e) {
            for (int fd = 3; fd < 4096; fd++) fds.add(fd); // no /proc: best effort; EBADF is harmless
        }
        for (int fd : fds) {
            if (fd > 2) ignored = (int) FCNTL.invokeExact(fd, F_SETFD, FD_CLOEXEC);
        }
    }

}
