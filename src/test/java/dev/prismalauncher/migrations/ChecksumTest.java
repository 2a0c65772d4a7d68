package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChecksumTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void isLowercaseHexSha256OfTheBytes() {
        // the value Prisma's own checksum.rs test expects for "hello"
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", Checksum.of(b("hello")));
    }

    @Test
    void toleratesLineEndingChangesLikePrisma() {
        String lf = Checksum.of(b("CREATE TABLE a();\nCREATE TABLE b();\n"));
        String crlf = Checksum.of(b("CREATE TABLE a();\r\nCREATE TABLE b();\r\n"));
        assertTrue(Checksum.matches(b("CREATE TABLE a();\r\nCREATE TABLE b();\r\n"), lf));
        assertTrue(Checksum.matches(b("CREATE TABLE a();\nCREATE TABLE b();\n"), crlf));
        assertFalse(Checksum.matches(b("abc\n"), Checksum.of(b("abc"))));
        assertFalse(Checksum.matches(b("abc"), null));
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
}
