package dev.prismalauncher.process;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/** The little of libc that {@link Exec} and {@link ChildProcess} share: symbol lookup, errno, strerror. */
@SuppressWarnings("restricted") // native access is the point (the jar has Enable-Native-Access)
final class Libc {
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    static final Linker.Option ERRNO_STATE = Linker.Option.captureCallState("errno");
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static MethodHandle fn(String name, FunctionDescriptor desc, Linker.Option... options) {
        return find(name, desc, options).orElseThrow(() -> new UnsatisfiedLinkError("libc symbol not found: " + name));
    }

    /** A symbol that only newer C libraries have. */
    static Optional<MethodHandle> find(String name, FunctionDescriptor desc, Linker.Option... options) {
        return LINKER.defaultLookup().find(name).map(addr -> LINKER.downcallHandle(addr, desc, options));
    }

    /** errno as captured by a call made with {@link #ERRNO_STATE} into {@code state}. */
    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static String strerror(int errno) {
        try {
            MemorySegment msg = (MemorySegment) Strerror.HANDLE.invokeExact(errno);
            return msg.equals(MemorySegment.NULL) ? "errno " + errno : msg.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** Linked on first use: only failures need it, and each downcall handle costs start-up time. */
    private static final class Strerror {
        static final MethodHandle HANDLE = fn("strerror", FunctionDescriptor.of(PTR, INT));
    }

    private Libc() {}
}
