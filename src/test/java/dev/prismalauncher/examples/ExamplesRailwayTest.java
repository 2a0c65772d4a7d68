package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.JSON;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.checkReleaseStep;
import static dev.prismalauncher.examples.Examples.execForm;
import static dev.prismalauncher.examples.Examples.read;
import static dev.prismalauncher.examples.Examples.strings;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.testing.ParsedDockerfile;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * examples/railway/railway.json, Railway's config as code (https://docs.railway.com/config-as-code/reference):
 * the pre-deploy command migrates once per deployment, the start command runs the app. For a
 * Dockerfile service the start command replaces the image's ENTRYPOINT and runs in exec form
 * (https://docs.railway.com/deployments/start-command), so both commands name the launcher.
 */
class ExamplesRailwayTest {
    static final Set<String> BUILD = Set.of("builder", "dockerfilePath", "watchPatterns", "buildCommand");
    static final Set<String> DEPLOY = Set.of("preDeployCommand", "startCommand", "healthcheckPath", "healthcheckTimeout", "restartPolicyType",
            "restartPolicyMaxRetries", "numReplicas", "overlapSeconds", "drainingSeconds", "region", "sleepApplication");

    static JsonNode railway() {
        return read(JSON, EXAMPLES.resolve("railway/railway.json"));
    }

    @Test
    void theFileIsRailwayConfigAsCode() {
        JsonNode railway = railway();
        assertEquals("https://railway.com/railway.schema.json", railway.path("$schema").asText());
        railway.fieldNames().forEachRemaining(k -> assertTrue(Set.of("$schema", "build", "deploy").contains(k), "unexpected key " + k));
        railway.path("build").fieldNames().forEachRemaining(k -> assertTrue(BUILD.contains(k), "build." + k + " is not a config-as-code field"));
        railway.path("deploy").fieldNames().forEachRemaining(k -> assertTrue(DEPLOY.contains(k), "deploy." + k + " is not a config-as-code field"));
        assertEquals("DOCKERFILE", railway.path("build").path("builder").asText());
        assertTrue(Files.isRegularFile(APP.resolve(railway.path("build").path("dockerfilePath").asText())), "the app's Dockerfile");
        assertTrue(List.of("ON_FAILURE", "ALWAYS", "NEVER").contains(railway.path("deploy").path("restartPolicyType").asText()));
        assertEquals("/healthz", railway.path("deploy").path("healthcheckPath").asText());
    }

    @Test
    void thePreDeployCommandMigratesAndTheStartCommandRunsTheApp() {
        JsonNode deploy = railway().path("deploy");
        Map<String, String> env = Map.of("DATABASE_URL", SAMPLE_URL); // service variables reach both
        List<String> preDeploy = strings(deploy.get("preDeployCommand"), "deploy.preDeployCommand");
        assertEquals(1, preDeploy.size(), "one command: " + preDeploy);
        checkReleaseStep(execForm(preDeploy.getFirst(), env, "deploy.preDeployCommand"),
                execForm(text(deploy.get("startCommand"), "deploy.startCommand"), env, "deploy.startCommand"), "railway.json");
    }

    /** The image Railway builds is the Dockerfile's default target, whose ENTRYPOINT the start command replaces. */
    @Test
    void theDefaultTargetIsTheAppStage() {
        ParsedDockerfile d = ParsedDockerfile.parse(APP.resolve("Dockerfile"));
        assertEquals("app", d.stages().getLast().name());
        assertTrue(d.instructions().stream().anyMatch(in -> in.keyword().equals("ARG") && in.args().startsWith("LAUNCHER_IMAGE=")),
                "LAUNCHER_IMAGE is an ARG, so Railway passes the service variable to the build");
    }
}
