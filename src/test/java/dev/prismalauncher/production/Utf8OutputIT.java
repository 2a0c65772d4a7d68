package dev.prismalauncher.production;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slim and distroless images set no LANG: the launcher's output is UTF-8 anyway, Prisma's UTF-8
 * output is relayed intact (not as `??`), and the locale the entrypoint sets for the JVM does not
 * reach the app.
 */
class Utf8OutputIT {
    @TempDir
    Path dir;

    /** No LANG, no LC_*: the environment of debian:bookworm-slim or distroless. */
    private static Launch withoutLocale(Launch launch) {
        for (String name : new String[] {"LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES"}) {
            launch.env(name, null);
        }
        return launch;
    }

    private static boolean entrypointForm() {
        return Launch.launcherCommand().getLast().endsWith("entrypoint");
    }

    @Test
    void prismasTreeArrivesIntact() {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            Launch.Result r = withoutLocale(project.launch(db)).run("migrate");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stderr().lines().anyMatch(l -> l.matches("INFO prisma - +└─ 20250101000000_init/")), "Prisma's tree, relayed as UTF-8:\n" + r.stderr());
            assertFalse(r.stderr().contains("??") || r.stderr().contains("\uFFFD"), r.stderr());
        }
    }

    @Test
    void anyUtf8FromPrismaIsRelayedIntact() {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            // a stand-in for a localised server error: French, Japanese, box drawing
            Path prisma = Launch.script(dir.resolve("prisma-utf8"), "printf 'Échec : relation « Commandes » 注文 └─ ✓\\n'; exit 1");
            Launch.Result r = withoutLocale(project.launch(db)).env("PRISMA_COMMAND", prisma.toString()).run("migrate");
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.stderr().contains("INFO prisma - Échec : relation « Commandes » 注文 └─ ✓"), r.stderr());
        }
    }

    @Test
    void theAppGetsItsArgumentsIntactAndNotOurLocale() {
        Launch launch = withoutLocale(new Launch(dir)).env("SKIP_MIGRATIONS", "1");
        Launch.Result r = launch.run("run", "--", "sh", "-c", "echo \"LC_CTYPE=${LC_CTYPE-unset} marker=${PRISMA_LAUNCHER_SET_LC_CTYPE-unset}\"");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("LC_CTYPE=unset marker=unset\n", r.stdout(), "the app gets the container's environment, not the entrypoint's locale");
        // a locale the container sets is the app's and stays
        Launch.Result kept = new Launch(dir).env("SKIP_MIGRATIONS", "1").env("LC_CTYPE", "C.UTF-8")
                .run("run", "--", "sh", "-c", "echo \"LC_CTYPE=${LC_CTYPE-unset}\"");
        assertEquals("LC_CTYPE=C.UTF-8\n", kept.stdout(), kept.toString());
        if (entrypointForm()) {
            // The JVM decodes its arguments by the locale; only the entrypoint can give it one
            // (`java -jar` without a UTF-8 locale sees `?` before main runs).
            Launch.Result args = launch.run("run", "--", "printf", "%s\\n", "Grüße └─ 注文");
            assertEquals("Grüße └─ 注文\n", args.stdout(), args.toString());
            assertTrue(args.stderr().contains("exec printf %s\\n Grüße └─ 注文"), args.stderr());
        }
    }
}
