package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.PrismaConfigOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The prisma.config corpus (issue 16 item 3) is whole, and its oracle runs Prisma 7.10.1's own
 * loader: one line per case × scenario, and the facts of that loader a reader of prisma.config
 * must follow (discovery order, paths from the config's folder, no implicit .env, env() on an
 * empty variable) come out of it. The field-by-field comparison with the launcher's reader lives
 * with that reader.
 */
class PrismaConfigOracleTest {
    private static final Pattern REAL_SOURCE = Pattern.compile("[\\w.-]+/[\\w.-]+@[0-9a-f]{40}:.+");
    private static final String DOTENV_HOST = "@envfile.internal:";

    @Test
    void theCorpusHasFortyCasesOrMoreEachWithItsSource() throws IOException {
        List<Path> cases = PrismaConfigOracle.cases();
        assertTrue(cases.size() >= 40, "the corpus has " + cases.size() + " cases, issue 16 asks for 40 or more");
        String sources = Files.readString(PrismaConfigOracle.CORPUS.resolve("SOURCES.md"));
        int real = 0;
        for (Path c : cases) {
            String name = c.getFileName().toString();
            Map<String, Object> spec = PrismaConfigOracle.parse(Files.readString(c.resolve("case.json")));
            Object origin = spec.get("origin");
            assertTrue("real".equals(origin) || "synthetic".equals(origin), name + ": origin " + origin);
            assertTrue(sources.contains("| " + name + " | " + origin + " |"), name + " has no row in SOURCES.md");
            if ("real".equals(origin)) {
                real++;
                String source = String.valueOf(spec.get("source"));
                assertTrue(REAL_SOURCE.matcher(source).matches(), name + ": source " + source + " is not owner/repo@commit:path");
                String commit = source.substring(source.indexOf('@') + 1, source.indexOf('@') + 13);
                assertTrue(sources.contains("| " + commit + " |"), name + ": SOURCES.md does not cite commit " + commit);
            }
            List<?> scenarios = (List<?>) spec.get("scenarios");
            assertFalse(scenarios == null || scenarios.isEmpty(), name + " has no scenario");
            Set<Object> names = new HashSet<>();
            for (Object s : scenarios) {
                assertTrue(names.add(((Map<?, ?>) s).get("name")), name + ": scenario names repeat");
            }
        }
        assertTrue(real * 2 > cases.size(), "most cases must be real, " + real + " of " + cases.size() + " are");
    }

    @Test
    void theOracleGivesOneLinePerScenarioFromPrisma7101() throws IOException {
        Set<String> expected = new HashSet<>();
        for (Path c : PrismaConfigOracle.cases()) {
            Map<String, Object> spec = PrismaConfigOracle.parse(Files.readString(c.resolve("case.json")));
            for (Object s : (List<?>) spec.get("scenarios")) {
                expected.add(c.getFileName() + " / " + ((Map<?, ?>) s).get("name"));
            }
        }
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> l : PrismaConfigOracle.lines()) {
            String key = l.get("case") + " / " + l.get("scenario");
            assertTrue(seen.add(key), "two lines for " + key);
            assertEquals("7.10.1", l.get("prisma"), key);
            if (Boolean.TRUE.equals(l.get("ok"))) {
                assertTrue(l.containsKey("loadedFromFile") && l.containsKey("datasourceUrl") && l.containsKey("migrationsPath"), key + ": " + l);
            } else {
                assertEquals(false, l.get("ok"), key + ": " + l);
                assertTrue(l.get("error") instanceof Map<?, ?> e && e.get("tag") != null, key + ": " + l);
                assertFalse("OracleFailure".equals(((Map<?, ?>) l.get("error")).get("tag")), key + ": " + l);
            }
        }
        assertEquals(expected, seen);
    }

    @Test
    void discoveryTakesPrisma7ConfigFirstThenJsBeforeTsThenTheRootBeforeDotConfig() {
        assertEquals("prisma7.config.ts", PrismaConfigOracle.line("91-discovery-prisma7-first", "none").get("loadedFromFile"));
        assertEquals("prisma.config.js", PrismaConfigOracle.line("90-discovery-js-beats-ts", "none").get("loadedFromFile"));
        assertEquals("prisma.config.ts", PrismaConfigOracle.line("92-discovery-root-beats-config-dir", "none").get("loadedFromFile"));
        assertEquals("from-root/migrations", PrismaConfigOracle.line("92-discovery-root-beats-config-dir", "none").get("migrationsPath"));
        Map<String, Object> none = PrismaConfigOracle.line("96-no-config-file", "env");
        assertEquals(true, none.get("ok"));
        assertNull(none.get("loadedFromFile"));
        assertEquals("ConfigFileNotFound", error(PrismaConfigOracle.line("97-config-flag-not-found", "env")).get("tag"));
    }

    @Test
    void relativePathsResolveFromTheConfigFilesFolderWhateverTheCwd() {
        for (String scenario : List.of("env", "config-flag-from-root")) {
            Map<String, Object> l = PrismaConfigOracle.line("13-libs-subfolder-relative", scenario);
            assertEquals("libs/db-client/src/schema.prisma", l.get("schema"), scenario);
            assertEquals("libs/db-client/src/migrations", l.get("migrationsPath"), scenario);
        }
        assertEquals("libs/db-client", PrismaConfigOracle.line("13-libs-subfolder-relative", "env").get("cwd"));
        assertEquals(".", PrismaConfigOracle.line("13-libs-subfolder-relative", "config-flag-from-root").get("cwd"));
    }

    @Test
    void dotEnvIsReadOnlyWhenTheConfigLoadsItAndNeverOverridesTheEnvironment() {
        assertNull(PrismaConfigOracle.line("14-path-join-src-db", "file-env-not-loaded").get("datasourceUrl"));
        assertTrue(url("01-dotenv-env-frontend", "file-env").contains(DOTENV_HOST));
        assertTrue(url("01-dotenv-env-frontend", "env-and-file").contains("@db.internal:"));
        // 'dotenv/config' loads .env first; the later .env.local does not override it
        assertTrue(url("04-dotenv-import-then-local", "both-files").contains(DOTENV_HOST));
        assertTrue(url("03-dotenv-local-then-env", "both-files").contains("@envlocal.internal:"));
        // dotenv reads from the cwd, not from the config's folder
        assertNull(PrismaConfigOracle.line("28-shadow-non-null-assertion", "file-env-at-root-not-cwd").get("datasourceUrl"));
        // an unquoted # starts a comment in .env: the raw password loses its tail
        assertTrue(url("07-template-encodeuri-earlyaccess", "file-env").contains(":Pw-7x!q%40SECRET@"));
    }

    @Test
    void envOfAnUnsetOrEmptyVariableIsAnErrorWhileNullishAndOrFallBackDifferently() {
        for (String scenario : List.of("none", "env-empty")) {
            Map<?, ?> e = error(PrismaConfigOracle.line("01-dotenv-env-frontend", scenario));
            assertEquals("PrismaConfigEnvError", e.get("name"), scenario);
            assertEquals("Cannot resolve environment variable: DATABASE_URL.", e.get("message"), scenario);
        }
        // || skips an empty DIRECT_URL, ?? keeps it
        assertTrue(url("17-direct-or-env", "direct-empty").contains("@db.internal:"));
        assertEquals("", url("19-const-nullish-chain-env", "direct-empty"));
    }

    @Test
    void defineConfigDropsOrPassesUnknownKeysWhileAPlainObjectWithThemIsRefused() {
        // defineConfig copies the keys it knows (earlyAccess, engine, migrate: gone) and brands its
        // result, which the loader then takes without validating (datasource.provider stays)
        assertTrue(url("07-template-encodeuri-earlyaccess", "env").startsWith("postgresql://app:"));
        assertTrue(url("29-datasource-provider-key", "env").contains("@db.internal:"));
        assertEquals("ConfigFileSyntaxError", error(PrismaConfigOracle.line("43-mjs-plain-directurl", "both")).get("tag"));
        assertEquals("ConfigFileSyntaxError", error(PrismaConfigOracle.line("48-cjs-plain-provider-directurl", "env")).get("tag"));
    }

    @Test
    void aConfigOutsideTheCandidateListIsIgnoredAndAJsonOneIsRefused() {
        assertNull(PrismaConfigOracle.line("38-config-inside-prisma-folder-p6", "as-the-project-runs-it").get("loadedFromFile"));
        assertEquals("packages/db/prisma/prisma/migrations",
                PrismaConfigOracle.line("38-config-inside-prisma-folder-p6", "with-config-flag").get("migrationsPath"));
        Map<?, ?> json = error(PrismaConfigOracle.line("88-json-config-only", "none"));
        assertEquals("Unsupported Prisma config file extension: .json", json.get("message"));
    }

    private static String url(String c, String scenario) {
        Map<String, Object> l = PrismaConfigOracle.line(c, scenario);
        assertEquals(true, l.get("ok"), c + " / " + scenario + ": " + l);
        return (String) l.get("datasourceUrl");
    }

    private static Map<?, ?> error(Map<String, Object> line) {
        assertEquals(false, line.get("ok"), line.toString());
        return (Map<?, ?>) line.get("error");
    }
}
