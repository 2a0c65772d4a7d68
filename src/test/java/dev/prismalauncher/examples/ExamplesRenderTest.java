package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.checkReleaseStep;
import static dev.prismalauncher.examples.Examples.execForm;
import static dev.prismalauncher.examples.Examples.single;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.testing.ParsedDockerfile;
import dev.prismalauncher.testing.ParsedDockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * examples/render/render.yaml, a Render Blueprint (https://render.com/docs/blueprint-spec): the
 * pre-deploy command migrates once per deploy, the service runs the app. The service runs the app
 * image's `commands` stage (no ENTRYPOINT), so both commands name the launcher and work whether
 * Render replaces the image's ENTRYPOINT or only its CMD.
 */
class ExamplesRenderTest {
    /** Blueprint service fields (https://render.com/docs/blueprint-spec) this recipe may use. */
    static final Set<String> SERVICE_FIELDS = Set.of("type", "name", "runtime", "image", "preDeployCommand", "dockerCommand",
            "healthCheckPath", "numInstances", "envVars", "plan", "region", "autoDeploy", "maxShutdownDelaySeconds", "scaling");

    static JsonNode blueprint() {
        return single(EXAMPLES.resolve("render/render.yaml"));
    }

    static JsonNode service() {
        JsonNode services = blueprint().path("services");
        assertEquals(1, services.size(), "one service");
        return services.get(0);
    }

    /** A service's envVars: plain values, and fromDatabase references to a database the Blueprint declares. */
    static Map<String, String> environment(JsonNode blueprint, JsonNode service) {
        Set<String> databases = new HashSet<>();
        blueprint.path("databases").forEach(d -> databases.add(text(d.get("name"), "databases[].name")));
        Map<String, String> env = new HashMap<>();
        for (JsonNode e : service.path("envVars")) {
            String key = text(e.get("key"), "envVars[].key");
            if (e.has("value")) {
                assertTrue(e.get("value").isTextual(), key + ": quote it, a string");
                env.put(key, e.get("value").asText());
            } else {
                JsonNode ref = e.path("fromDatabase");
                assertTrue(databases.contains(ref.path("name").asText()), key + " comes from a database the Blueprint declares: " + ref);
                assertEquals("connectionString", ref.path("property").asText(), key);
                env.put(key, SAMPLE_URL);
            }
        }
        return env;
    }

    @Test
    void theServiceIsABlueprintImageServiceWithDocumentedFields() {
        JsonNode service = service();
        service.fieldNames().forEachRemaining(f -> assertTrue(SERVICE_FIELDS.contains(f), "not a Blueprint service field this recipe expects: " + f));
        assertEquals("web", service.path("type").asText());
        assertEquals("image", service.path("runtime").asText(), "a prebuilt image: the app's commands stage");
        text(service.path("image").get("url"), "image.url");
        assertEquals("/healthz", service.path("healthCheckPath").asText());
        assertTrue(service.path("numInstances").asInt() >= 1);
    }

    @Test
    void thePreDeployCommandMigratesAndTheServiceRunsTheApp() {
        JsonNode blueprint = blueprint();
        JsonNode service = service();
        Map<String, String> env = environment(blueprint, service);
        assertEquals(SAMPLE_URL, env.get("DATABASE_URL"));
        assertFalse(env.containsKey("SKIP_MIGRATIONS"), "an env var reaches the pre-deploy instance too and would skip the migration");

        checkReleaseStep(execForm(text(service.get("preDeployCommand"), "preDeployCommand"), env, "preDeployCommand"),
                execForm(text(service.get("dockerCommand"), "dockerCommand"), env, "dockerCommand"), "render.yaml");
    }

    /** The image: the app Dockerfile's commands stage, which has no ENTRYPOINT, built as the README says. */
    @Test
    void theImageIsTheCommandsStageWithoutAnEntrypoint() throws IOException {
        ParsedDockerfile d = ParsedDockerfile.parse(APP.resolve("Dockerfile"));
        Stage commands = d.stage("commands");
        assertNotNull(commands, "the app Dockerfile has a commands stage");
        assertEquals(List.of(), ParsedDockerfile.json(d.last(commands, "ENTRYPOINT")));
        assertEquals("/opt/prisma-launcher/entrypoint", ParsedDockerfile.json(d.last(commands, "CMD")).getFirst());
        String readme = Files.readString(EXAMPLES.resolve("render/README.md"));
        String build = "docker build --target commands -t " + service().path("image").path("url").asText() + " examples/prisma-app";
        assertTrue(readme.contains(build) && Files.readString(EXAMPLES.resolve("render/render.yaml")).contains(build), "both show: " + build);
    }
}
