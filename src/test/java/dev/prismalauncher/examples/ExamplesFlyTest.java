package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.LAUNCHER;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.TOML;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.read;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.config.Values;
import dev.prismalauncher.testing.ParsedDockerfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * examples/fly/fly.toml: the release step migrates, the app Machines run the app. fly.toml's keys
 * are from https://fly.io/docs/reference/configuration/ and flyctl's appconfig.Config
 * (internal/appconfig/config.go); flyctl gives `release_command` and each process command, split
 * into words, to the Machine as its init cmd, so the image's ENTRYPOINT (the launcher) receives them
 * as arguments (internal/appconfig/machines.go: ToReleaseMachineConfig, updateMachineConfig).
 */
class ExamplesFlyTest {
    static final Set<String> TOP_LEVEL = Set.of("app", "primary_region", "kill_signal", "kill_timeout", "swap_size_mb", "console_command",
            "experimental", "build", "deploy", "env", "processes", "mounts", "http_service", "services", "checks", "files",
            "host_dedication_id", "machine_checks", "restart", "vm", "statics", "metrics");
    static final Set<String> DEPLOY = Set.of("strategy", "max_unavailable", "wait_timeout", "release_command", "release_command_timeout",
            "release_command_vm", "seed_command");
    static final Set<String> BUILD = Set.of("builder", "args", "buildpacks", "image", "settings", "builtin", "dockerfile", "ignorefile", "build-target");

    static JsonNode fly() {
        return read(TOML, EXAMPLES.resolve("fly/fly.toml"));
    }

    /** [env] and secrets reach the release Machine and the app Machines alike. */
    static Map<String, String> environment(JsonNode fly) {
        Map<String, String> env = new HashMap<>();
        fly.path("env").properties().forEach(e -> {
            assertTrue(e.getValue().isTextual(), "[env] " + e.getKey() + " is a string");
            env.put(e.getKey(), e.getValue().asText());
        });
        env.put("DATABASE_URL", SAMPLE_URL); // fly secrets set DATABASE_URL=...
        return env;
    }

    /** flyctl splits with shlex; the recipe's commands hold no quotes, so whitespace is the same split. */
    static List<String> words(String command, String where) {
        assertFalse(command.contains("\"") || command.contains("'") || command.contains("\\") || command.contains("$"),
                where + ": keep it plain words (flyctl splits it; no shell expands it): " + command);
        return List.of(command.strip().split("\\s+"));
    }

    @Test
    void theFileIsFlyTomlWithDocumentedKeys() {
        JsonNode fly = fly();
        fly.fieldNames().forEachRemaining(k -> assertTrue(TOP_LEVEL.contains(k), "fly.toml has no top-level key '" + k + "'"));
        fly.path("deploy").fieldNames().forEachRemaining(k -> assertTrue(DEPLOY.contains(k), "[deploy] has no key '" + k + "'"));
        fly.path("build").fieldNames().forEachRemaining(k -> assertTrue(BUILD.contains(k), "[build] has no key '" + k + "'"));
        text(fly.get("app"), "app");
        assertEquals("SIGTERM", fly.path("kill_signal").asText(), "Fly's default is SIGINT");
        assertTrue(Values.duration("kill_timeout", fly.path("kill_timeout").asText()).toSeconds() >= 15,
                "kill_timeout leaves the launcher its 10 s to stop Prisma (Fly's default is 5 s)");
    }

    @Test
    void theImageIsTheAppsWithTheLauncherAsEntrypoint() {
        JsonNode build = fly().path("build");
        ParsedDockerfile d = ParsedDockerfile.parse(APP.resolve(build.path("dockerfile").asText()));
        assertFalse(build.has("build-target"), "the default target: the app stage");
        assertEquals(List.of(LAUNCHER), ParsedDockerfile.json(d.last(d.stages().getLast(), "ENTRYPOINT")));
        assertTrue(build.path("args").has("LAUNCHER_IMAGE"), "Fly's builder needs the launcher image from a registry");
        assertTrue(d.instructions().stream().anyMatch(in -> in.keyword().equals("ARG") && in.args().startsWith("LAUNCHER_IMAGE=")));
    }

    @Test
    void theReleaseCommandMigratesAndTheAppMachinesSkipIt() {
        JsonNode fly = fly();
        Map<String, String> env = environment(fly);
        String release = text(fly.path("deploy").get("release_command"), "[deploy] release_command");
        Config migrate = launcherConfig(words(release, "release_command"), env, "release_command");
        assertEquals(Command.MIGRATE, migrate.command());
        assertFalse(migrate.skipMigrations(), "[env] must not skip the migration: it reaches the release Machine too");
        assertFalse(env.containsKey("SKIP_MIGRATIONS"), "SKIP_MIGRATIONS in [env] would reach the release Machine");

        JsonNode processes = fly.path("processes");
        assertEquals(1, processes.size(), "one process group: " + processes);
        String app = text(processes.get("app"), "[processes] app");
        Config run = launcherConfig(words(app, "[processes] app"), env, "[processes] app");
        assertEquals(Command.RUN, run.command());
        assertTrue(run.skipMigrations(), "the release command migrated: the app Machines pass --skip-migrations");
        assertEquals(List.of("node", "server.js"), run.appCommand());

        // one try fits in the release command's own bound
        Config withTimeouts = launcherConfig(List.of("migrate"), env, "release env");
        long perTry = withTimeouts.dbWaitTimeout().toSeconds() + withTimeouts.lockTimeout().toSeconds() + withTimeouts.deployTimeout().toSeconds();
        long timeout = Values.duration("release_command_timeout", fly.path("deploy").path("release_command_timeout").asText()).toSeconds();
        assertTrue(timeout > perTry, "release_command_timeout (" + timeout + " s) must outlast one try (" + perTry + " s)");
    }

    @Test
    void theHttpServiceReachesTheAppProcessOnItsPort() {
        JsonNode fly = fly();
        JsonNode http = fly.path("http_service");
        assertEquals(fly.path("env").path("PORT").asText(), http.path("internal_port").asText(), "internal_port is the PORT server.js listens on");
        assertEquals(List.of("app"), List.of(http.path("processes").get(0).asText()));
        JsonNode check = http.path("checks").get(0);
        assertEquals("/healthz", check.path("path").asText());
        assertEquals("GET", check.path("method").asText());
    }
}
