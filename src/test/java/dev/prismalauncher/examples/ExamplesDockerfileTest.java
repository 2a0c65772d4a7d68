package dev.prismalauncher.examples;

import static dev.prismalauncher.examples.Examples.APP;
import static dev.prismalauncher.examples.Examples.COPY_LAUNCHER;
import static dev.prismalauncher.examples.Examples.DISTROLESS_ENTRYPOINT;
import static dev.prismalauncher.examples.Examples.EXAMPLES;
import static dev.prismalauncher.examples.Examples.JSON;
import static dev.prismalauncher.examples.Examples.LAUNCHER;
import static dev.prismalauncher.examples.Examples.ROOT;
import static dev.prismalauncher.examples.Examples.SAMPLE_URL;
import static dev.prismalauncher.examples.Examples.files;
import static dev.prismalauncher.examples.Examples.launcherConfig;
import static dev.prismalauncher.examples.Examples.rel;
import static dev.prismalauncher.testing.ParsedDockerfile.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.prismalauncher.config.Command;
import dev.prismalauncher.config.Config;
import dev.prismalauncher.testing.ParsedDockerfile;
import dev.prismalauncher.testing.ParsedDockerfile.Instruction;
import dev.prismalauncher.testing.ParsedDockerfile.Stage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Dockerfile (examples/ and the root one, when present) read as BuildKit reads it: known
 * instructions, exec-form ENTRYPOINT/CMD, stages in order; the example app's image (launcher as
 * ENTRYPOINT, Heroku's stage, the commented distroless variant) and the app itself.
 */
class ExamplesDockerfileTest {

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
            ParsedDockerfile d = ParsedDockerfile.parse(p);
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
        ParsedDockerfile d = ParsedDockerfile.parse(path);

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
        ParsedDockerfile distroless = ParsedDockerfile.parse(path, variant);
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
}
