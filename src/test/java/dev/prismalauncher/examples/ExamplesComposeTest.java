package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.ROOT;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.single;
import static dev.prismalauncher.examples.Examples.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.testing.ParsedDockerfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** examples/docker-compose.yml: PostgreSQL, the launcher image built from the repository, the app started through it. */
class ExamplesComposeTest {

    /** Compose's ${NAME:-default} and ${NAME}, with an empty environment. */
    static String interpolate(String value) {
        Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Test
    void composeRunsPostgresTheLauncherImageAndTheApp() {
        Path file = EXAMPLES.resolve("docker-compose.yml");
        JsonNode services = single(file).path("services");
        assertTrue(services.isObject(), "services");
        for (var s : services.properties()) {
            JsonNode svc = s.getValue();
            assertTrue(svc.has("image") || svc.has("build"), "service " + s.getKey() + " needs image or build");
            JsonNode dependsOn = svc.path("depends_on"); // a list of names, or a mapping name -> condition
            List<String> deps = new ArrayList<>();
            if (dependsOn.isObject()) {
                dependsOn.fieldNames().forEachRemaining(deps::add);
            } else {
                dependsOn.forEach(n -> deps.add(n.asText()));
            }
            deps.forEach(n -> assertTrue(services.has(n), s.getKey() + " depends on unknown service " + n));
        }
        assertTrue(services.path("db").path("image").asText().startsWith("postgres:16"), "db: postgres:16");
        assertFalse(services.path("db").has("ports"), "no host port for the database: it collides with a local PostgreSQL for no use");
        assertTrue(services.path("db").path("healthcheck").path("test").isArray(), "db: a healthcheck");
        assertEquals("service_healthy", services.path("app").path("depends_on").path("db").path("condition").asText(),
                "app: depends_on db with condition: service_healthy (a slow first init would otherwise use up DB_WAIT_TIMEOUT)");

        JsonNode launcher = services.path("launcher");
        assertEquals("prisma-launcher", launcher.path("image").asText());
        String launcherContext = launcher.path("build").isTextual() ? launcher.path("build").asText() : launcher.path("build").path("context").asText();
        assertEquals(ROOT.normalize(), EXAMPLES.resolve(launcherContext).normalize(), "the launcher image builds from the repository root");
        // The image's own service only proves it starts: `--version` has no configuration to build.
        assertEquals(List.of("--version"), strings(launcher.get("command"), "launcher command"), "compose launcher");
        assertEquals(Command.VERSION, CommandLine.read(new String[] {"--version"}, Map.of()).command(), "compose launcher");

        JsonNode app = services.path("app");
        JsonNode build = app.path("build");
        Path context = EXAMPLES.resolve(build.path("context").asText()).normalize();
        assertEquals(APP, context);
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText("Dockerfile"))), "the app's Dockerfile");
        String launcherContextRef = build.path("additional_contexts").path("prisma-launcher").asText();
        assertEquals("service:launcher", launcherContextRef, "the Dockerfile's prisma-launcher stage comes from the launcher service");
        assertTrue(ParsedDockerfile.parse(APP.resolve("Dockerfile")).stageNames().contains("prisma-launcher"));

        Map<String, String> env = new HashMap<>();
        app.path("environment").properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        assertTrue(env.get("DATABASE_URL").startsWith("postgresql://") && env.get("DATABASE_URL").contains("@db:5432/"), "DATABASE_URL names the db service");
        assertTrue(env.containsKey("MIGRATION_RESOLVE_STRATEGY"));
        assertEquals("60s", env.get("DB_WAIT_TIMEOUT"));
        // the app image's CMD, with this environment
        ParsedDockerfile dockerfile = ParsedDockerfile.parse(APP.resolve("Dockerfile"));
        Config config = launcherConfig(ParsedDockerfile.json(dockerfile.last(dockerfile.stages().getLast(), "CMD")), env, "compose app");
        assertEquals(Command.RUN, config.command());
        assertEquals(60, config.dbWaitTimeout().toSeconds());
    }
}
