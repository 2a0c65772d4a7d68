package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.LAUNCHER;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.single;
import static dev.prismalauncher.examples.Examples.strings;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.testing.ParsedDockerfile;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** examples/heroku: the release phase migrates, web dynos run the app; every command execs the launcher. */
class ExamplesHerokuTest {

    static Map<String, String> procfile() throws IOException {
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : Files.readAllLines(EXAMPLES.resolve("heroku/Procfile"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = Pattern.compile("^([A-Za-z0-9_-]+):\\s*(\\S.*)$").matcher(line);
            assertTrue(m.matches(), "Procfile line is not 'type: command': " + line);
            assertTrue(types.put(m.group(1), m.group(2).strip()) == null, "Procfile declares " + m.group(1) + " twice");
        }
        return types;
    }

    /** A Heroku command: run by /bin/sh -c, so it must exec the launcher, or the shell stays PID 1 and the app never gets SIGTERM. */
    static Config command(String commandLine, String where) {
        List<String> words = List.of(commandLine.strip().split("\\s+"));
        assertEquals("exec", words.getFirst(), where + " must start with exec (else sh stays PID 1 and a stop ends in SIGKILL): " + commandLine);
        assertEquals(LAUNCHER, words.get(1), where + " execs the launcher's entrypoint");
        return launcherConfig(words.subList(2, words.size()), Map.of("DATABASE_URL", SAMPLE_URL), where);
    }

    @Test
    void procfileMigratesInTheReleasePhaseAndRunsTheWebDyno() throws IOException {
        Map<String, String> types = procfile();
        assertTrue(types.get("release").contains("migrate"), "release: " + types.get("release"));
        assertTrue(types.get("web").contains("run --"), "web: " + types.get("web"));
        assertEquals(Command.MIGRATE, command(types.get("release"), "Procfile release").command());
        Config web = command(types.get("web"), "Procfile web");
        assertEquals(Command.RUN, web.command());
        assertEquals(List.of("node", "server.js"), web.appCommand());
    }

    @Test
    void herokuYmlBuildsTheHerokuStageAndMatchesTheProcfile() throws IOException {
        JsonNode heroku = single(EXAMPLES.resolve("heroku/heroku.yml"));
        JsonNode web = heroku.path("build").path("docker").path("web");
        String target = web.path("target").asText();
        assertEquals("Dockerfile", web.isTextual() ? web.asText() : web.path("dockerfile").asText());
        assertNotNull(ParsedDockerfile.parse(APP.resolve("Dockerfile")).stage(target), "heroku.yml targets stage '" + target + "' of the app Dockerfile");
        assertTrue(heroku.path("build").path("config").has("LAUNCHER_IMAGE"), "Heroku's builder needs LAUNCHER_IMAGE from a registry");

        JsonNode release = heroku.path("release");
        assertEquals("web", release.path("image").asText());
        List<String> releaseCommand = strings(release.get("command"), "release.command");
        assertEquals(1, releaseCommand.size());
        Map<String, String> procfile = procfile();
        assertEquals(procfile.get("release"), releaseCommand.getFirst());
        assertEquals(procfile.get("web"), text(heroku.path("run").get("web"), "run.web"));
        assertEquals(Command.MIGRATE, command(releaseCommand.getFirst(), "heroku.yml release").command());
    }

    @Test
    void herokuCommandsExecTheLauncher() throws IOException {
        procfile().forEach((type, command) -> command(command, "Procfile " + type)); // checks the leading exec
        JsonNode heroku = single(EXAMPLES.resolve("heroku/heroku.yml"));
        command(text(heroku.path("run").get("web"), "run.web"), "heroku.yml run.web");
        for (String c : strings(heroku.path("release").get("command"), "release.command")) {
            command(c, "heroku.yml release");
        }
        String readme = Files.readString(EXAMPLES.resolve("heroku/README.md"));
        Matcher m = Pattern.compile("^(release|web): (.*)$", Pattern.MULTILINE).matcher(readme);
        int found = 0;
        while (m.find()) {
            command(m.group(2), "heroku/README.md " + m.group(1));
            found++;
        }
        assertTrue(found >= 2, "heroku/README.md shows the commands");
        Matcher skip = Pattern.compile("`web: SKIP_MIGRATIONS=1 (exec [^`]*)`").matcher(readme);
        assertTrue(skip.find(), "the SKIP_MIGRATIONS variant execs too");
        assertTrue(command(skip.group(1), "heroku/README.md SKIP_MIGRATIONS").command() == Command.RUN);
    }
}
