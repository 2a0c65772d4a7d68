package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksumTest {
    /** Invalid UTF-8 of every kind: a Latin-1 byte, an encoded surrogate, a truncated 4-byte sequence, an overlong NUL, a BOM, a truncated end. */
    static final byte[] INVALID = bytes("SELECT 1; -- caf\\xe9 \\xed\\xa0\\x80 \\xf0\\x9f\\x98 \\xc0\\x80 \\xef\\xbb\\xbf\\xe2\\x82");

    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A string with \xNN escapes as bytes. */
    static byte[] bytes(String escaped) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); i++) {
            if (escaped.startsWith("\\x", i)) {
                out.write(Integer.parseInt(escaped.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                out.write(escaped.charAt(i));
            }
        }
        return out.toByteArray();
    }

    @Test
    void isLowercaseHexSha256OfTheBytes() {
        // the value Prisma's own checksum.rs test expects for "hello"
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Checksum.of(b("hello")));
    }

    @Test
    void hashesTheTextPrismaReadsNotTheRawBytes() {
        // recorded from node 20: sha256 of fs.readFileSync(f, 'utf-8'); the raw bytes hash to 5ce40ca6...
        assertEquals("5ceab627535f23a260dfc9d686986bcfe296172c0f21242cc6103648dd69ef5c", Checksum.of(INVALID));
        assertTrue(Checksum.matches(INVALID, "5ceab627535f23a260dfc9d686986bcfe296172c0f21242cc6103648dd69ef5c"));
        assertFalse(Checksum.matches(INVALID, "5ce40ca65b61b4362587679220b5257ce391e6c46cf5ce8b267a889016af2e10"));
    }

    @Test
    void toleratesLineEndingChangesLikePrisma() {
        String lf = Checksum.of(b("CREATE TABLE a();\nCREATE TABLE b();\n"));
        String crlf = Checksum.of(b("CREATE TABLE a();\r\nCREATE TABLE b();\r\n"));
        assertTrue(Checksum.matches(b("CREATE TABLE a();\r\nCREATE TABLE b();\r\n"), lf));
        assertTrue(Checksum.matches(b("CREATE TABLE a();\nCREATE TABLE b();\n"), crlf));
        assertFalse(Checksum.matches(b("abc\n"), Checksum.of(b("abc"))));
        assertFalse(Checksum.matches(b("abc"), null));
        assertFalse(Checksum.matches(b("abc\n"), ""));
        // checksum.rs's own cases: a lone CR stays, CR CR LF becomes CR LF
        for (String x : List.of("ab\ncd\nef\ngh\rab", "ab\ncd\nef\ngh\rab\n")) {
            String y = x.replace("\n", "\r\n");
            assertTrue(Checksum.matches(b(x), Checksum.of(b(y))));
            assertTrue(Checksum.matches(b(y), Checksum.of(b(x))));
        }
        assertTrue(Checksum.matches(b("a\r\r\nb"), Checksum.of(b("a\r\nb"))));
        // exact comparison, as Prisma's
        assertFalse(Checksum.matches(b("hello"), Checksum.of(b("hello")).toUpperCase()));
    }

    @Test
    void acceptsTheOldUnpaddedFormat() {
        // Prisma 2.0-era checksums dropped leading zeros of each byte (prisma-engines #1887)
        byte[] script = b("hello");
        String padded = Checksum.of(script);
        StringBuilder unpadded = new StringBuilder();
        for (int i = 0; i < padded.length(); i += 2) {
            unpadded.append(Integer.toHexString(Integer.parseInt(padded.substring(i, i + 2), 16)));
        }
        assertTrue(unpadded.length() < 64);
        assertTrue(Checksum.matches(script, unpadded.toString()));
    }

    @Test
    void streamsAcrossChunkBoundariesAsIfWhole() throws IOException {
        // a 4-byte character, a CR LF and an invalid sequence each split by the 64 KB chunk boundary
        for (byte[] tail : List.of(b("😀x"), b("\r\nx"), bytes("\\xe2\\x82x"), b("\r"))) {
            for (int shift = 0; shift < 4; shift++) {
                byte[] script = new byte[65536 - shift + tail.length];
                Arrays.fill(script, (byte) 'a');
                System.arraycopy(tail, 0, script, 65536 - shift, tail.length);
                Path file = Files.write(dir.resolve("m.sql"), script);
                String whole = new String(script, StandardCharsets.UTF_8); // Java replaces these cases like WHATWG
                assertEquals(Checksum.of(whole.getBytes(StandardCharsets.UTF_8)), Checksum.of(file));
                assertTrue(Checksum.matches(file, Checksum.of(whole.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8))));
                assertTrue(Checksum.matches(file, Checksum.of(whole.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8))));
            }
        }
    }

    @Test
    void agreesWithNodeOnRandomBytes() throws Exception {
        NodeJs.require(); // a missing node fails (naming what to install); it never passes silently
        Random random = new Random(7);
        List<Path> files = new ArrayList<>();
        String pieces = "\\xc0\\xc2\\xdf\\xe0\\xed\\xef\\xf0\\xf4\\xf5\\xff\\x80\\x8f\\x90\\x9f\\xa0\\xbf\\x0d\\x0a";
        byte[] interesting = bytes(pieces);
        for (int i = 0; i < 300; i++) {
            byte[] script = new byte[1 + random.nextInt(40)];
            for (int j = 0; j < script.length; j++) {
                script[j] = random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : (byte) random.nextInt(256);
            }
            files.add(Files.write(dir.resolve(i + ".sql"), script));
        }
        List<String> args = new ArrayList<>(List.of("node", "-e", "const c=require('crypto'),fs=require('fs');"
                + "for(const f of process.argv.slice(1)){const t=fs.readFileSync(f,'utf-8');"
                + "console.log([t,t.replaceAll('\\r\\n','\\n'),t.replaceAll('\\n','\\r\\n')]"
                + ".map(x=>c.createHash('sha256').update(x,'utf8').digest('hex')).join(' '))}"));
        files.forEach(f -> args.add(f.toString()));
        Process p = new ProcessBuilder(args).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(files.size(), lines.size(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        for (int i = 0; i < files.size(); i++) {
            String[] node = lines.get(i).split(" ");
            assertEquals(node[0], Checksum.of(files.get(i)), "file " + i);
            for (String variant : node) {
                assertTrue(Checksum.matches(files.get(i), variant), "file " + i);
            }
        }
    }


    /** Each line-ending rule pinned without node: the variants Prisma's script_matches_checksum tries. */
    @Test
    void eachLineEndingVariantAlone() throws IOException {
        // CRLF -> LF keeps a lone CR, also a trailing one
        assertTrue(Checksum.matches(b("x\r\ny\r"), Checksum.of(b("x\ny\r"))));
        assertFalse(Checksum.matches(b("x\r\ny\r"), Checksum.of(b("x\ny"))));
        assertTrue(Checksum.matches(b("a\rb\r\n"), Checksum.of(b("a\rb\n"))));
        assertFalse(Checksum.matches(b("a\rb\r\n"), Checksum.of(b("ab\n"))));
        assertTrue(Checksum.matches(b("\r\r\n"), Checksum.of(b("\r\n"))));
        // LF -> CRLF for every LF, also one already preceded by a CR
        assertTrue(Checksum.matches(b("a\nb\n"), Checksum.of(b("a\r\nb\r\n"))));
        assertTrue(Checksum.matches(b("a\r\nb\n"), Checksum.of(b("a\r\r\nb\r\n"))));
        assertFalse(Checksum.matches(b("a\nb\n"), Checksum.of(b("a\r\nb\n"))), "one variant at a time, not a mix");
        // no line ends: only the text as is
        assertFalse(Checksum.matches(b("ab"), Checksum.of(b("a b"))));
        // the same rules on a file (streamed, the variants computed only when the text has a line end)
        Path crlf = Files.write(dir.resolve("crlf.sql"), b("x\r\ny\r"));
        assertTrue(Checksum.matches(crlf, Checksum.of(b("x\ny\r"))));
        assertTrue(Checksum.matches(crlf, Checksum.of(b("x\r\r\ny\r"))));
        assertTrue(Checksum.matches(crlf, Checksum.of(b("x\r\ny\r"))));
        assertFalse(Checksum.matches(crlf, Checksum.of(b("x\ny"))));
        assertFalse(Checksum.matches(crlf, null));
        Path lone = Files.write(dir.resolve("lone.sql"), b("x\ry"));
        assertTrue(Checksum.matches(lone, Checksum.of(b("x\ry"))));
        assertFalse(Checksum.matches(lone, Checksum.of(b("xy"))));
        Path lf = Files.write(dir.resolve("lf.sql"), b("x\n"));
        assertTrue(Checksum.matches(lf, Checksum.of(b("x\r\n"))));
        assertEquals(Checksum.of(b("x\n")), Checksum.of(lf));
    }

    /** Line ends only, more than a chunk of them: every LF becomes two bytes in the CRLF variant. */
    @Test
    void aFileOfLineEndsLongerThanAChunk() throws IOException {
        byte[] lfs = new byte[70_000];
        Arrays.fill(lfs, (byte) '\n');
        byte[] crlfs = new String(lfs, StandardCharsets.US_ASCII).replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
        Path lf = Files.write(dir.resolve("lfs.sql"), lfs);
        Path crlf = Files.write(dir.resolve("crlfs.sql"), crlfs);
        assertTrue(Checksum.matches(lf, Checksum.of(crlfs)));
        assertTrue(Checksum.matches(crlf, Checksum.of(lfs)));
        byte[] crs = new byte[70_000];
        Arrays.fill(crs, (byte) '\r');
        Path cr = Files.write(dir.resolve("crs.sql"), crs);
        assertTrue(Checksum.matches(cr, Checksum.of(crs)));
        assertFalse(Checksum.matches(cr, Checksum.of(lfs)));
    }

    @Test
    void theUnpaddedFormIsTriedOnlyForShorterStoredValues() {
        byte[] script = b("hello");
        String padded = Checksum.of(script);
        assertEquals(64, padded.length());
        assertFalse(Checksum.matches(script, padded.substring(0, 63)), "a cut checksum is not the unpadded form");
        assertFalse(Checksum.matches(script, padded + "0"));
        assertTrue(Checksum.matches(script, padded));
        assertFalse(Checksum.matches(script, ""));
    }

    @Test
    void invalidUtf8AtEveryPositionIsReplacedAsNodeDoes() {
        // as node 20 decodes them: Buffer.from(bytes).toString('utf-8') gives these strings
        assertEquals(Checksum.of(b("\uFFFD")), Checksum.of(bytes("\\xff")));
        assertEquals(Checksum.of(b("\uFFFDa")), Checksum.of(bytes("\\xe2\\x82a")), "a truncated sequence is one U+FFFD");
        assertEquals(Checksum.of(b("\uFFFD\uFFFD")), Checksum.of(bytes("\\xc0\\x80")), "an overlong lead and its trail");
        assertEquals(Checksum.of(b("\uFFFD\uFFFD\uFFFD")), Checksum.of(bytes("\\xed\\xa0\\x80")), "an encoded surrogate");
        assertEquals(Checksum.of(b("\uFFFD")), Checksum.of(bytes("\\xf0\\x9f\\x98")), "a truncated end");
        assertEquals(Checksum.of(b("\uFFFD\uFFFD")), Checksum.of(bytes("\\xf4\\x90")), "past U+10FFFF");
        assertEquals(Checksum.of(b("\u00e9\u20ac\ud83d\ude00")), Checksum.of(bytes("\\xc3\\xa9\\xe2\\x82\\xac\\xf0\\x9f\\x98\\x80")));
    }
}
