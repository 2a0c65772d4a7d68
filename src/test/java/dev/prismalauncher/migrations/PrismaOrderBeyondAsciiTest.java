package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names beyond ASCII where the approximation of ICU's order agrees with node (LANG unset):
 * accents, compatibility forms (ligatures, full-width, fraktur, Roman numerals, superscripts,
 * fractions), the letters with their own expansions or bases (ß, æ, œ, đ, ł, ħ), other scripts,
 * spaces that are not ASCII, and names long enough to grow the key. (A precomposed and a decomposed
 * accent are equal to ICU, so node keeps their input order; they are not both listed.) Recorded from node 20 and
 * re-checked live. (Not covered, because the approximation differs from ICU: digits of other
 * scripts, non-ASCII symbols among ASCII punctuation, ignorable format characters.)
 */
class PrismaOrderBeyondAsciiTest {
    static final List<String> NODE_ORDER = List.of(
            "0", "1/2", "\u00bd", "a", "\ud835\udd1e", "\u00e1", "\u00e4", "a b", "a\u00a0b", "a2", "a\u00b2", "a3",
            "a4", "ab", "ad\u017e", "a\u01c6", "AE", "\u00c6", "a\u03c9", "a\u03a9", "d", "\u0111", "D\u017e", "\u01c5", "f",
            "\uff46", "ff", "\ufb00", "h", "\u0127", "ix", "\u2168", "l", "\u0142", "m" + "ss".repeat(40), "m" + "\u00df".repeat(40),
            "m" + "\u00df".repeat(39) + "t", "oe", "OE", "\u0153", "\u0152", "viii", "\u2177", "x y", "x\u3000y");

    @TempDir
    Path dir;

    @Test
    void sortsAsNodeRecordedIt() {
        for (long seed = 1; seed <= 5; seed++) {
            List<String> shuffled = new ArrayList<>(NODE_ORDER);
            Collections.shuffle(shuffled, new Random(seed));
            assertEquals(NODE_ORDER, PrismaOrder.sort(shuffled), "seed " + seed);
            shuffled.sort(PrismaOrder.COMPARATOR);
            assertEquals(NODE_ORDER, shuffled, "comparator, seed " + seed);
        }
    }

    @Test
    void agreesWithNodeLive() throws Exception {
        NodeJs.require();
        List<String> reversed = new ArrayList<>(NODE_ORDER);
        Collections.reverse(reversed);
        Path in = Files.writeString(dir.resolve("in.json"), PrismaOrderTest.json(reversed), StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("node", "-e", "const v=JSON.parse(require('fs').readFileSync(0,'utf8'));"
                + "process.stdout.write(JSON.stringify(v.sort((a,b)=>a.localeCompare(b))))").redirectInput(in.toFile());
        pb.environment().remove("LANG");
        pb.environment().remove("LC_ALL");
        pb.environment().remove("LC_COLLATE");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(PrismaOrderTest.json(NODE_ORDER), PrismaOrderTest.json(PrismaOrderTest.parse(out)));
    }
}
