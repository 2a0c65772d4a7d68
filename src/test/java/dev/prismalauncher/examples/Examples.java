package dev.prismalauncher.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.CommandLine;
import dev.prismalauncher.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the Examples*Test classes share: where the recipes are, the formats they are read in (YAML,
 * JSON, TOML, each by a real parser, duplicate keys refused), and the launcher's own command-line
 * parser, through which every launcher invocation in a recipe must pass.
 */
final class Examples {
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
    static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** TOML 1.0 (jackson-dataformat-toml); a key defined twice is an error in TOML itself. */
    static final ObjectMapper TOML = new TomlMapper();

    static Path rel(Path p) {
        return p.startsWith(ROOT) ? ROOT.relativize(p) : p;
    }

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

    /** A file read by one of the mappers; a syntax error fails the test naming the file. */
    static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            JsonNode node = mapper.readTree(file.toFile());
            assertNotNull(node, rel(file) + " is empty");
            return node;
        } catch (IOException e) {
            throw new AssertionError(rel(file) + " does not parse: " + e.getMessage(), e);
        }
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

    /** Parses a launcher invocation with the launcher's own parser; any usage error fails the test. */
    static Config launcherConfig(List<String> args, Map<String, String> env, String where) {
        try {
            return CommandLine.parse(args.toArray(String[]::new), env);
        } catch (LauncherException e) {
            throw new AssertionError(where + ": the launcher refuses " + args + " with " + env.keySet() + ": " + e.getMessage(), e);
        }
    }

    /**
     * A command line a platform runs without a shell (exec form): the launcher's entrypoint, then its
     * arguments. Words are split on whitespace only: no quoting, no variables, as nothing expands them.
     */
    static Config execForm(String commandLine, Map<String, String> env, String where) {
        assertTrue(!commandLine.contains("$") && !commandLine.contains("\"") && !commandLine.contains("'"),
                where + ": no shell expands this command, so it must hold no variables or quotes: " + commandLine);
        List<String> words = List.of(commandLine.strip().split("\\s+"));
        assertEquals(LAUNCHER, words.getFirst(), where + " names the launcher's entrypoint (the platform replaces the image's ENTRYPOINT): " + commandLine);
        return launcherConfig(words.subList(1, words.size()), env, where);
    }

    /** A release-step recipe: the release command migrates; the app's command runs the app and skips migration work. */
    static void checkReleaseStep(Config migrate, Config run, String where) {
        assertEquals(Command.MIGRATE, migrate.command(), where + ": the release command");
        assertFalse(migrate.skipMigrations(), where + ": the release command must not skip the migration");
        assertEquals(Command.RUN, run.command(), where + ": the app's command");
        assertTrue(run.skipMigrations(), where + ": the release step migrated: the app's command skips migration work");
        assertEquals(List.of("node", "server.js"), run.appCommand(), where);
    }

    /**
     * The file an {@code X_FILE} variable names inside a container: it must lie in a volume mount of
     * a secret volume (Kubernetes and Cloud Run: {@code secret.secretName}, optional {@code items}
     * with {@code path}; without items each key is a file). The test's copy of that file, under
     * {@code mounts}, holds the sample URL, so the launcher's parser reads it as the container would.
     */
    static Path secretFile(String path, JsonNode container, JsonNode podSpec, Path mounts, String where) {
        for (JsonNode m : container.path("volumeMounts")) {
            String mountPath = text(m.get("mountPath"), where + ": volumeMounts[].mountPath");
            if (!path.startsWith(mountPath + "/")) {
                continue;
            }
            String inside = path.substring(mountPath.length() + 1);
            for (JsonNode v : podSpec.path("volumes")) {
                if (!v.path("name").asText().equals(m.path("name").asText())) {
                    continue;
                }
                JsonNode secret = v.path("secret");
                text(secret.get("secretName"), where + ": volume " + v.path("name") + " secret.secretName");
                boolean listed = false;
                for (JsonNode item : secret.path("items")) {
                    listed |= item.path("path").asText().equals(inside);
                }
                assertTrue(secret.has("items") ? listed : !inside.contains("/"),
                        where + ": " + path + " is not a file the secret volume " + v.path("name") + " holds");
                try {
                    Path file = mounts.resolve(path.substring(1));
                    Files.createDirectories(file.getParent());
                    Files.writeString(file, SAMPLE_URL + "\n");
                    return file;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new AssertionError(where + ": " + path + " is not in a mounted secret volume");
    }

    /** A Markdown section: from its heading line to the next heading of the same or a higher level (code blocks skipped). */
    static String section(String markdown, String heading) {
        int level = heading.indexOf(' ');
        StringBuilder out = null;
        boolean fence = false;
        for (String line : markdown.lines().toList()) {
            if (out == null) {
                if (line.equals(heading)) {
                    out = new StringBuilder(line).append('\n');
                }
                continue;
            }
            if (line.startsWith("```")) {
                fence = !fence;
            }
            int hashes = 0;
            while (hashes < line.length() && line.charAt(hashes) == '#') {
                hashes++;
            }
            if (!fence && hashes > 0 && hashes <= level && line.length() > hashes && line.charAt(hashes) == ' ') {
                break;
            }
            out.append(line).append('\n');
        }
        assertNotNull(out, "no section '" + heading + "'");
        return out.toString();
    }

    private Examples() {}
}
