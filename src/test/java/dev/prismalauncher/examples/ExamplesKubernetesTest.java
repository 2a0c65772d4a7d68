package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.ROOT;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.documents;
import static dev.prismalauncher.examples.Examples.files;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.secretFile;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * examples/kubernetes: every object complete and consistent, every pod admitted by Pod Security
 * "restricted", every launcher invocation (args and env) accepted by the launcher's parser; the
 * Job a Helm/Argo hook whose pods nothing selects; wait-for-job returning on Complete or Failed;
 * the Cloud SQL Auth Proxy as a native sidecar (Kubernetes 1.29+) beside the Job and the init
 * container.
 */
class ExamplesKubernetesTest {
    /** The app's image, whose ENTRYPOINT is the launcher: its containers' args are the launcher's command line. */
    static final String APP_IMAGE = "registry.example.com/prisma-app:";

    record K8sObject(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }

        String name() {
            return node.path("metadata").path("name").asText();
        }

        JsonNode podSpec() {
            return node.path("spec").path("template").path("spec");
        }

        @Override
        public String toString() {
            return ROOT.relativize(file) + " " + kind() + "/" + name();
        }
    }

    static List<K8sObject> kubernetes(String file) {
        Path p = EXAMPLES.resolve("kubernetes").resolve(file);
        return documents(p).stream().map(d -> new K8sObject(p, d)).toList();
    }

    static K8sObject only(String file, String kind) {
        List<K8sObject> found = kubernetes(file).stream().filter(o -> o.kind().equals(kind)).toList();
        assertEquals(1, found.size(), file + " should hold one " + kind);
        return found.getFirst();
    }

    @Test
    void everyKubernetesObjectHasApiVersionKindAndName() {
        List<Path> manifests = files(EXAMPLES.resolve("kubernetes"), ".yaml", ".yml");
        assertEquals(4, manifests.size(), "manifests: " + manifests);
        for (Path p : manifests) {
            for (JsonNode d : documents(p)) {
                String where = ROOT.relativize(p).toString();
                text(d.get("apiVersion"), where + ": apiVersion");
                text(d.get("kind"), where + ": kind");
                text(d.path("metadata").get("name"), where + ": metadata.name");
                if (List.of("Deployment", "Job").contains(d.get("kind").asText())) {
                    checkWorkload(new K8sObject(p, d));
                }
            }
        }
    }

    /** What every pod running the launcher needs, in any of the three patterns. */
    static void checkWorkload(K8sObject o) {
        JsonNode pod = o.podSpec();
        assertTrue(pod.isObject(), o + ": spec.template.spec is missing");
        JsonNode grace = pod.get("terminationGracePeriodSeconds");
        assertTrue(grace != null && grace.isInt() && grace.asInt() >= 15,
                o + ": terminationGracePeriodSeconds must leave the launcher its 10 s to stop Prisma, is " + grace);
        if (o.kind().equals("Deployment")) {
            JsonNode selector = o.node().path("spec").path("selector").path("matchLabels");
            JsonNode labels = o.node().path("spec").path("template").path("metadata").path("labels");
            assertTrue(selector.isObject() && !selector.isEmpty(), o + ": spec.selector.matchLabels is missing");
            selector.properties().forEach(e -> assertEquals(e.getValue(), labels.get(e.getKey()), o + ": the selector must match the pod labels"));
        }
        // Pod Security "restricted" rejects pods without these
        assertEquals("RuntimeDefault", pod.path("securityContext").path("seccompProfile").path("type").asText(),
                o + ": securityContext.seccompProfile.type RuntimeDefault");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), o + ": runAsNonRoot");
        List<JsonNode> containers = new ArrayList<>();
        pod.path("initContainers").forEach(containers::add);
        pod.path("containers").forEach(containers::add);
        assertFalse(pod.path("containers").isEmpty(), o + ": no containers");
        for (JsonNode c : containers) {
            String where = o + " container " + c.path("name").asText("?");
            JsonNode security = c.path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), where + ": readOnlyRootFilesystem: true (the launcher writes nothing)");
            assertEquals("false", security.path("allowPrivilegeEscalation").asText(), where + ": allowPrivilegeEscalation: false");
            assertEquals(List.of("ALL"), strings(security.path("capabilities").get("drop"), where + ": capabilities.drop"));
            text(c.get("name"), where + ": name");
            text(c.get("image"), where + ": image");
            assertEquals("/dev/termination-log", c.path("terminationMessagePath").asText(), where + ": terminationMessagePath");
            assertEquals("FallbackToLogsOnError", c.path("terminationMessagePolicy").asText(), where + ": terminationMessagePolicy");
            Map<String, String> env = environment(c, pod, where);
            if (!c.has("command") && c.path("image").asText().startsWith(APP_IMAGE)) {
                // the image's ENTRYPOINT is the launcher: args are its command line
                launcherConfig(strings(c.get("args"), where + ": args"), env, where);
            }
        }
    }

    /** Where the test recreates files of mounted secret volumes (X_FILE variables read them). */
    @TempDir
    static Path mounts;

    /** A container's env as the launcher sees it; values from Secrets stand in as a sample URL. */
    static Map<String, String> environment(JsonNode container, String where) {
        return environment(container, null, where);
    }

    /** As above; an X_FILE variable names a file of a secret volume of {@code podSpec}, which then holds the sample URL. */
    static Map<String, String> environment(JsonNode container, JsonNode podSpec, String where) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : container.path("env")) {
            String name = text(e.get("name"), where + ": env name");
            if (e.has("value")) {
                // Kubernetes rejects numbers and booleans here: quote them
                assertTrue(e.get("value").isTextual(), where + ": env " + name + " must be a string, is " + e.get("value"));
                env.put(name, e.get("value").asText());
            } else {
                JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                text(ref.get("name"), where + ": env " + name + " secretKeyRef.name");
                text(ref.get("key"), where + ": env " + name + " secretKeyRef.key");
                env.put(name, SAMPLE_URL);
            }
            if (name.endsWith("_FILE")) {
                assertNotNull(podSpec, where + ": " + name + " names a file of a mounted volume");
                env.put(name, secretFile(env.get(name), container, podSpec, mounts, where).toString());
            }
        }
        return env;
    }

    static JsonNode container(JsonNode list, String name) {
        for (JsonNode c : list) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container named " + name + " in " + list);
    }

    static Config containerConfig(K8sObject o, JsonNode c) {
        String where = o + " container " + c.path("name").asText();
        return launcherConfig(strings(c.get("args"), where + ": args"), environment(c, o.podSpec(), where), where);
    }

    @Test
    void deploymentRunsTheAppThroughTheLauncher() {
        K8sObject d = only("deployment.yaml", "Deployment");
        assertEquals("apps/v1", d.node().path("apiVersion").asText());
        assertEquals(30, d.podSpec().path("terminationGracePeriodSeconds").asInt());
        JsonNode app = container(d.podSpec().path("containers"), "app");
        assertFalse(app.has("command"), "the image's ENTRYPOINT (the launcher) must stay in place");
        List<String> args = strings(app.get("args"), "args");
        assertEquals("run", args.getFirst(), "args: " + args);
        Config config = containerConfig(d, app);
        assertEquals(Command.RUN, config.command());
        assertFalse(config.skipMigrations());
        assertEquals(List.of("node", "server.js"), config.appCommand());
        assertTrue(app.path("env").findValues("secretKeyRef").size() >= 1, "DATABASE_URL comes from a Secret");
        assertEquals("DATABASE_URL", app.path("env").get(0).path("name").asText());
        assertTrue(app.path("readinessProbe").isObject(), "a readiness probe: the app listens only after migrating");
        assertEquals("http", app.path("readinessProbe").path("httpGet").path("port").asText());
        assertEquals("http", app.path("ports").get(0).path("name").asText());

        K8sObject service = only("deployment.yaml", "Service");
        assertEquals(d.node().path("spec").path("selector").path("matchLabels"), service.node().path("spec").path("selector"));
    }

    @Test
    void jobMigratesWithBoundedTime() {
        checkMigrateJob(only("migrate-job.yaml", "Job"));
    }

    /** A migrate Job: bounded in time overall and per try, no retry of what needs a person. */
    static void checkMigrateJob(K8sObject job) {
        assertEquals("batch/v1", job.node().path("apiVersion").asText());
        JsonNode spec = job.node().path("spec");
        assertTrue(spec.path("backoffLimit").isInt(), "backoffLimit");
        assertTrue(spec.path("activeDeadlineSeconds").isInt(), "activeDeadlineSeconds");
        assertTrue(List.of("Never", "OnFailure").contains(job.podSpec().path("restartPolicy").asText()), "a Job's pods need restartPolicy Never or OnFailure");
        JsonNode migrate = container(job.podSpec().path("containers"), "migrate");
        assertTrue(strings(migrate.get("args"), "args").contains("migrate"));
        Config config = containerConfig(job, migrate);
        assertEquals(Command.MIGRATE, config.command());
        assertNotNull(config.deployTimeout(), "DEPLOY_TIMEOUT bounds prisma migrate deploy");
        long perTry = config.dbWaitTimeout().toSeconds() + config.lockTimeout().toSeconds() + config.deployTimeout().toSeconds();
        assertTrue(spec.path("activeDeadlineSeconds").asLong() > perTry,
                "activeDeadlineSeconds must outlast one try (DB_WAIT_TIMEOUT + LOCK_TIMEOUT + DEPLOY_TIMEOUT = " + perTry + " s)");
        // podFailurePolicy (when present) names this container and needs restartPolicy Never
        for (JsonNode rule : spec.path("podFailurePolicy").path("rules")) {
            if (rule.has("onExitCodes")) {
                assertEquals("migrate", rule.path("onExitCodes").path("containerName").asText());
                assertEquals("Never", job.podSpec().path("restartPolicy").asText());
            }
        }
    }

    @Test
    void initContainerMigratesBeforeTheApp() {
        checkInitContainerPattern(only("init-container.yaml", "Deployment"));
    }

    static void checkInitContainerPattern(K8sObject d) {
        JsonNode init = container(d.podSpec().path("initContainers"), "migrate");
        assertTrue(strings(init.get("args"), "args").contains("migrate"));
        assertEquals(Command.MIGRATE, containerConfig(d, init).command());
        JsonNode app = container(d.podSpec().path("containers"), "app");
        if (app.has("command")) {
            assertFalse(strings(app.get("command"), "command").contains("migrate"), "the app container runs the app");
        } else {
            Config config = containerConfig(d, app);
            assertEquals(Command.RUN, config.command());
            assertTrue(config.skipMigrations(), "the init container migrated: the app container should set SKIP_MIGRATIONS=1");
            assertEquals(List.of("node", "server.js"), config.appCommand());
        }
        assertEquals(init.path("image"), app.path("image"), "one image: the migrations and the app of the same release");
    }

    // --- issue 19: the Cloud SQL Auth Proxy as a native sidecar --------------------------------

    /**
     * What Kubernetes' sidecar containers doc (https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/)
     * and the proxy's own example (GoogleCloudPlatform/cloud-sql-proxy examples/k8s-sidecar) state:
     * an init container with restartPolicy Always, before the init containers that need it, whose
     * startupProbe gates them; only sidecars among init containers may have probes; the proxy exits
     * 0 on the SIGTERM that ends it with the Job, serves its health checks where the kubelet probes
     * them, and listens on the port the documented URL names.
     */
    static JsonNode checkProxySidecar(K8sObject o) {
        JsonNode inits = o.podSpec().path("initContainers");
        JsonNode proxy = container(inits, "cloud-sql-proxy");
        assertEquals(proxy, inits.get(0), o + ": the sidecar is the first init container, so it runs before the others start");
        assertEquals("Always", proxy.path("restartPolicy").asText(), o + ": restartPolicy Always makes an init container a sidecar (Kubernetes 1.29+)");
        assertTrue(proxy.path("image").asText().startsWith("gcr.io/cloud-sql-connectors/cloud-sql-proxy:2."), o + ": the v2 proxy");
        List<String> args = strings(proxy.get("args"), o + ": proxy args");
        assertTrue(args.contains("--exit-zero-on-sigterm"), o + ": the sidecar is stopped with SIGTERM when the pod's containers end");
        assertTrue(args.contains("--health-check") && args.contains("--http-address=0.0.0.0"),
                o + ": health checks served where the kubelet reaches them");
        assertTrue(args.contains("--port=5432"), o + ": the port of the documented URL 127.0.0.1:5432");
        assertTrue(args.getLast().matches("[a-z0-9-]+:[a-z0-9-]+:[a-z0-9-]+"), o + ": the instance PROJECT:REGION:INSTANCE last, is " + args.getLast());
        JsonNode startup = proxy.path("startupProbe").path("httpGet");
        assertEquals("/startup", startup.path("path").asText(), o + ": a startupProbe gates the next init container on the proxy being ready");
        assertEquals(9090, startup.path("port").asInt(), o + ": the proxy's default --http-port");
        for (int i = 1; i < inits.size(); i++) {
            JsonNode init = inits.get(i);
            assertFalse(init.has("restartPolicy"), o + ": " + init.path("name") + " is a regular init container");
            for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe", "lifecycle")) {
                assertFalse(init.has(probe), o + ": a regular init container cannot have " + probe);
            }
        }
        return proxy;
    }

    @Test
    void theMigrateJobConnectsThroughTheProxySidecarAndCompletes() {
        K8sObject job = only("cloud-sql-proxy.yaml", "Job");
        checkProxySidecar(job);
        checkMigrateJob(job);
        assertEquals("Never", job.podSpec().path("restartPolicy").asText());
        JsonNode migrate = container(job.podSpec().path("containers"), "migrate");
        Config config = containerConfig(job, migrate);
        assertEquals("db.internal", config.databaseUrl().host(), "the URL is read from the mounted Secret (DATABASE_URL_FILE)");
        assertEquals(SAMPLE_URL, config.prismaEnvironment().get("DATABASE_URL"), "and handed to Prisma");
        assertEquals(1, job.podSpec().path("containers").size(), "one main container: the Job completes when it exits");
    }

    @Test
    void theInitContainerPatternConnectsThroughTheProxySidecar() {
        K8sObject d = only("cloud-sql-proxy.yaml", "Deployment");
        JsonNode proxy = checkProxySidecar(d);
        checkInitContainerPattern(d);
        assertEquals("/liveness", proxy.path("livenessProbe").path("httpGet").path("path").asText(), "a long-running sidecar restarts when the proxy hangs");
        JsonNode migrate = container(d.podSpec().path("initContainers"), "migrate");
        assertTrue(containerConfig(d, migrate).prismaEnvironment().containsKey("DATABASE_URL"), "the URL from the file reaches Prisma");
        JsonNode app = container(d.podSpec().path("containers"), "app");
        assertTrue(app.path("env").findValues("secretKeyRef").size() >= 1, "the app reads DATABASE_URL itself: it gets the variable");
    }

    @Test
    void theProxyRecipeDocumentsTheUrlAndTheKubernetesVersion() throws IOException {
        String yaml = Files.readString(EXAMPLES.resolve("kubernetes/cloud-sql-proxy.yaml"));
        String readme = Files.readString(EXAMPLES.resolve("kubernetes/README.md"));
        for (String doc : List.of(yaml, readme)) {
            assertTrue(doc.contains("postgresql://app:PASSWORD@127.0.0.1:5432/app"), "the URL through the proxy");
            assertTrue(doc.contains("1.29"), "the Kubernetes version native sidecars need");
        }
        assertTrue(readme.contains("cloud-sql-proxy.yaml"));
    }

    // --- issue 11: the recipes as each platform expects them ------------------------------------

    static Map<String, String> labels(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @Test
    void jobIsAHelmAndArgoHookWhosePodsNoServiceOrDeploymentSelects() {
        K8sObject job = only("migrate-job.yaml", "Job");
        JsonNode annotations = job.node().path("metadata").path("annotations");
        assertTrue(List.of(annotations.path("helm.sh/hook").asText().split(",")).containsAll(List.of("pre-install", "pre-upgrade")),
                "helm.sh/hook: pre-install,pre-upgrade, is " + annotations);
        assertEquals("before-hook-creation", annotations.path("helm.sh/hook-delete-policy").asText(), "Jobs are immutable: replace the last one");
        assertEquals("PreSync", annotations.path("argocd.argoproj.io/hook").asText());
        assertEquals("BeforeHookCreation", annotations.path("argocd.argoproj.io/hook-delete-policy").asText());

        Map<String, String> jobPods = labels(job.node().path("spec").path("template").path("metadata").path("labels"));
        assertEquals("migrate", jobPods.get("app.kubernetes.io/component"), "a component label on the Job's pods");
        List<Map<String, String>> selectors = new ArrayList<>();
        selectors.add(labels(only("deployment.yaml", "Service").node().path("spec").path("selector")));
        for (String file : List.of("deployment.yaml", "init-container.yaml", "cloud-sql-proxy.yaml")) {
            K8sObject d = only(file, "Deployment");
            Map<String, String> selector = labels(d.node().path("spec").path("selector").path("matchLabels"));
            assertTrue(selector.containsKey("app.kubernetes.io/component"), d + ": the selector names a component");
            selectors.add(selector);
        }
        Map<String, String> proxyJobPods = labels(only("cloud-sql-proxy.yaml", "Job").node().path("spec").path("template").path("metadata").path("labels"));
        for (Map<String, String> selector : selectors) {
            assertFalse(selects(selector, jobPods), "the selector " + selector + " must not select the migrate Job's pods " + jobPods);
            assertFalse(selects(selector, proxyJobPods), "the selector " + selector + " must not select the migrate Job's pods " + proxyJobPods);
        }
        // the Service still reaches the Deployment's pods
        assertTrue(selects(selectors.getFirst(), labels(only("deployment.yaml", "Deployment").node().path("spec").path("template").path("metadata").path("labels"))));
    }

    @Test
    void theDocsSayTheSecretMustExistBeforeTheHookAndShowInitCrashLoopBackOff() throws IOException {
        String job = Files.readString(EXAMPLES.resolve("kubernetes/migrate-job.yaml"));
        String readme = Files.readString(EXAMPLES.resolve("kubernetes/README.md"));
        assertTrue(job.contains("must already exist") && readme.contains("must exist before"), "the Secret must exist before the hook runs");
        assertTrue(Files.readString(EXAMPLES.resolve("kubernetes/init-container.yaml")).contains("Init:CrashLoopBackOff"));
        assertTrue(readme.contains("Init:CrashLoopBackOff"));
    }

    /** wait-for-job against a kubectl stand-in whose Job ends in the given condition: the first wait to return decides. */
    @ParameterizedTest
    @ValueSource(strings = {"complete", "failed"})
    void waitForJobReturnsOnCompleteOrFailed(String outcome, @TempDir Path bin) throws Exception {
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/bin/sh
                case "$*" in
                  *--for=condition=%s*) sleep 0.3; echo "job.batch/prisma-app-migrate condition met"; exit 0 ;;
                  wait*) exec sleep 60 ;;
                  logs*) echo "the migration log"; exit 0 ;;
                esac
                exit 2
                """.formatted(outcome));
        kubectl.toFile().setExecutable(true);
        ProcessBuilder b = new ProcessBuilder(EXAMPLES.resolve("kubernetes/wait-for-job").toString(), "prisma-app-migrate", "5m")
                .redirectErrorStream(true);
        b.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = b.start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "wait-for-job must return when the Job " + outcome + ", not wait out its timeout");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(outcome.equals("complete") ? 0 : 1, p.exitValue(), out);
        if (outcome.equals("failed")) {
            assertTrue(out.contains("the migration log"), out);
        }
    }
}
