package dev.prismalauncher.migrations;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Prisma's migration checksum (schema-connector/src/checksum.rs): lowercase hex SHA-256 of the
 * script <em>as text</em>. Prisma's CLI reads migration.sql as UTF-8 (node: invalid bytes become
 * U+FFFD, the WHATWG rule) and the engine hashes that text's UTF-8, so a file that is not valid
 * UTF-8 is hashed with each invalid sequence replaced by EF BF BD. Matching tolerates line-ending
 * changes as Prisma's {@code script_matches_checksum} does: the text as is, with CRLF turned into
 * LF, and with every LF turned into CRLF; and the unpadded format of early Prisma 2.
 *
 * <p>Streamed in 64 KB chunks, all three digests in one pass: memory does not grow with the file.
 */
public final class Checksum {
    private static final int CHUNK = 64 * 1024;
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    public static String of(Path script) {
        return HexFormat.of().formatHex(digests(script, false)[0]);
    }

    /** The text as is first; the line-ending variants only when that differs and the text has line ends. */
    public static boolean matches(Path script, String stored) {
        if (stored == null) {
            return false;
        }
        byte[][] asIs = digests(script, false);
        return matches(new byte[][] {asIs[0]}, stored) || asIs[1] != null && matches(digests(script, true), stored);
    }

    public static String of(byte[] script) {
        return HexFormat.of().formatHex(digests(new ByteArrayInputStream(script), false)[0]);
    }

    public static boolean matches(byte[] script, String stored) {
        return stored != null && matches(digests(new ByteArrayInputStream(script), true), stored);
    }

    private static boolean matches(byte[][] digests, String stored) {
        for (byte[] digest : digests) {
            // exact comparison, as Prisma's: its checksums are lowercase
            String rendered = !stored.isEmpty() && stored.length() != 64 ? unpadded(digest) : HexFormat.of().formatHex(digest);
            if (rendered.equals(stored)) {
                return true;
            }
        }
        return false;
    }

    /** Prisma before 2.x wrote each byte without zero padding (prisma-engines #1887). */
    private static String unpadded(byte[] digest) {
        StringBuilder b = new StringBuilder();
        for (byte x : digest) {
            b.append(Integer.toHexString(x & 0xff));
        }
        return b.toString();
    }

    private static byte[][] digests(Path script, boolean variants) {
        try (InputStream in = Files.newInputStream(script)) {
            return digests(in, variants);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A script's text as Prisma's CLI reads it (node's UTF-8 decoding, invalid bytes as U+FFFD): what
     * it hashes and what its engine runs (DEPLOY_ENGINE=jdbc runs the same text).
     */
    public static String text(byte[] raw) {
        if (validUtf8(raw)) {
            return new String(raw, java.nio.charset.StandardCharsets.UTF_8); // the usual case, without a decoded copy
        }
        try {
            return new String(decodedUtf8(new ByteArrayInputStream(raw), raw.length), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
    }

    /** Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). */
    static boolean validUtf8(byte[] b) {
        for (int i = 0; i < b.length; ) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n = c >= 0xC2 && c <= 0xDF ? 1 : c >= 0xE0 && c <= 0xEF ? 2 : c >= 0xF0 && c <= 0xF4 ? 3 : -1;
            if (n < 0 || i + n >= b.length) {
                return false;
            }
            int second = b[i + 1] & 0xff;
            int low = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
            int high = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            if (second < low || second > high) {
                return false;
            }
            for (int k = 2; k <= n; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            i += n + 1;
        }
        return true;
    }

    /** The first {@code limit} bytes of a stream decoded as node decodes UTF-8, as UTF-8 again. */
    static byte[] decodedUtf8(InputStream in, int limit) throws IOException {
        byte[] raw = in.readNBytes(limit);
        Utf8 decoder = new Utf8();
        byte[] out = new byte[raw.length * 3 + 8];
        int n = decoder.decode(raw, raw.length, out);
        n = decoder.finish(out, n);
        return Arrays.copyOf(out, n);
    }

    /**
     * The digests of the text decoded as WHATWG UTF-8: as is, CRLF to LF, LF to CRLF. Without
     * {@code variants} only the first; the second is then a non-null marker when the text has a CR
     * or LF (a variant could differ), else null.
     */
    static byte[][] digests(InputStream in, boolean variants) {
        MessageDigest asIs = sha256();
        MessageDigest lf = sha256();
        MessageDigest crlf = sha256();
        Utf8 decoder = new Utf8();
        byte[] raw = new byte[CHUNK];
        // decoded bytes can grow by 3x (each invalid byte becomes three); the variants by 2x
        byte[] text = new byte[CHUNK * 3 + 8];
        byte[] toLf = new byte[text.length + 1];
        byte[] toCrlf = new byte[text.length * 2];
        boolean pendingCr = false;
        boolean lineEnds = false;
        try {
            for (int n; (n = in.read(raw)) >= 0 || !decoder.finished; ) {
                int len = n >= 0 ? decoder.decode(raw, n, text) : decoder.finish(text, 0);
                asIs.update(text, 0, len);
                if (!variants) {
                    for (int i = 0; i < len && !lineEnds; i++) {
                        lineEnds = text[i] == '\r' || text[i] == '\n';
                    }
                    continue;
                }
                int a = 0;
                int b = 0;
                for (int i = 0; i < len; i++) {
                    byte c = text[i];
                    // CRLF -> LF, left to right, a CR held back until the next byte is known
                    if (pendingCr && c != '\n') {
                        toLf[a++] = '\r';
                    }
                    pendingCr = c == '\r';
                    if (!pendingCr) {
                        toLf[a++] = c;
                    }
                    if (c == '\n') {
                        toCrlf[b++] = '\r';
                    }
                    toCrlf[b++] = c;
                }
                if (n < 0 && pendingCr) {
                    toLf[a++] = '\r';
                }
                lf.update(toLf, 0, a);
                crlf.update(toCrlf, 0, b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!variants) {
            return new byte[][] {asIs.digest(), lineEnds ? new byte[0] : null};
        }
        return new byte[][] {asIs.digest(), lf.digest(), crlf.digest()};
    }

    /**
     * The WHATWG UTF-8 decoder (encoding.spec.whatwg.org, "UTF-8 decoder"), writing the UTF-8 of
     * the decoded text: valid sequences pass through, each error becomes U+FFFD.
     */
    private static final class Utf8 {
        private final byte[] pending = new byte[4];
        private int needed;
        private int seen;
        private int lower = 0x80;
        private int upper = 0xBF;
        boolean finished;

        int decode(byte[] in, int n, byte[] out) {
            int o = 0;
            for (int i = 0; i < n; i++) {
                int b = in[i] & 0xff;
                if (needed == 0) {
                    if (b < 0x80) {
                        out[o++] = (byte) b;
                        continue;
                    }
                    if (b >= 0xC2 && b <= 0xDF) {
                        needed = 1;
                    } else if (b >= 0xE0 && b <= 0xEF) {
                        lower = b == 0xE0 ? 0xA0 : 0x80;
                        upper = b == 0xED ? 0x9F : 0xBF;
                        needed = 2;
                    } else if (b >= 0xF0 && b <= 0xF4) {
                        lower = b == 0xF0 ? 0x90 : 0x80;
                        upper = b == 0xF4 ? 0x8F : 0xBF;
                        needed = 3;
                    } else {
                        o = replacement(out, o);
                        continue;
                    }
                    pending[0] = (byte) b;
                    seen = 0;
                    continue;
                }
                if (b < lower || b > upper) {
                    // error; the byte is processed again as the start of what follows
                    reset();
                    o = replacement(out, o);
                    i--;
                    continue;
                }
                lower = 0x80;
                upper = 0xBF;
                pending[++seen] = (byte) b;
                if (seen == needed) {
                    System.arraycopy(pending, 0, out, o, needed + 1);
                    o += needed + 1;
                    reset();
                }
            }
            return o;
        }

        /** End of input: an unfinished sequence is one error. */
        int finish(byte[] out, int o) {
            finished = true;
            if (needed != 0) {
                reset();
                return replacement(out, o);
            }
            return o;
        }

        private void reset() {
            needed = 0;
            seen = 0;
            lower = 0x80;
            upper = 0xBF;
        }

        private static int replacement(byte[] out, int o) {
            System.arraycopy(REPLACEMENT, 0, out, o, 3);
            return o + 3;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private Checksum() {}
}
