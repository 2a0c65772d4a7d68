package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.single;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.testing.ParsedDockerfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/kamal: Kamal 2's pre-deploy hook migrates, the web role runs the app. Keys are from
 * Kamal's configuration docs (https://kamal-deploy.org/docs/configuration/overview/, kept in
 * Kamal's lib/kamal/configuration/docs/*.yml); hooks and their KAMAL_* variables from
 * https://kamal-deploy.org/docs/hooks/overview/. The hook is run against a kamal stand-in.
 */
class ExamplesKamalTest {
    static final Path DIR = EXAMPLES.resolve("kamal");
    static final Path HOOK = DIR.resolve(".kamal/hooks/pre-deploy");
    static final Set<String> TOP_LEVEL = Set.of("service", "image", "labels", "volumes", "registry", "servers", "env", "asset_path",
            "hooks_path", "hooks_output", "secrets_path", "error_pages_path", "require_destination", "primary_role", "allow_empty_roles",
            "retain_containers", "minimum_version", "readiness_delay", "deploy_timeout", "drain_timeout", "stop_timeout", "run_directory",
            "ssh", "builder", "accessories", "proxy", "sshkit", "boot", "logging", "output", "aliases");
    static final Set<String> ROLE = Set.of("hosts", "cmd", "stop_timeout", "options", "logging", "proxy", "labels", "env", "asset_path");

    static JsonNode deploy() {
        return single(DIR.resolve("config/deploy.yml"));
    }

    /** The env every container of the app's image gets (clear values, secrets as a sample URL). */
    static Map<String, String> environment(JsonNode deploy) {
        Map<String, String> env = new HashMap<>();
        deploy.path("env").path("clear").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        deploy.path("env").path("secret").forEach(s -> env.put(s.asText(), SAMPLE_URL));
        return env;
    }

    @Test
    void deployYmlUsesKamalsKeys() {
        JsonNode deploy = deploy();
        deploy.fieldNames().forEachRemaining(k -> assertTrue(TOP_LEVEL.contains(k), "not a Kamal configuration key: " + k));
        text(deploy.get("service"), "service");
        text(deploy.get("image"), "image");
        JsonNode web = deploy.path("servers").path("web");
        assertTrue(web.isObject(), "the web role (Kamal's default primary role)");
        web.fieldNames().forEachRemaining(k -> assertTrue(ROLE.contains(k), "not a role key: " + k));
        assertFalse(web.path("hosts").isEmpty(), "hosts");
        deploy.path("env").fieldNames().forEachRemaining(k -> assertTrue(Set.of("clear", "secret", "tags").contains(k), "env." + k));
        assertTrue(deploy.path("env").path("secret").toString().contains("DATABASE_URL"), "DATABASE_URL is a secret (.kamal/secrets)");
        assertTrue(deploy.path("stop_timeout").asInt() >= 15, "stop_timeout leaves the launcher its 10 s to stop Prisma");
        assertTrue(deploy.path("builder").path("args").has("LAUNCHER_IMAGE"), "the launcher image from a registry");
        assertTrue(ParsedDockerfile.parse(APP.resolve("Dockerfile")).instructions().stream()
                .anyMatch(in -> in.keyword().equals("ARG") && in.args().startsWith("LAUNCHER_IMAGE=")));
        assertEquals(environment(deploy).get("PORT"), deploy.path("proxy").path("app_port").asText(), "kamal-proxy forwards to the port server.js listens on");
        assertEquals("/healthz", deploy.path("proxy").path("healthcheck").path("path").asText());
    }

    @Test
    void theWebRoleRunsTheAppAndSkipsMigrations() {
        JsonNode deploy = deploy();
        Map<String, String> env = environment(deploy);
        assertFalse(env.containsKey("SKIP_MIGRATIONS"), "env reaches the hook's container too and would skip the migration");
        String cmd = text(deploy.path("servers").path("web").get("cmd"), "servers.web.cmd");
        Config run = launcherConfig(List.of(cmd.split("\\s+")), env, "servers.web.cmd");
        assertEquals(Command.RUN, run.command());
        assertTrue(run.skipMigrations(), "the hook migrated: the app containers pass --skip-migrations");
        assertEquals(List.of("node", "server.js"), run.appCommand());
    }

    /** The hook against a kamal stand-in that records its arguments and exits with the given code. */
    private static Hook hook(Path bin, Map<String, String> env, int kamalExit) throws Exception {
        Path log = bin.resolve("kamal-args");
        Path kamal = bin.resolve("kamal");
        Files.writeString(kamal, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + log + "\"\nexit " + kamalExit + "\n");
        kamal.toFile().setExecutable(true);
        assertTrue(Files.isExecutable(HOOK), "Kamal runs the hook only when it is executable");
        ProcessBuilder b = new ProcessBuilder(HOOK.toString()).redirectErrorStream(true);
        b.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        b.environment().keySet().removeIf(k -> k.startsWith("KAMAL_"));
        b.environment().putAll(env);
        Process p = b.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Hook(p.exitValue(), Files.exists(log) ? Files.readAllLines(log) : null, out);
    }

    record Hook(int exit, List<String> kamalArgs, String output) {}

    @Test
    void theHookMigratesTheNewVersionOnThePrimaryServer(@TempDir Path bin) throws Exception {
        Hook h = hook(bin, Map.of("KAMAL_VERSION", "3f2c9a1", "KAMAL_COMMAND", "deploy", "KAMAL_LOCK", "true"), 0);
        assertEquals(0, h.exit(), h.output());
        assertEquals(List.of("app", "exec", "--primary", "--version", "3f2c9a1", "migrate"), h.kamalArgs());
        // after kamal's own options: the command the new container's ENTRYPOINT (the launcher) gets
        Config migrate = launcherConfig(h.kamalArgs().subList(5, h.kamalArgs().size()), environment(deploy()), "pre-deploy hook");
        assertEquals(Command.MIGRATE, migrate.command());
        assertFalse(migrate.skipMigrations());

        Hook staging = hook(bin, Map.of("KAMAL_VERSION", "3f2c9a1", "KAMAL_COMMAND", "deploy", "KAMAL_DESTINATION", "staging"), 0);
        assertEquals(List.of("app", "exec", "--primary", "--version", "3f2c9a1", "--destination", "staging", "migrate"), staging.kamalArgs());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 3, 1})
    void aFailedMigrationFailsTheHookAndSoTheDeploy(int exit, @TempDir Path bin) throws Exception {
        Hook h = hook(bin, Map.of("KAMAL_VERSION", "3f2c9a1", "KAMAL_COMMAND", "deploy"), exit);
        assertEquals(exit, h.exit(), "the hook passes kamal's exit code on: " + h.output());
    }

    @Test
    void aRollbackDoesNotMigrate(@TempDir Path bin) throws Exception {
        Hook h = hook(bin, Map.of("KAMAL_VERSION", "0a1b2c3", "KAMAL_COMMAND", "rollback"), 4);
        assertEquals(0, h.exit(), h.output());
        assertEquals(null, h.kamalArgs(), "kamal is not called on rollback");
    }

    @Test
    void withoutAVersionTheHookFailsRatherThanMigrateAnotherRelease(@TempDir Path bin) throws Exception {
        Hook h = hook(bin, Map.of("KAMAL_COMMAND", "deploy"), 0);
        assertTrue(h.exit() != 0, h.output());
        assertEquals(null, h.kamalArgs());
    }
}
