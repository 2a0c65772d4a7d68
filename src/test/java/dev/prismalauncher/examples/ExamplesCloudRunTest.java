package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.secretFile;
import static dev.prismalauncher.examples.Examples.single;
import static dev.prismalauncher.examples.Examples.strings;
import static dev.prismalauncher.examples.Examples.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/cloud-run: a Cloud Run job migrates, then the service is updated. The files follow
 * Cloud Run's YAML for the v1 API (https://cloud.google.com/run/docs/reference/yaml/v1): a Job is
 * run.googleapis.com/v1 with the execution template at spec.template (its annotations carry
 * run.googleapis.com/cloudsql-instances) and the task template at spec.template.spec.template; a
 * Service is serving.knative.dev/v1 with the revision template at spec.template.
 */
class ExamplesCloudRunTest {
    static final Path DIR = EXAMPLES.resolve("cloud-run");
    static final String CLOUDSQL = "run.googleapis.com/cloudsql-instances";

    static JsonNode job() {
        return single(DIR.resolve("migrate-job.yaml"));
    }

    static JsonNode service() {
        return single(DIR.resolve("service.yaml"));
    }

    static JsonNode onlyContainer(JsonNode podLikeSpec, String where) {
        JsonNode containers = podLikeSpec.path("containers");
        assertEquals(1, containers.size(), where + ": one container");
        return containers.get(0);
    }

    /**
     * A container's environment as the launcher sees it: secrets stand in as a sample URL, and an
     * X_FILE variable must name a file inside a mounted secret volume, which then holds the sample URL.
     */
    static Map<String, String> environment(JsonNode container, JsonNode taskSpec, Path mounts) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = text(e.get("name"), "env[].name");
            if (e.has("value")) {
                assertTrue(e.get("value").isTextual(), name + ": a string");
                env.put(name, e.get("value").asText());
            } else {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                text(ref.get("name"), name + ": secretKeyRef.name (the Secret Manager secret)");
                text(ref.get("key"), name + ": secretKeyRef.key (its version)");
                env.put(name, SAMPLE_URL);
            }
        }
        for (var e : List.copyOf(env.entrySet())) {
            if (e.getKey().endsWith("_FILE")) {
                env.put(e.getKey(), secretFile(e.getValue(), container, taskSpec, mounts, "cloud-run").toString());
            }
        }
        return env;
    }

    @Test
    void theJobHasCloudRunsV1ShapeAndBoundsItsTask() {
        JsonNode job = job();
        assertEquals("run.googleapis.com/v1", job.path("apiVersion").asText());
        assertEquals("Job", job.path("kind").asText());
        text(job.path("metadata").get("name"), "metadata.name");
        JsonNode execution = job.path("spec").path("template");
        assertEquals(1, execution.path("spec").path("taskCount").asInt(), "one task: one migration");
        JsonNode task = execution.path("spec").path("template").path("spec");
        assertTrue(task.path("maxRetries").isInt() && task.path("maxRetries").asInt() <= 10, "maxRetries 0-10");
        JsonNode container = onlyContainer(task, "job");
        assertFalse(container.has("command"), "the image's ENTRYPOINT (the launcher) stays: args are its command line");
        text(container.get("image"), "image");
    }

    @Test
    void theJobMigratesThroughTheSecretFileAndItsTimeoutOutlastsOneTry(@TempDir Path mounts) throws IOException {
        JsonNode task = job().path("spec").path("template").path("spec").path("template").path("spec");
        JsonNode container = onlyContainer(task, "job");
        Map<String, String> env = environment(container, task, mounts);
        assertTrue(env.containsKey("DATABASE_URL_FILE") && !env.containsKey("DATABASE_URL"), "the job reads the URL from the mounted secret");
        Config config = launcherConfig(strings(container.get("args"), "args"), env, "job");
        assertEquals(Command.MIGRATE, config.command());
        assertEquals("db.internal", config.databaseUrl().host(), "the launcher read the URL from the file");
        assertEquals(SAMPLE_URL, config.prismaEnvironment().get("DATABASE_URL"), "and hands it to Prisma");
        long perTry = config.dbWaitTimeout().toSeconds() + config.lockTimeout().toSeconds() + config.deployTimeout().toSeconds();
        assertTrue(task.path("timeoutSeconds").asLong() > perTry, "timeoutSeconds must outlast one try (" + perTry + " s)");
    }

    @Test
    void theServiceRunsTheAppWithSkipMigrations(@TempDir Path mounts) throws IOException {
        JsonNode service = service();
        assertEquals("serving.knative.dev/v1", service.path("apiVersion").asText());
        assertEquals("Service", service.path("kind").asText());
        JsonNode revision = service.path("spec").path("template").path("spec");
        JsonNode container = onlyContainer(revision, "service");
        assertFalse(container.has("command"));
        Map<String, String> env = environment(container, revision, mounts);
        assertFalse(env.containsKey("PORT"), "PORT is reserved on Cloud Run: it is set from containerPort");
        Config config = launcherConfig(strings(container.get("args"), "args"), env, "service");
        assertEquals(Command.RUN, config.command());
        assertTrue(config.skipMigrations(), "the job migrated: SKIP_MIGRATIONS=1");
        assertEquals(List.of("node", "server.js"), config.appCommand());
        assertEquals("/healthz", container.path("startupProbe").path("httpGet").path("path").asText());

        JsonNode job = job();
        assertEquals(text(onlyContainer(job.path("spec").path("template").path("spec").path("template").path("spec"), "job").get("image"), "job image"),
                container.path("image").asText(), "the job migrates the release the service then runs");
        assertEquals(text(job.path("spec").path("template").path("metadata").path("annotations").get(CLOUDSQL), "job " + CLOUDSQL),
                text(service.path("spec").path("template").path("metadata").path("annotations").get(CLOUDSQL), "service " + CLOUDSQL));
    }

    /** The Cloud SQL socket URL the docs show names the instance both files connect, and the launcher reads it as a Unix socket. */
    @Test
    void theSocketUrlNamesTheAnnotatedInstance() throws IOException {
        String instance = job().path("spec").path("template").path("metadata").path("annotations").path(CLOUDSQL).asText();
        assertTrue(instance.matches("[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+"), "PROJECT:REGION:INSTANCE, is " + instance);
        Pattern url = Pattern.compile("postgresql://\\S+\\?host=/cloudsql/\\S+");
        List<String> urls = new ArrayList<>();
        for (Path p : List.of(DIR.resolve("migrate-job.yaml"), DIR.resolve("README.md"))) {
            Matcher m = url.matcher(Files.readString(p));
            assertTrue(m.find(), p + " shows the socket URL");
            urls.add(m.group());
        }
        for (String u : urls) {
            Config config = launcherConfig(List.of("migrate"), Map.of("DATABASE_URL", u), u);
            assertEquals("/cloudsql/" + instance, config.databaseUrl().parameter("host"), "host= is the annotated instance's socket directory");
        }
    }

    /** deploy against a gcloud stand-in: replace the job, execute it and wait, then replace the service; a failed execution stops it. */
    @Test
    void deployUpdatesTheServiceOnlyAfterTheJobSucceeded(@TempDir Path bin) throws Exception {
        Path log = bin.resolve("calls");
        Path gcloud = bin.resolve("gcloud");
        Files.writeString(gcloud, """
                #!/bin/sh
                echo "$*" >> "%s"
                case "$*" in
                  "run jobs execute"*) exit "${EXECUTE_EXIT:-0}" ;;
                esac
                exit 0
                """.formatted(log));
        gcloud.toFile().setExecutable(true);

        assertEquals(0, deploy(bin, "0"));
        assertEquals(List.of(
                "run jobs replace migrate-job.yaml --region europe-west1",
                "run jobs execute prisma-app-migrate --region europe-west1 --wait",
                "run services replace service.yaml --region europe-west1"), Files.readAllLines(log));
        assertEquals("prisma-app-migrate", job().path("metadata").path("name").asText(), "deploy executes the job the file defines");

        Files.delete(log);
        assertEquals(4, deploy(bin, "4"), "the failed execution's status");
        assertEquals(2, Files.readAllLines(log).size(), "the service is not updated after a failed migration: " + Files.readAllLines(log));
    }

    private static int deploy(Path bin, String executeExit) throws Exception {
        ProcessBuilder b = new ProcessBuilder(DIR.resolve("deploy").toString(), "europe-west1").redirectErrorStream(true);
        b.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        b.environment().put("EXECUTE_EXIT", executeExit);
        Process p = b.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertNotNull(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return p.exitValue();
    }
}
