package dev.prismalauncher.log;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Our stdout and stderr speak UTF-8 whatever the locale. Slim and distroless images set no LANG,
 * so the JVM would pick ASCII and turn Prisma's `└─`, identifiers and localised server errors into
 * `??`. lib/jvm.args sets stdout.encoding/stderr.encoding already; this covers `java -jar`.
 */
public final class Utf8Output {
    private Utf8Output() {}

    public static void install() {
        if (!StandardCharsets.UTF_8.equals(System.out.charset())) {
            System.setOut(utf8(FileDescriptor.out));
        }
        if (!StandardCharsets.UTF_8.equals(System.err.charset())) {
            System.setErr(utf8(FileDescriptor.err));
        }
    }

    /** As the JVM builds System.out/err: a small buffer, flushed on every line. */
    private static PrintStream utf8(FileDescriptor fd) {
        return new PrintStream(new BufferedOutputStream(new FileOutputStream(fd), 128), true, StandardCharsets.UTF_8);
    }
}
