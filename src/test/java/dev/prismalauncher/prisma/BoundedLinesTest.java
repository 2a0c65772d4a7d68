package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLinesTest {
    private static BoundedLines of(String text) {
        return new BoundedLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void splitsOnNewlinesAndDropsCarriageReturns() throws IOException {
        BoundedLines lines = of("one\r\ntwo\n\nlast without newline");
        assertEquals("one", lines.next());
        assertEquals("two", lines.next());
        assertEquals("", lines.next());
        assertEquals("last without newline", lines.next());
        assertNull(lines.next());
    }

    @Test
    void aLineOfExactlyTheLimitIsKeptWhole() throws IOException {
        String max = "a".repeat(BoundedLines.MAX_LINE_BYTES);
        BoundedLines lines = of(max + "\nnext\n");
        assertEquals(max, lines.next());
        assertEquals("next", lines.next());
    }

    @Test
    void aHugeLineIsCutWithAMarkerAndTheNextLineFollows() throws IOException {
        long huge = 50L * 1024 * 1024;
        // 50 MB of 'x' then "\nafter\n", streamed: nothing of this size is ever held
        InputStream in = new InputStream() {
            long left = huge;
            final byte[] tail = "\nafter\n".getBytes(StandardCharsets.US_ASCII);
            int t;

            @Override
            public int read() {
                if (left > 0) {
                    left--;
                    return 'x';
                }
                return t < tail.length ? tail[t++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left > 0) {
                    int n = (int) Math.min(len, left);
                    java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                    left -= n;
                    return n;
                }
                return super.read(b, off, len);
            }
        };
        BoundedLines lines = new BoundedLines(in);
        assertEquals("x".repeat(BoundedLines.MAX_LINE_BYTES) + " [... " + (huge - BoundedLines.MAX_LINE_BYTES)
                + " more bytes of this line not shown]", lines.next());
        assertEquals("after", lines.next());
        assertNull(lines.next());
    }

    @Test
    void aMultiByteCharacterCutAtTheLimitDoesNotBreakTheLine() throws IOException {
        String line = "a".repeat(BoundedLines.MAX_LINE_BYTES - 1) + "└─ more";
        String cut = of(line + "\n").next();
        assertEquals(true, cut.startsWith("a".repeat(BoundedLines.MAX_LINE_BYTES - 1)), cut.substring(0, 20));
        assertEquals(true, cut.endsWith("more bytes of this line not shown]"), cut);
    }
}
