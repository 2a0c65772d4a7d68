package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.PrismaConfigOracle;
import dev.prismalauncher.testing.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3: every case × scenario of the prisma.config corpus
 * (src/test/resources/prisma-configs), read as the launcher reads it (discovery, then the static
 * reader, else Prisma's loader through node) and compared field by field with what
 * {@code loadConfigFromFile} of prisma 7.10.1 returned for the same tree, cwd and environment (the
 * corpus oracle). Where Prisma's loader fails, the launcher must refuse, never read a value. The
 * counts (static, node, refused) are printed; a change that sends more configs to node
 * fails here (at least 80% of the runs must be settled without Node).
 */
class PrismaConfigCorpusTest {
    @TempDir
    Path work;

    enum How { STATIC, NODE, NO_CONFIG, REFUSED_STATIC, REFUSED_NODE, REFUSED_DISCOVERY }

    @Test
    void everyScenarioReadsAsPrismaReadsIt() throws IOException {
        Path nodeModules = Path.of(Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES"));
        Files.createSymbolicLink(work.resolve("node_modules"), nodeModules);
        Map<String, Map<String, Object>> specs = new HashMap<>();
        for (Path c : PrismaConfigOracle.cases()) {
            specs.put(c.getFileName().toString(), PrismaConfigOracle.parse(Files.readString(c.resolve("case.json"))));
        }
        List<String> mismatches = new ArrayList<>();
        Map<How, Integer> counts = new TreeMap<>();
        Map<String, How> perCase = new LinkedHashMap<>();
        List<String> nodeReasons = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> line : PrismaConfigOracle.lines()) {
            String name = (String) line.get("case");
            String scenarioName = (String) line.get("scenario");
            String key = name + " / " + scenarioName;
            Map<String, Object> spec = specs.get(name);
            Map<?, ?> scenario = ((List<?>) spec.get("scenarios")).stream().map(Map.class::cast)
                    .filter(s -> scenarioName.equals(s.get("name"))).findFirst().orElseThrow();
            Path root = work.resolve(String.format("%03d", i++)).resolve(name);
            Project.copy(PrismaConfigOracle.CORPUS.resolve(name), root);
            Files.delete(root.resolve("case.json"));
            if (scenario.get("files") instanceof Map<?, ?> files) {
                for (var f : files.entrySet()) {
                    Path p = root.resolve((String) f.getKey());
                    Files.createDirectories(p.getParent());
                    Files.writeString(p, (String) f.getValue());
                }
            }
            String cwdRel = (String) (scenario.containsKey("cwd") ? scenario.get("cwd") : spec.get("cwd"));
            Object configArg = scenario.containsKey("configFile") ? scenario.get("configFile") : spec.get("configFile");
            Path cwd = root.resolve(cwdRel == null ? "." : cwdRel).normalize();
            Map<String, String> env = new HashMap<>();
            if (scenario.get("env") instanceof Map<?, ?> e) {
                e.forEach((k, v) -> env.put((String) k, (String) v));
            }
            env.put("PATH", System.getenv("PATH"));

            How how;
            Object mine = null; // ConfigScript.Result, or the refusal's message
            Path file = null;
            try {
                file = PrismaConfigFile.find(cwd, configArg == null || ((String) configArg).isEmpty() ? null : (String) configArg);
                if (file == null) {
                    how = How.NO_CONFIG;
                } else {
                    try {
                        mine = ConfigScript.read(file, Files.readString(file), cwd, new HashMap<>(env));
                        how = How.STATIC;
                    } catch (ConfigScript.Fails f) {
                        mine = f.getMessage();
                        how = How.REFUSED_STATIC;
                    } catch (ConfigScript.NotStatic n) {
                        NodeConfigLoader.Outcome o = NodeConfigLoader.load(cwd, file, env);
                        nodeReasons.add(key + ": " + n.getMessage());
                        if (o instanceof NodeConfigLoader.Outcome.Loaded l) {
                            mine = l.result();
                            how = How.NODE;
                        } else if (o instanceof NodeConfigLoader.Outcome.Failed f) {
                            mine = f.tag() + ": " + f.message();
                            how = How.REFUSED_NODE;
                        } else {
                            mismatches.add(key + ": Prisma's loader could not be asked: " + o);
                            continue;
                        }
                    }
                }
            } catch (PrismaConfigFile.Refused r) {
                mine = r.getMessage();
                how = How.REFUSED_DISCOVERY;
            }
            counts.merge(how, 1, Integer::sum);
            perCase.merge(name, how, (a, b) -> a.ordinal() >= b.ordinal() ? a : b);

            boolean ok = Boolean.TRUE.equals(line.get("ok"));
            if (!ok) {
                if (how == How.STATIC || how == How.NODE || how == How.NO_CONFIG) {
                    mismatches.add(key + ": Prisma fails (" + line.get("error") + ") but the launcher read it (" + how + ")");
                }
                continue;
            }
            if (how != How.STATIC && how != How.NODE && how != How.NO_CONFIG) {
                mismatches.add(key + ": Prisma loads it but the launcher refuses (" + how + "): " + mine);
                continue;
            }
            String loaded = (String) line.get("loadedFromFile");
            expect(mismatches, key, "loadedFromFile", loaded, file == null ? null : rel(root, file.toString()));
            if (how == How.NO_CONFIG) {
                continue;
            }
            ConfigScript.Result r = (ConfigScript.Result) mine;
            expect(mismatches, key + " (" + how + ")", "schema", line.get("schema"), rel(root, r.schema()));
            expect(mismatches, key + " (" + how + ")", "migrationsPath", line.get("migrationsPath"), rel(root, r.migrationsPath()));
            // the oracle writes the scenario's absolute root inside a value as ${root}
            expect(mismatches, key + " (" + how + ")", "datasourceUrl", line.get("datasourceUrl"),
                    r.url() == null ? null : r.url().replace(root.toRealPath().toString(), "${root}"));
            expect(mismatches, key + " (" + how + ")", "tablesExternal", orEmpty(line.get("tablesExternal")), r.externalTables());
            expect(mismatches, key + " (" + how + ")", "enumsExternal", orEmpty(line.get("enumsExternal")), r.externalEnums());
        }
        System.out.println("prisma.config corpus: " + perCase.size() + " cases, " + (i) + " case x scenario runs; per run " + counts
                + "; per case (its costliest scenario) " + tally(perCase));
        nodeReasons.forEach(r -> System.out.println("  node: " + r));
        assertEquals(List.of(), mismatches, "the launcher's reading differs from Prisma's loader");
        assertTrue(perCase.size() >= 40, "the corpus has " + perCase.size() + " cases");
        // settled without Node: 173 of 201 runs when written (86%); a reader that sends more to node must say why here
        int withoutNode = counts.getOrDefault(How.STATIC, 0) + counts.getOrDefault(How.NO_CONFIG, 0)
                + counts.getOrDefault(How.REFUSED_STATIC, 0) + counts.getOrDefault(How.REFUSED_DISCOVERY, 0);
        assertTrue(withoutNode * 100 >= 80 * i, withoutNode + " of " + i + " runs settled without Node: " + counts);
    }

    private static Map<How, Integer> tally(Map<String, How> perCase) {
        Map<How, Integer> t = new TreeMap<>();
        perCase.values().forEach(h -> t.merge(h, 1, Integer::sum));
        return t;
    }

    private static Object orEmpty(Object list) {
        return list == null ? List.of() : list;
    }

    private static void expect(List<String> mismatches, String key, String field, Object prisma, Object launcher) {
        if (!java.util.Objects.equals(prisma, launcher)) {
            mismatches.add(key + ": " + field + " Prisma " + prisma + ", launcher " + launcher);
        }
    }

    /** As the oracle writes paths: relative to the case root, '.' for the root, absolute outside it. */
    private static String rel(Path root, String path) {
        if (path == null) {
            return null;
        }
        Path p = Path.of(path);
        Path r = root.toAbsolutePath().normalize();
        try {
            r = r.toRealPath();
        } catch (IOException e) {
            // keep it
        }
        if (p.equals(r)) {
            return ".";
        }
        return p.startsWith(r) ? r.relativize(p).toString() : path;
    }
}
