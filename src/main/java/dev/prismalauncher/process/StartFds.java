package dev.prismalauncher.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The file descriptors the launcher was given, recorded at the very start of main, so the app gets
 * exactly those: fds above 2 passed on (socket activation's {@code LISTEN_FDS}, deliberately passed
 * fds), and 0-2 as they were, or /dev/null where they were closed. When stdio is closed, the JVM's
 * own first files (its {@code lib/modules}, the jar) land on 0-2 before main runs; they, like every
 * fd the JVM opens later, must not reach the app. The JVM opens its files without close-on-exec, so
 * only their names tell them apart: files of the runtime (java.home) or the class path.
 */
public final class StartFds {
    private static volatile Record recorded;

    /** What main found: the fds to pass on above 2, and which of 0-2 held no file of the caller's. */
    record Record(Set<Integer> inheritedAbove2, Set<Integer> closedStdio) {}

    /** Lists /proc/self/fd; call first thing in main, before anything opens a file. */
    public static void record() {
        Set<Integer> above = new TreeSet<>(), closed = new TreeSet<>(Set.of(0, 1, 2));
        List<String> own = ownFiles();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : dir) {
                int fd = Integer.parseInt(p.getFileName().toString());
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException gone) {
                    continue; // the directory stream's own fd, closed meanwhile
                }
                if (own.stream().anyMatch(target::startsWith) || target.equals("/proc/" + ProcessHandle.current().pid() + "/fd")) {
                    continue;
                }
                if (fd <= 2) closed.remove(fd);
                else above.add(fd);
            }
        } catch (IOException | RuntimeException e) {
            return; // no /proc: nothing recorded, Exec keeps 0-2 as they are and closes the rest
        }
        recorded = new Record(Set.copyOf(above), Set.copyOf(closed));
    }

    /** Recorded at start, or null when it could not be (no /proc). */
    static Record recorded() {
        return recorded;
    }

    /** Path prefixes of the JVM's own files: the runtime and the class path (the jar). */
    private static List<String> ownFiles() {
        List<String> own = new ArrayList<>();
        add(own, System.getProperty("java.home"), true);
        String cp = System.getProperty("java.class.path", "");
        for (String entry : cp.split(java.io.File.pathSeparator)) {
            add(own, entry, false);
        }
        return own;
    }

    private static void add(List<String> own, String path, boolean directory) {
        if (path == null || path.isEmpty()) return;
        try {
            String real = Path.of(path).toRealPath().toString();
            own.add(directory ? real + "/" : real);
        } catch (IOException | RuntimeException e) {
            // not there: nothing of it can be open
        }
    }

    private StartFds() {}
}
