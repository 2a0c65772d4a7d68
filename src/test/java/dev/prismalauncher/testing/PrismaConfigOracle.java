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
 * src/test/fixtures/prisma-config-oracle/oracle.mjs over the whole corpus (a node per scenario:
 * 1 to 3.5 minutes on the shared 2 cores) and keeps its lines, in memory for the JVM and in
 * target/prisma-config-oracle/&lt;sha-256&gt;.jsonl, the hash taken over the oracle, every corpus file,
 * node's version and the installed prisma's package.json: a later build with the same inputs
 * reads the file. node is required either way: its absence fails the test.
 */
public final class PrismaConfigOracle {
    public static final Path CORPUS = Path.of("src/test/resources/prisma-configs").toAbsolutePath();
    public static final Path SCRIPT = Path.of("src/test/fixtures/prisma-config-oracle/oracle.mjs").toAbsolutePath();
    private static final JsonFactory JSON = new JsonFactory();
    private static List<Map<String, Object>> lines;

    /** One oracle line: its fields as JSON values (String, Boolean, Long, null, List, Map). */
    public static synchronized List<Map<String, Object>> lines() {
        if (lines == null) {
            String nodeModules = Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES");
            Path cache = Path.of("target/prisma-config-oracle").toAbsolutePath().resolve(inputsHash(nodeModules) + ".jsonl");
            try {
                String out;
                if (Files.isRegularFile(cache)) {
                    out = Files.readString(cache);
                } else {
                    out = output(nodeModules, List.of());
                    Files.createDirectories(cache.getParent());
                    Path tmp = Files.createTempFile(cache.getParent(), "oracle", ".tmp");
                    Files.writeString(tmp, out);
                    Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                lines = parseLines(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return lines;
    }

    /** The inputs that decide the oracle's lines: any change to one of them runs it again. */
    private static String inputsHash(String nodeModules) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            sha.update(nodeVersion().getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(Path.of(nodeModules, "prisma", "package.json")));
            sha.update(Files.readAllBytes(SCRIPT));
            try (var files = Files.walk(CORPUS)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    sha.update(CORPUS.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                    sha.update(Files.readAllBytes(f));
                    sha.update((byte) 0);
                }
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String v = read(p.getInputStream()).strip();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return v;
            }
            throw new AssertionError("`node --version` failed: " + v);
        } catch (IOException e) {
            throw new AssertionError(NO_NODE + " (" + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final String NO_NODE = "node is not on PATH: the corpus oracle runs Prisma's own config loader with node;"
            + " install Node.js 20.19 or newer (prisma 7.10.1's engines field)";

    /** The line of one case × scenario. */
    public static Map<String, Object> line(String caseName, String scenario) {
        return lines().stream()
                .filter(l -> caseName.equals(l.get("case")) && scenario.equals(l.get("scenario")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the oracle gave no line for " + caseName + " / " + scenario));
    }

    /** Runs the oracle now (extra arguments: e.g. --case NAME) and parses its stdout. */
    public static List<Map<String, Object>> run(List<String> extra) {
        return parseLines(output(Project.prismaEnv("prisma-pg").get("PRISMA_NODE_MODULES"), extra));
    }

    private static List<Map<String, Object>> parseLines(String out) {
        List<Map<String, Object>> result = new ArrayList<>();
        for (String l : out.split("\n")) {
            if (!l.isBlank()) {
                result.add(parse(l));
            }
        }
        return result;
    }

    private static String output(String nodeModules, List<String> extra) {
        List<String> cmd = new ArrayList<>(List.of("node", SCRIPT.toString(), "--node-modules", nodeModules, "--corpus", CORPUS.toString()));
        cmd.addAll(extra);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new AssertionError(NO_NODE + " (" + e.getMessage() + ")", e);
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
        return out;
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
