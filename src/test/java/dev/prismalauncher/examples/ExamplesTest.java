package dev.prismalauncher.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files under examples/ are what users copy, so they are checked like code: every YAML parses
 * (all documents), the Kubernetes objects and the Compose services are complete and consistent,
 * every Dockerfile (the root one too, when present) consists of known instructions with exec-form
 * ENTRYPOINT/CMD, and every launcher invocation in them - Kubernetes args and env, Compose
 * environment, Dockerfile CMDs, heroku.yml and Procfile commands - is accepted by the launcher's
 * own command-line parser.
 */
class ExamplesTest {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path EXAMPLES = ROOT.resolve("examples");
    static final Path APP = EXAMPLES.resolve("prisma-app");
    static final String LAUNCHER = "/opt/prisma-launcher/entrypoint";
    static final String COPY_LAUNCHER = "COPY --from=prisma-launcher /opt/prisma-launcher /opt/prisma-launcher";
    /** The exec-form ENTRYPOINT for images without a shell: the launcher's runtime, started directly. */
    static final List<String> DISTROLESS_ENTRYPOINT = List.of("/opt/prisma-launcher/runtime/bin/java", "@/opt/prisma-launcher/lib/jvm.args",
            "-XX:AOTCache=/opt/prisma-launcher/lib/prisma-launcher.aot", "-jar", "/opt/prisma-launcher/lib/prisma-launcher.jar");
    /** The one file of JVM flags (lib/jvm.args in the layout). */
    static final Path JVM_ARGS = ROOT.resolve("src/main/dist/jvm.args");
    /** Stands in for the URLs that come from Secrets and config vars. */
    static final String SAMPLE_URL = "postgresql://app:secret@db.internal:5432/app?schema=public";

    /** Duplicate keys are an error: YAML parsers disagree on which one wins. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
    static final ObjectMapper JSON = new ObjectMapper();

    static Path rel(Path p) {
        return p.startsWith(ROOT) ? ROOT.relativize(p) : p;
    }

    // --- YAML ------------------------------------------------------------------------------------

    static List<Path> files(Path under, String... suffixes) {
        try (Stream<Path> walk = Files.walk(under)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.toString().contains("/node_modules/"))
                    .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a YAML file (a file may hold several, separated by ---); empty ones dropped. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNextValue()) {
                JsonNode doc = it.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new AssertionError(ROOT.relativize(file) + " is not valid YAML: " + e.getMessage(), e);
        }
        return docs;
    }

    static JsonNode single(Path file) {
        List<JsonNode> docs = documents(file);
        assertEquals(1, docs.size(), file + " should hold one document");
        return docs.getFirst();
    }

    static String text(JsonNode node, String what) {
        assertNotNull(node, what + " is missing");
        assertTrue(node.isTextual() && !node.asText().isBlank(), what + " must be a non-empty string, is " + node);
        return node.asText();
    }

    static List<String> strings(JsonNode array, String what) {
        assertTrue(array != null && array.isArray(), what + " must be a list, is " + array);
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(text(n, what + " item")));
        return out;
    }

    @Test
    void everyYamlFileUnderExamplesParses() {
        List<Path> yaml = files(EXAMPLES, ".yml", ".yaml");
        Set<String> names = new HashSet<>();
        for (Path p : yaml) {
            List<JsonNode> docs = documents(p);
            assertFalse(docs.isEmpty(), p + " has no document");
            docs.forEach(d -> assertTrue(d.isObject(), p + ": every document is a mapping, got " + d));
            names.add(EXAMPLES.relativize(p).toString());
        }
        assertTrue(names.containsAll(Set.of("docker-compose.yml", "kubernetes/deployment.yaml", "kubernetes/migrate-job.yaml",
                "kubernetes/init-container.yaml", "heroku/heroku.yml")), "examples found: " + names);
    }

    // --- Kubernetes ------------------------------------------------------------------------------

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
        assertEquals(3, manifests.size(), "manifests: " + manifests);
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
            Map<String, String> env = environment(c, where);
            if (!c.has("command")) {
                // the image's ENTRYPOINT is the launcher: args are its command line
                launcherConfig(strings(c.get("args"), where + ": args"), env, where);
            }
        }
    }

    /** A container's env as the launcher sees it; values from Secrets stand in as a sample URL. */
    static Map<String, String> environment(JsonNode container, String where) {
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
        }
        return env;
    }

    /** Parses a launcher invocation with the launcher's own parser; any usage error fails the test. */
    static Config launcherConfig(List<String> args, Map<String, String> env, String where) {
        try {
            return CommandLine.parse(args.toArray(String[]::new), env);
        } catch (LauncherException e) {
            throw new AssertionError(where + ": the launcher refuses " + args + " with " + env.keySet() + ": " + e.getMessage(), e);
        }
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
        return launcherConfig(strings(c.get("args"), where + ": args"), environment(c, where), where);
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
        K8sObject job = only("migrate-job.yaml", "Job");
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
        K8sObject d = only("init-container.yaml", "Deployment");
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

    // --- Compose ---------------------------------------------------------------------------------

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
        launcherConfig(strings(launcher.get("command"), "launcher command"), Map.of(), "compose launcher");

        JsonNode app = services.path("app");
        JsonNode build = app.path("build");
        Path context = EXAMPLES.resolve(build.path("context").asText()).normalize();
        assertEquals(APP, context);
        assertTrue(Files.isRegularFile(context.resolve(build.path("dockerfile").asText("Dockerfile"))), "the app's Dockerfile");
        String launcherContextRef = build.path("additional_contexts").path("prisma-launcher").asText();
        assertEquals("service:launcher", launcherContextRef, "the Dockerfile's prisma-launcher stage comes from the launcher service");
        assertTrue(stageNames(Dockerfile.parse(APP.resolve("Dockerfile"))).contains("prisma-launcher"));

        Map<String, String> env = new HashMap<>();
        app.path("environment").properties().forEach(e -> env.put(e.getKey(), interpolate(e.getValue().asText())));
        assertTrue(env.get("DATABASE_URL").startsWith("postgresql://") && env.get("DATABASE_URL").contains("@db:5432/"), "DATABASE_URL names the db service");
        assertTrue(env.containsKey("MIGRATION_RESOLVE_STRATEGY"));
        assertEquals("60s", env.get("DB_WAIT_TIMEOUT"));
        // the app image's CMD, with this environment
        Dockerfile dockerfile = Dockerfile.parse(APP.resolve("Dockerfile"));
        Config config = launcherConfig(json(dockerfile.last(dockerfile.stages().getLast(), "CMD")), env, "compose app");
        assertEquals(Command.RUN, config.command());
        assertEquals(60, config.dbWaitTimeout().toSeconds());
    }

    // --- Dockerfiles -----------------------------------------------------------------------------

    static final Set<String> INSTRUCTIONS = Set.of("FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
            "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL");

    record Instruction(int line, String keyword, String args) {
        @Override
        public String toString() {
            return "line " + line + ": " + keyword + " " + args;
        }
    }

    record Stage(String base, String name, int line, List<Instruction> instructions) {}

    /**
     * A Dockerfile read the way BuildKit's parser reads it: parser directives, comments, line
     * continuations (with the escape directive's character), heredocs; every instruction checked
     * against the known ones.
     */
    record Dockerfile(Path path, List<Instruction> instructions) {
        static Dockerfile parse(Path path) {
            try {
                return parse(path, Files.readAllLines(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        static Dockerfile parse(Path path, List<String> lines) {
            char escape = '\\';
            int i = 0;
            Pattern directive = Pattern.compile("^#\\s*([a-zA-Z]+)\\s*=\\s*(\\S+)\\s*$");
            for (; i < lines.size(); i++) {
                Matcher m = directive.matcher(lines.get(i));
                if (!m.matches()) {
                    break;
                }
                if (m.group(1).equalsIgnoreCase("escape")) {
                    assertTrue(m.group(2).equals("\\") || m.group(2).equals("`"), rel(path) + ": escape must be \\ or `");
                    escape = m.group(2).charAt(0);
                }
            }
            Pattern heredoc = Pattern.compile("<<(-?)\\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?");
            List<Instruction> out = new ArrayList<>();
            while (i < lines.size()) {
                String line = lines.get(i);
                if (line.isBlank() || line.stripLeading().startsWith("#")) {
                    i++;
                    continue;
                }
                int start = i + 1;
                StringBuilder logical = new StringBuilder();
                String current = line;
                while (true) {
                    String trimmed = current.stripTrailing();
                    if (!trimmed.isEmpty() && trimmed.charAt(trimmed.length() - 1) == escape) {
                        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
                        i++;
                        // comment lines inside a continuation are dropped, as BuildKit does
                        while (i < lines.size() && lines.get(i).stripLeading().startsWith("#")) {
                            i++;
                        }
                        if (i >= lines.size()) {
                            fail(rel(path) + ":" + start + ": the instruction ends in a line continuation at the end of the file");
                        }
                        current = lines.get(i);
                    } else {
                        logical.append(current);
                        i++;
                        break;
                    }
                }
                String text = logical.toString().strip();
                String[] parts = text.split("\\s+", 2);
                String keyword = parts[0].toUpperCase(Locale.ROOT);
                String args = parts.length > 1 ? parts[1].strip() : "";
                if (!INSTRUCTIONS.contains(keyword)) {
                    fail(rel(path) + ":" + start + ": unknown instruction '" + parts[0] + "'");
                }
                if (keyword.equals("ONBUILD")) {
                    String inner = args.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
                    assertTrue(INSTRUCTIONS.contains(inner) && !Set.of("ONBUILD", "FROM", "MAINTAINER").contains(inner),
                            rel(path) + ":" + start + ": ONBUILD " + inner);
                }
                if (args.isEmpty()) {
                    fail(rel(path) + ":" + start + ": " + keyword + " without arguments");
                }
                if (Set.of("RUN", "COPY", "ADD").contains(keyword)) {
                    Matcher h = heredoc.matcher(args);
                    StringBuilder body = new StringBuilder(args);
                    while (h.find()) {
                        boolean strip = !h.group(1).isEmpty();
                        String end = h.group(2);
                        while (true) {
                            if (i >= lines.size()) {
                                fail(rel(path) + ":" + start + ": heredoc " + end + " is not closed");
                            }
                            String l = lines.get(i++);
                            if ((strip ? l.strip() : l).equals(end)) {
                                break;
                            }
                            body.append('\n').append(l);
                        }
                    }
                    args = body.toString();
                }
                out.add(new Instruction(start, keyword, args));
            }
            return new Dockerfile(path, out);
        }

        List<Stage> stages() {
            List<Stage> stages = new ArrayList<>();
            List<Instruction> current = null;
            for (Instruction in : instructions) {
                if (in.keyword().equals("FROM")) {
                    List<String> words = new ArrayList<>(List.of(in.args().split("\\s+")));
                    words.removeIf(w -> w.startsWith("--"));
                    assertTrue(words.size() == 1 || (words.size() == 3 && words.get(1).equalsIgnoreCase("AS")),
                            rel(path) + ":" + in.line() + ": FROM [--platform=...] IMAGE [AS NAME], got " + in.args());
                    current = new ArrayList<>();
                    stages.add(new Stage(words.getFirst(), words.size() == 3 ? words.get(2).toLowerCase(Locale.ROOT) : null, in.line(), current));
                } else if (current != null) {
                    current.add(in);
                }
            }
            return stages;
        }

        /** The stage's last instruction of a kind, following FROM <earlier stage> to inherit it. */
        Instruction last(Stage stage, String keyword) {
            for (Instruction in : stage.instructions().reversed()) {
                if (in.keyword().equals(keyword)) {
                    return in;
                }
            }
            Stage parent = stage(stage.base());
            return parent == null ? null : last(parent, keyword);
        }

        Stage stage(String name) {
            for (Stage s : stages()) {
                if (name.equalsIgnoreCase(s.name())) {
                    return s;
                }
            }
            return null;
        }

        /** The image a stage is built on, following FROM <earlier stage>. */
        String baseImage(Stage stage) {
            Stage parent = stage(stage.base());
            return parent == null ? stage.base() : baseImage(parent);
        }
    }

    static Set<String> stageNames(Dockerfile d) {
        Set<String> names = new HashSet<>();
        d.stages().forEach(s -> names.add(s.name()));
        return names;
    }

    /** An exec-form ENTRYPOINT/CMD: a JSON array of strings. */
    static List<String> json(Instruction in) {
        assertNotNull(in, "instruction missing");
        try {
            JsonNode node = JSON.readTree(in.args());
            return strings(node, in.toString());
        } catch (IOException | AssertionError e) {
            throw new AssertionError(in + " must be exec form, a JSON array of strings (shell form would wrap it in /bin/sh -c)", e);
        }
    }

    static List<Path> dockerfiles() {
        List<Path> all = new ArrayList<>(files(EXAMPLES, "").stream().filter(p -> {
            String name = p.getFileName().toString();
            return name.equals("Dockerfile") || name.startsWith("Dockerfile.") || name.endsWith(".Dockerfile");
        }).toList());
        if (Files.isRegularFile(ROOT.resolve("Dockerfile"))) {
            all.add(ROOT.resolve("Dockerfile")); // the launcher image (may not exist in every checkout)
        }
        return all;
    }

    @Test
    void everyDockerfileHasKnownInstructionsAndExecFormEntrypoints() {
        List<Path> dockerfiles = dockerfiles();
        assertTrue(dockerfiles.contains(APP.resolve("Dockerfile")), "found: " + dockerfiles);
        for (Path p : dockerfiles) {
            Dockerfile d = Dockerfile.parse(p);
            assertFalse(d.instructions().isEmpty(), rel(p) + " is empty");
            Instruction first = d.instructions().stream().filter(in -> !in.keyword().equals("ARG")).findFirst().orElseThrow();
            assertEquals("FROM", first.keyword(), rel(p) + ": the first instruction (after global ARGs) must be FROM, is " + first);
            List<Stage> stages = d.stages();
            Set<String> names = new HashSet<>();
            stages.forEach(x -> assertTrue(x.name() == null || names.add(x.name()), rel(p) + ": stage name " + x.name() + " used twice"));
            Set<String> earlier = new HashSet<>();
            for (Stage stage : stages) {
                assertFalse(stage.base().toLowerCase(Locale.ROOT).contains("alpine"),
                        rel(p) + ":" + stage.line() + ": the launcher's runtime is glibc-based; Alpine/musl images are not supported");
                for (Instruction in : stage.instructions()) {
                    if (in.keyword().equals("ENTRYPOINT") || in.keyword().equals("CMD")) {
                        try {
                            json(in);
                        } catch (AssertionError e) {
                            throw new AssertionError(rel(p) + " " + e.getMessage(), e);
                        }
                    }
                    if (in.keyword().equals("COPY") || in.keyword().equals("ADD")) {
                        Matcher from = Pattern.compile("--from=(\\S+)").matcher(in.args());
                        if (from.find()) {
                            String ref = from.group(1).toLowerCase(Locale.ROOT);
                            assertTrue(!names.contains(ref) || earlier.contains(ref),
                                    rel(p) + ":" + in.line() + ": COPY --from=" + ref + " names its own stage or a later one");
                        }
                    }
                }
                if (stage.name() != null) {
                    earlier.add(stage.name());
                }
            }
        }
    }

    @Test
    void appDockerfileCopiesTheLauncherAndMakesItTheEntrypoint() throws IOException {
        Path path = APP.resolve("Dockerfile");
        List<String> lines = Files.readAllLines(path);
        assertTrue(lines.contains(COPY_LAUNCHER), "the app Dockerfile must hold the line: " + COPY_LAUNCHER);
        Dockerfile d = Dockerfile.parse(path);

        // the launcher stage comes from an image the user can point elsewhere
        Stage launcherStage = d.stage("prisma-launcher");
        assertNotNull(launcherStage, "a stage named prisma-launcher");
        assertTrue(launcherStage.base().contains("${"), "the launcher image is a build argument: " + launcherStage.base());
        assertTrue(d.instructions().stream().anyMatch(in -> in.keyword().equals("ARG") && in.args().startsWith("LAUNCHER_IMAGE=prisma-launcher")));

        // the default target: node on Debian, non-root, the launcher as ENTRYPOINT
        Stage app = d.stages().getLast();
        assertEquals("node:22-bookworm-slim", d.baseImage(app));
        assertEquals(List.of(LAUNCHER), json(d.last(app, "ENTRYPOINT")));
        List<String> cmd = json(d.last(app, "CMD"));
        assertEquals(List.of("run", "--", "node", "server.js"), cmd);
        assertEquals(List.of("node", "server.js"), launcherConfig(cmd, Map.of("DATABASE_URL", SAMPLE_URL), "app CMD").appCommand());
        Instruction user = d.last(app, "USER");
        assertNotNull(user, "a non-root USER");
        assertFalse(Set.of("root", "0", "0:0").contains(user.args()), "USER " + user.args());

        // Heroku's stage: no ENTRYPOINT, a CMD that names the launcher
        Stage heroku = d.stage("heroku");
        assertNotNull(heroku, "a heroku stage (heroku.yml builds it)");
        assertEquals(List.of(), json(d.last(heroku, "ENTRYPOINT")));
        List<String> herokuCmd = json(d.last(heroku, "CMD"));
        assertEquals(LAUNCHER, herokuCmd.getFirst());
        assertEquals(Command.RUN, launcherConfig(herokuCmd.subList(1, herokuCmd.size()), Map.of("DATABASE_URL", SAMPLE_URL), "heroku CMD").command());

        // the commented distroless variant: parsed as if uncommented
        List<String> variant = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("# FROM gcr.io/distroless/")) {
                in = true;
            }
            if (in && line.startsWith("#")) {
                variant.add(line.replaceFirst("^# ?", ""));
            }
        }
        assertFalse(variant.isEmpty(), "a commented distroless variant");
        Dockerfile distroless = Dockerfile.parse(path, variant);
        Stage only = distroless.stages().getFirst();
        assertTrue(only.base().startsWith("gcr.io/distroless/nodejs22-debian12"), only.base());
        assertEquals(DISTROLESS_ENTRYPOINT, json(distroless.last(only, "ENTRYPOINT")));
        assertTrue(variant.contains(COPY_LAUNCHER));
        Map<String, String> env = new HashMap<>(Map.of("DATABASE_URL", SAMPLE_URL));
        Instruction envLine = distroless.last(only, "ENV");
        Matcher prismaCommand = Pattern.compile("PRISMA_COMMAND=\"([^\"]*)\"").matcher(envLine.args());
        assertTrue(prismaCommand.find(), "distroless has no /usr/bin/env for node_modules/.bin/prisma: PRISMA_COMMAND must name node");
        env.put("PRISMA_COMMAND", prismaCommand.group(1));
        Config config = launcherConfig(json(distroless.last(only, "CMD")), env, "distroless CMD");
        assertEquals("/nodejs/bin/node", config.prismaCommand().getFirst());
        assertTrue(config.appCommand().getFirst().startsWith("/"), "no node on PATH in distroless: " + config.appCommand());

        String ignore = Files.readString(APP.resolve(".dockerignore"));
        assertTrue(ignore.lines().anyMatch(l -> l.strip().equals("node_modules")), ".dockerignore keeps node_modules out of the context");
    }

    // --- the app -------------------------------------------------------------------------------

    @Test
    void appIsAPrisma7ProjectOnTheTestedPrismaVersion() throws IOException {
        JsonNode pkg = JSON.readTree(APP.resolve("package.json").toFile());
        assertTrue(pkg.path("private").asBoolean(), "private");
        assertEquals(JSON.readTree("{\"prisma\":\"7.10.1\"}"), pkg.path("dependencies"));
        JsonNode fixture = JSON.readTree(ROOT.resolve("src/test/fixtures/prisma-pg/package.json").toFile());
        assertEquals(fixture.path("dependencies").path("prisma"), pkg.path("dependencies").path("prisma"),
                "the same Prisma as the fixture, so the end-to-end test runs the CLI users get");
        assertTrue(pkg.path("scripts").path("start").asText().contains("server.js"));
        assertEquals(Files.readString(ROOT.resolve("src/test/fixtures/prisma-pg/prisma/migrations/migration_lock.toml")),
                Files.readString(APP.resolve("prisma/migrations/migration_lock.toml")));
        String schema = Files.readString(APP.resolve("prisma/schema.prisma"));
        assertTrue(schema.contains("provider = \"postgresql\""));
        assertFalse(schema.contains("url"), "Prisma 7 takes the URL from prisma.config.ts, not schema.prisma");
        assertTrue(Files.readString(APP.resolve("prisma.config.ts")).contains("process.env.DATABASE_URL"));
        try (Stream<Path> dirs = Files.list(APP.resolve("prisma/migrations"))) {
            List<Path> migrations = dirs.filter(Files::isDirectory).sorted().toList();
            assertEquals(2, migrations.size());
            migrations.forEach(m -> assertTrue(Files.isRegularFile(m.resolve("migration.sql")), m + "/migration.sql"));
        }
    }

    // --- Heroku ----------------------------------------------------------------------------------

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
        assertNotNull(Dockerfile.parse(APP.resolve("Dockerfile")).stage(target), "heroku.yml targets stage '" + target + "' of the app Dockerfile");
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
        for (String file : List.of("deployment.yaml", "init-container.yaml")) {
            K8sObject d = only(file, "Deployment");
            Map<String, String> selector = labels(d.node().path("spec").path("selector").path("matchLabels"));
            assertTrue(selector.containsKey("app.kubernetes.io/component"), d + ": the selector names a component");
            selectors.add(selector);
        }
        for (Map<String, String> selector : selectors) {
            assertFalse(selects(selector, jobPods), "the selector " + selector + " must not select the migrate Job's pods " + jobPods);
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

    /** Every document that tells users to wait for the Job waits for Complete or Failed. */
    @Test
    void nothingWaitsForACompleteJobOnly() throws IOException {
        List<Path> docs = new ArrayList<>(files(EXAMPLES, ".md", ".yaml", ".yml"));
        docs.add(ROOT.resolve("README.md"));
        for (Path p : docs) {
            assertFalse(Files.readString(p).contains("--for=condition=complete"),
                    rel(p) + ": `kubectl wait --for=condition=complete` hangs its whole timeout on a failed Job; use kubernetes/wait-for-job");
        }
        String script = Files.readString(EXAMPLES.resolve("kubernetes/wait-for-job"));
        assertTrue(script.contains("--for=condition=complete") && script.contains("--for=condition=failed"), script);
        assertTrue(Files.readString(EXAMPLES.resolve("kubernetes/migrate-job.yaml")).contains("./wait-for-job prisma-app-migrate"));
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

    // --- one source for the JVM flags ----------------------------------------------------------

    static List<String> jvmArgs() throws IOException {
        return Files.readAllLines(JVM_ARGS).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void jvmArgsHoldEveryFlagAndTheJavaLauncherAcceptsThem() throws Exception {
        List<String> flags = jvmArgs();
        for (String required : List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8")) {
            assertTrue(flags.contains(required), "jvm.args lacks " + required + ": " + flags);
        }
        for (String prefix : List.of("-Xms", "-Xmx", "-Xss")) {
            assertTrue(flags.stream().anyMatch(f -> f.startsWith(prefix)), "jvm.args lacks " + prefix + ": " + flags);
        }
        // the real java launcher reads the file the way the image does
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "@" + JVM_ARGS, "-XshowSettings:properties", "-version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("stdout.encoding = UTF-8"), out);
    }

    @Test
    void entrypointReadmeAndExamplesAllUseTheFlagsFile() throws IOException {
        List<String> flags = jvmArgs();
        String entrypoint = Files.readString(ROOT.resolve("entrypoint"));
        assertTrue(entrypoint.contains("\"@$args\"") && entrypoint.contains("$here/lib/jvm.args"), "entrypoint runs java @lib/jvm.args");
        String build = Files.readString(ROOT.resolve("scripts/build-runtime.sh"));
        assertTrue(build.contains("cp \"$root/src/main/dist/jvm.args\" \"$out/lib/jvm.args\""), "build-runtime.sh ships lib/jvm.args");
        // no flag of the file repeated anywhere else: one source
        Map<Path, String> texts = new LinkedHashMap<>();
        texts.put(ROOT.resolve("entrypoint"), entrypoint);
        texts.put(ROOT.resolve("README.md"), Files.readString(ROOT.resolve("README.md")));
        for (Path p : files(EXAMPLES, "")) {
            texts.put(p, Files.readString(p));
        }
        for (var e : texts.entrySet()) {
            for (String flag : flags) {
                for (String line : e.getValue().lines().toList()) {
                    boolean prose = !line.contains("java") && !line.contains("ENTRYPOINT") && !line.contains("\"-");
                    assertTrue(prose || !line.contains(flag), rel(e.getKey()) + " repeats " + flag + " instead of using jvm.args: " + line);
                }
            }
        }
        // the README's exec-form ENTRYPOINT (line continuations joined) is the one the examples use
        Matcher block = Pattern.compile("```dockerfile\\n(.*?)```", Pattern.DOTALL).matcher(texts.get(ROOT.resolve("README.md")));
        List<List<String>> javaEntrypoints = new ArrayList<>();
        while (block.find()) {
            Dockerfile d = Dockerfile.parse(ROOT.resolve("README.md"), List.of(("FROM scratch\n" + block.group(1)).split("\n")));
            for (Instruction in : d.instructions()) {
                if (in.keyword().equals("ENTRYPOINT") && in.args().contains("runtime/bin/java")) {
                    javaEntrypoints.add(json(in));
                }
            }
        }
        assertEquals(List.of(DISTROLESS_ENTRYPOINT), javaEntrypoints, "README's exec-form ENTRYPOINT");
    }
}
