package dev.prismalauncher.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What Prisma 7.10.1's own config loader makes of every case × scenario of the prisma.config
 * corpus (src/test/resources/prisma-configs, format in its README): runs
 * src/test/fixtures/prisma-config-oracle/oracle.mjs once per test JVM over the whole corpus
 * (about a minute on 2 cores) and keeps its lines. node is required: its absence fails the test.
 */
public final class PrismaConfigOracle {
    public static final Path CORPUS = Path.of("src/test/resources/prisma-configs").toAbsolutePath();
    public static final Path SCRIPT = Path.of("src/test/fixtures/prisma-config-oracle/oracle.mjs").toAbsolutePath();
    private static final JsonFactory JSON = new JsonFactory();
    private static List<Map<String, Object>> lines;

    /** One oracle line: its fields as JSON values (String, Boolean, Long, null, List, Map). */
    public static synchronized List<Map<String, Object>> lines() {
        if (lines == null) {
            lines = run(List.of());
        }
        return lines;
    }

    /** The line of one case × scenario. */
    public static Map<String, Object> line(String caseName, String scenario) {
        return lines().stream()
                .filter(l -> caseName.equals(l.get("case")) && scenario.equals(l.get("scenario")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the oracle gave no line for " + caseName + " / " + scenario));
    }

    /** Runs the oracle (extra arguments: e.g. --case NAME) and parses its stdout. */
    public static List<Map<String, Object>> run(List<String> extra) {
        String nodeModules = Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES");
        List<String> cmd = new ArrayList<>(List.of("node", SCRIPT.toString(), "--node-modules", nodeModules, "--corpus", CORPUS.toString()));
        cmd.addAll(extra);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AssertionError("node is not on PATH (" + e.getMessage() + "): the corpus oracle runs Prisma's own "
                    + "config loader with node; install Node.js 20.19 or newer (prisma 7.10.1's engines field)", e);
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("the oracle ran over 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        assertEquals(0, p.exitValue(), () -> "oracle failed: " + err.join() + "\n" + out);
        List<Map<String, Object>> result = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                result.add(parse(l));
            }
        }
        return result;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            p.nextToken();
            return (Map<String, Object>) value(p);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON line: " + line, e);
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return m;
            }
            case START_ARRAY -> {
                List<Object> a = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(value(p));
                }
                return a;
            }
            case VALUE_STRING -> { return p.getText(); }
            case VALUE_NUMBER_INT -> { return p.getLongValue(); }
            case VALUE_NUMBER_FLOAT -> { return p.getDoubleValue(); }
            case VALUE_TRUE -> { return true; }
            case VALUE_FALSE -> { return false; }
            case VALUE_NULL -> { return null; }
            default -> throw new IOException("unexpected " + t);
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The case folders (those holding a case.json), sorted. */
    public static List<Path> cases() {
        try (var s = Files.list(CORPUS)) {
            return s.filter(d -> Files.isRegularFile(d.resolve("case.json"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PrismaConfigOracle() {}
}
