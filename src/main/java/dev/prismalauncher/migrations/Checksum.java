package dev.prismalauncher.migrations;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Prisma's migration checksum: lowercase hex SHA-256 of migration.sql's bytes as they are
 * (schema-connector/src/checksum.rs). Matching tolerates line-ending changes the way Prisma's
 * {@code script_matches_checksum} does: the script as is, with CRLF turned into LF, and with every
 * LF turned into CRLF.
 */
public final class Checksum {

    public static String of(byte[] script) {
        return HexFormat.of().formatHex(sha256(script));
    }

    public static boolean matches(byte[] script, String stored) {
        if (stored == null) {
            return false;
        }
        String text = new String(script, StandardCharsets.UTF_8);
        return same(script, stored)
                || same(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8), stored)
                || same(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), stored);
    }

    private static boolean same(byte[] script, String stored) {
        byte[] digest = sha256(script);
        if (stored.length() == 64) {
            return HexFormat.of().formatHex(digest).equalsIgnoreCase(stored);
        }
        // Prisma before 2.x wrote each byte without zero padding (prisma-engines #1887).
        StringBuilder unpadded = new StringBuilder();
        for (byte b : digest) {
            unpadded.append(Integer.toHexString(b & 0xff));
        }
        return unpadded.toString().equalsIgnoreCase(stored);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private Checksum() {}
}
