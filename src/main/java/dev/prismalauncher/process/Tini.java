package dev.prismalauncher.process;

import dev.prismalauncher.LauncherException;
import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * INIT=1: the app runs under tini (shipped as lib/tini, Debian's static build) instead of being
 * PID 1 itself. An app without a SIGTERM handler ignores SIGTERM as PID 1 (the kernel drops signals
 * whose action is the default), and PID 1 must reap orphans; tini does both, forwards every signal
 * and exits with the app's code. The launcher still execs (tini takes the PID), so no JVM stays.
 */
public final class Tini {
    /** Overrides where tini is looked for (tests, unusual layouts). */
    public static final String PROPERTY = "prisma.launcher.tini";

    private Tini() {}

    /**
     * Finds tini: the system property, else {@code tini} next to the launcher's jar (lib/ in the
     * layout), else {@code tini} on PATH. Missing is a configuration error, found before anything is touched.
     */
    public static Path locate(Map<String, String> env) {
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) {
            Path p = Path.of(property.strip());
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw LauncherException.usage("INIT is set but -D" + PROPERTY + "=" + property + " is not an executable file");
        }
        List<Path> tried = new ArrayList<>();
        Path besideJar = besideJar();
        if (besideJar != null) {
            tried.add(besideJar);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                tried.add(Path.of(dir, "tini"));
            }
        }
        for (Path p : tried) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw LauncherException.usage("INIT is set but no tini was found (looked beside the launcher's jar and on PATH="
                + path + "); the image layout ships it as /opt/prisma-launcher/lib/tini, or install Debian's tini package");
    }

    /** lib/tini when the launcher runs from lib/prisma-launcher.jar. */
    private static Path besideJar() {
        try {
            var source = Tini.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) ? jar.resolveSibling("tini") : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The argv to exec: the app's own, or under tini. {@code -s}: register as child subreaper, so
     * orphans are reaped even where tini is not PID 1 (e.g. under `docker run --init` or a shell).
     */
    public static List<String> wrap(Path tini, List<String> app) {
        if (tini == null) {
            return app;
        }
        List<String> argv = new ArrayList<>(app.size() + 3);
        argv.add(tini.toString());
        argv.add("-s");
        argv.add("--");
        argv.addAll(app);
        return List.copyOf(argv);
    }
}
