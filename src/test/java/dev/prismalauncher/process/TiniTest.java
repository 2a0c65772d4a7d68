package dev.prismalauncher.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** INIT=1 and --init: where tini is looked for, and the argv it makes. (InitIT runs it for real.) */
class TiniTest {
    @TempDir
    Path dir;

    private Path executable(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, "#!/bin/sh\n");
        assertTrue(p.toFile().setExecutable(true));
        return p;
    }

    private static Map<String, String> env(String path) {
        return Map.of("DATABASE_URL", "postgresql://u:pw@h:5432/db", "PATH", path);
    }

    @Test
    void initFindsTiniOnPathAndWrapsTheApp() throws IOException {
        Path tini = executable(dir.resolve("b/tini"));
        Files.createDirectories(dir.resolve("a"));
        Files.writeString(dir.resolve("a/tini"), "not executable");
        Map<String, String> env = new HashMap<>(env(dir.resolve("a") + ":" + dir.resolve("b")));
        env.put("INIT", "1");
        Config c = CommandLine.parse(new String[] {"run", "--", "node", "server.js"}, env);
        assertTrue(c.init());
        assertEquals(tini, Tini.locate(env));
        assertEquals(List.of(tini.toString(), "-s", "--", "node", "server.js"), Tini.wrap(Tini.locate(env), c.appCommand()));
        Config flag = CommandLine.parse(new String[] {"run", "--init", "--", "node"}, env(dir.resolve("b").toString()));
        assertTrue(flag.init());
        assertEquals(tini, Tini.locate(env(dir.resolve("b").toString())));
    }

    @Test
    void withoutInitTheAppIsExecedAsItIs() {
        Config c = CommandLine.parse(new String[] {"run", "--", "node", "server.js"}, env("/nonexistent"));
        assertFalse(c.init());
        assertEquals(List.of("node", "server.js"), Tini.wrap(null, c.appCommand()));
        // only run execs: migrate and status never look for tini
        assertFalse(CommandLine.parse(new String[] {"migrate", "--init"}, env("/nonexistent")).init());
    }

    @Test
    void aMissingTiniOrABadValueIsAUsageError() {
        // parsing looks at nothing on the machine: the launcher looks for tini first thing (InitIT: exit 2, nothing touched)
        assertTrue(CommandLine.parse(new String[] {"run", "--init", "--", "node"}, env(dir.toString())).init());
        LauncherException missing = assertThrows(LauncherException.class, () -> Tini.locate(env(dir.toString())));
        assertEquals(ExitCode.USAGE, missing.exitCode());
        assertTrue(missing.getMessage().contains("no tini was found"), missing.getMessage());
        Map<String, String> bad = new HashMap<>(env(dir.toString()));
        bad.put("INIT", "maybe");
        assertEquals(ExitCode.USAGE, assertThrows(LauncherException.class, () -> CommandLine.parse(new String[] {"run", "node"}, bad)).exitCode());
    }

    @Test
    void theSystemPropertyWinsAndMustNameAnExecutable() throws IOException {
        Path mine = executable(dir.resolve("custom/my-tini"));
        executable(dir.resolve("b/tini"));
        try {
            System.setProperty(Tini.PROPERTY, mine.toString());
            assertEquals(mine, Tini.locate(env(dir.resolve("b").toString())));
            System.setProperty(Tini.PROPERTY, dir.resolve("nope").toString());
            assertEquals(ExitCode.USAGE, assertThrows(LauncherException.class, () -> Tini.locate(env(dir.resolve("b").toString()))).exitCode());
        } finally {
            System.clearProperty(Tini.PROPERTY);
        }
    }
}
