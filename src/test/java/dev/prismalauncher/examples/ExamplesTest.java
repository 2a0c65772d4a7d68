package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.DISTROLESS_ENTRYPOINT;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.JVM_ARGS;
import static dev.prismalauncher.examples.Examples.ROOT;
import static dev.prismalauncher.examples.Examples.documents;
import static dev.prismalauncher.examples.Examples.files;
import static dev.prismalauncher.examples.Examples.rel;
import static dev.prismalauncher.examples.Examples.section;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.testing.ParsedDockerfile;
import dev.prismalauncher.testing.ParsedDockerfile.Instruction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The files under examples/ are what users copy, so they are checked like code. This class holds
 * what spans every recipe: every YAML file parses (all documents), the README's "Which pattern
 * when" table lists every platform and links each recipe, nothing waits for a Job's Complete
 * alone, and the JVM flags live in one file. Each platform's recipe has its own Examples*Test
 * (Kubernetes, Compose, Dockerfiles, Heroku, Fly.io, Render, Railway, ECS, Cloud Run, Kamal); the
 * Dockerfile reader is dev.prismalauncher.testing.ParsedDockerfile.
 */
class ExamplesTest {

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
                "kubernetes/init-container.yaml", "heroku/heroku.yml", "kubernetes/cloud-sql-proxy.yaml", "render/render.yaml",
                "cloud-run/migrate-job.yaml", "cloud-run/service.yaml", "kamal/config/deploy.yml")), "examples found: " + names);
    }

    /** Every platform with a recipe, the folder (or file) it lives in, and the pattern it uses. */
    static final Map<String, String> PLATFORMS = new LinkedHashMap<>();

    static {
        PLATFORMS.put("Kubernetes", "examples/kubernetes/");
        PLATFORMS.put("Docker Compose", "examples/docker-compose.yml");
        PLATFORMS.put("Heroku", "examples/heroku/");
        PLATFORMS.put("Fly.io", "examples/fly/");
        PLATFORMS.put("Render", "examples/render/");
        PLATFORMS.put("Railway", "examples/railway/");
        PLATFORMS.put("AWS ECS", "examples/ecs/");
        PLATFORMS.put("Google Cloud Run", "examples/cloud-run/");
        PLATFORMS.put("Kamal", "examples/kamal/");
    }

    /**
     * The README's "Which pattern when" table: every platform listed, with the pattern it uses and
     * why, and a link to a recipe that exists; every recipe folder under examples/ is in it.
     */
    @Test
    void thePatternTableListsEveryPlatformAndItsRecipe() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String table = section(readme, "### Which pattern when");
        List<String> rows = table.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| ---") && !l.startsWith("| platform")).toList();
        Set<String> linked = new HashSet<>();
        for (var e : PLATFORMS.entrySet()) {
            List<String> row = rows.stream().filter(r -> r.startsWith("| " + e.getKey() + " |") || r.startsWith("| **" + e.getKey() + "** |")).toList();
            assertEquals(1, row.size(), "the pattern table has one row for " + e.getKey() + ":\n" + table);
            String[] cells = row.getFirst().split("\\|");
            assertTrue(cells.length >= 5, "platform | pattern | why | recipe: " + row.getFirst());
            String pattern = cells[2];
            assertTrue(pattern.contains("`migrate`") || pattern.contains("`run -- app`"), e.getKey() + ": the pattern names migrate or run -- app: " + pattern);
            assertFalse(cells[3].isBlank(), e.getKey() + ": says why");
            assertTrue(cells[4].contains(e.getValue()), e.getKey() + ": links " + e.getValue() + ": " + cells[4]);
            Matcher link = Pattern.compile("`(examples/[^`]+)`").matcher(cells[4]);
            while (link.find()) {
                assertTrue(Files.exists(ROOT.resolve(link.group(1))), e.getKey() + ": the recipe " + link.group(1) + " exists");
                linked.add(link.group(1));
            }
        }
        try (var dirs = Files.list(EXAMPLES)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String folder = "examples/" + d.getFileName() + "/";
                if (!folder.equals("examples/prisma-app/")) {
                    assertTrue(linked.stream().anyMatch(l -> l.startsWith(folder)), folder + " is a recipe the pattern table does not list");
                }
            }
        }
    }

    /** Each recipe folder's README says which pattern it uses and why, and shows the launcher invocation it relies on. */
    @Test
    void everyRecipeFolderHasAReadme() throws IOException {
        for (String folder : List.of("fly", "render", "railway", "ecs", "cloud-run", "kamal", "kubernetes", "heroku")) {
            Path readme = EXAMPLES.resolve(folder).resolve("README.md");
            assertTrue(Files.isRegularFile(readme), readme + " is missing");
            String text = Files.readString(readme);
            assertTrue(text.contains("migrate"), rel(readme) + " names migrate");
            assertTrue(text.contains("https://"), rel(readme) + " cites the platform's documentation");
        }
    }

    /**
     * An Alpine user finds the answer in the image section before the error: run needs a glibc
     * image and why, migrate works in its own glibc container beside the app, the error they would
     * see; and the migrate image the section shows is glibc-based with the launcher as ENTRYPOINT.
     */
    @Test
    void theImageSectionSaysWhatWorksOnAlpine() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String image = section(readme, "## Put it in your image");
        String alpine = section(image, "### Alpine (musl) app images");
        for (String fact : List.of("glibc", "musl", "`run -- app` needs a glibc app image", "same container, as the same PID",
                "`migrate` works beside an Alpine app", "Job or init", "/lib64/ld-linux-x86-64.so.2", "runtime/bin/java: not found")) {
            assertTrue(alpine.contains(fact), "the Alpine section says: " + fact);
        }
        Matcher block = Pattern.compile("```dockerfile\\n(.*?)```", Pattern.DOTALL).matcher(alpine);
        assertTrue(block.find(), "a migrate image to build");
        ParsedDockerfile d = ParsedDockerfile.parse(ROOT.resolve("README.md"), List.of(block.group(1).split("\\n")));
        var stage = d.stages().getFirst();
        assertFalse(stage.base().contains("alpine"), stage.base());
        assertEquals(List.of("/opt/prisma-launcher/entrypoint"), ParsedDockerfile.json(d.last(stage, "ENTRYPOINT")));
        assertEquals(List.of("migrate"), ParsedDockerfile.json(d.last(stage, "CMD")));
        assertTrue(d.instructions().stream().anyMatch(in -> in.args().contains("--from=prisma-launcher /opt/prisma-launcher /opt/prisma-launcher")));
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
            ParsedDockerfile d = ParsedDockerfile.parse(ROOT.resolve("README.md"), List.of(("FROM scratch\n" + block.group(1)).split("\n")));
            for (Instruction in : d.instructions()) {
                if (in.keyword().equals("ENTRYPOINT") && in.args().contains("runtime/bin/java")) {
                    javaEntrypoints.add(ParsedDockerfile.json(in));
                }
            }
        }
        assertEquals(List.of(DISTROLESS_ENTRYPOINT), javaEntrypoints, "README's exec-form ENTRYPOINT");
    }
}
