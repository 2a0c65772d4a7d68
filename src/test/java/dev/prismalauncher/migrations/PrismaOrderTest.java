package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prisma 7 applies migrations in `localeCompare` order. The expected orders below were recorded
 * from node 20 (ICU, LANG unset); each case is also re-checked against node live (required: a
 * missing node fails), plus thousands of random ASCII names.
 */
class PrismaOrderTest {
    static final List<String> VECTOR = List.of("1_init", "10_users", "2_alpha", "2_Zeta", "2_zeta", "2-beta", "2_beta", "2.beta",
            "20250101000000_init", "20250101000000_Init", "20250101000000-init", "20250101000000 init", "a", "A", "b", "B", "ab",
            "a-b", "a_b", "aB", "Ab", "AB", "é", "e", "E", "É", "f", "ü", "u", "v", "ß", "ss", "st", "ø", "o", "p", "æ", "ae", "af",
            "å", "a1", "ñ", "n", "д", "а", "я", "中", "日", "z", "Ω", "ω", "ﬁ", "fi", "x\u0001y", "xy", "x~y", "x$y", "x0y",
            "résumé", "resume", "Résumé", "naïve", "naive", "straße", "strasse");

    static final List<String> NODE_ORDER = List.of("1_init", "10_users", "2_alpha", "2_beta", "2_zeta", "2_Zeta", "2-beta", "2.beta",
            "20250101000000 init", "20250101000000_init", "20250101000000_Init", "20250101000000-init", "a", "A", "å", "a_b", "a-b",
            "a1", "ab", "aB", "Ab", "AB", "ae", "æ", "af", "b", "B", "e", "E", "é", "É", "f", "fi", "ﬁ", "n", "ñ", "naive", "naïve",
            "o", "ø", "p", "resume", "résumé", "Résumé", "ss", "ß", "st", "strasse", "straße", "u", "ü", "v", "x~y", "x$y", "x0y",
            "x\u0001y", "xy", "z", "ω", "Ω", "а", "д", "я", "中", "日");

    @TempDir
    Path dir;

    @Test
    void theIssuesExampleIsNotByteOrder() {
        assertEquals(List.of("1_init", "10_users", "2_alpha", "2_Zeta"), PrismaOrder.sort(List.of("2_Zeta", "10_users", "2_alpha", "1_init")));
    }

    @Test
    void sortsTheVectorAsNodeRecordedIt() {
        assertEquals(NODE_ORDER, PrismaOrder.sort(VECTOR));
        List<String> viaComparator = new ArrayList<>(VECTOR);
        viaComparator.sort(PrismaOrder.COMPARATOR);
        assertEquals(NODE_ORDER, viaComparator);
    }

    @Test
    void agreesWithNodeLiveOnTheVectorAndOnRandomAsciiNames() throws Exception {
        NodeJs.require(); // a missing node fails (naming what to install); it never passes silently
        assertEquals(nodeSort(VECTOR), PrismaOrder.sort(VECTOR));
        // every ASCII character between two letters, then random names over all of ASCII
        List<String> names = new ArrayList<>();
        for (char c = 0; c < 128; c++) {
            names.add("m" + c + "m");
        }
        Random random = new Random(42);
        String alphabet = "0123456789_-abcAZz.~ $\t";
        for (int i = 0; i < 3000; i++) {
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(6);
            for (int j = 0; j < length; j++) {
                b.append(random.nextInt(4) == 0 ? (char) random.nextInt(128) : alphabet.charAt(random.nextInt(alphabet.length())));
            }
            names.add(b.toString());
        }
        List<String> unique = new ArrayList<>(new java.util.LinkedHashSet<>(names));
        List<String> expected = nodeSort(unique);
        List<String> ours = PrismaOrder.sort(unique);
        // localeCompare may hold two different names equal (ignorable controls); only the order of the others is fixed
        Map<String, Integer> rank = ranks(expected);
        for (int i = 1; i < ours.size(); i++) {
            String a = ours.get(i - 1);
            String b = ours.get(i);
            if (rank.get(a) > rank.get(b)) {
                assertEquals(0, nodeCompare(a, b), "node orders " + quote(b) + " before " + quote(a));
            }
        }
    }

    private static Map<String, Integer> ranks(List<String> sorted) {
        Map<String, Integer> r = new HashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            r.put(sorted.get(i), i);
        }
        return r;
    }

    private static String quote(String s) {
        return s.chars().mapToObj(c -> c < 32 || c == 127 ? String.format("\\u%04x", c) : String.valueOf((char) c))
                .reduce("", String::concat);
    }


    private List<String> nodeSort(List<String> names) throws Exception {
        String out = node("const v=JSON.parse(require('fs').readFileSync(0,'utf8'));"
                + "process.stdout.write(JSON.stringify(v.sort((a,b)=>a.localeCompare(b))))", json(names));
        return parse(out);
    }

    private int nodeCompare(String a, String b) throws Exception {
        return Integer.parseInt(node("const v=JSON.parse(require('fs').readFileSync(0,'utf8'));"
                + "process.stdout.write(String(v[0].localeCompare(v[1])))", json(List.of(a, b))).strip());
    }

    private String node(String script, String input) throws Exception {
        Path in = Files.writeString(dir.resolve("in.json"), input, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("node", "-e", script).redirectInput(in.toFile());
        pb.environment().remove("LANG");
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_COLLATE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), "node failed: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return out;
    }

    /** JSON strings with every non-printable or non-ASCII character escaped. */
    static String json(List<String> names) {
        StringBuilder b = new StringBuilder("[");
        for (String n : names) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"');
            for (char c : n.toCharArray()) {
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 32 || c > 126) {
                    b.append(String.format("\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            b.append('"');
        }
        return b.append(']').toString();
    }

    /** Parses what {@link #json} writes (node's JSON.stringify escapes only what JSON requires). */
    static List<String> parse(String json) {
        List<String> out = new ArrayList<>();
        int i = json.indexOf('[') + 1;
        while (true) {
            int start = json.indexOf('"', i);
            if (start < 0) {
                return out;
            }
            StringBuilder b = new StringBuilder();
            int j = start + 1;
            while (json.charAt(j) != '"') {
                char c = json.charAt(j);
                if (c == '\\') {
                    char e = json.charAt(j + 1);
                    switch (e) {
                        case 'u' -> {
                            b.append((char) Integer.parseInt(json.substring(j + 2, j + 6), 16));
                            j += 4;
                        }
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        default -> b.append(e);
                    }
                    j += 2;
                } else {
                    b.append(c);
                    j++;
                }
            }
            out.add(b.toString());
            i = j + 1;
        }
    }
}
