package dev.prismalauncher.prisma;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a byte stream, each at most {@link #MAX_LINE_BYTES}: the rest of a longer line is read and
 * dropped, and the kept part ends with a marker saying how much was dropped. Memory stays bounded
 * whatever Prisma prints (50 MB without a newline once killed a pump that kept whole lines).
 */
final class BoundedLines {
    static final int MAX_LINE_BYTES = 8192;

    private final InputStream in;
    private final byte[] buffer = new byte[8192];
    private int position, limit;
    private boolean eof;

    BoundedLines(InputStream in) {
        this.in = in;
    }

    /** The next line (without its \n or \r\n), or null at the end of the stream. */
    String next() throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        long dropped = 0;
        boolean any = false;
        while (true) {
            if (position == limit) {
                if (eof || !fill()) {
                    if (!any) return null;
                    break;
                }
            }
            any = true;
            byte b = buffer[position++];
            if (b == '\n') break;
            if (length < MAX_LINE_BYTES) {
                if (length == line.length) line = Arrays.copyOf(line, Math.min(line.length * 2, MAX_LINE_BYTES));
                line[length++] = b;
            } else {
                dropped++;
            }
        }
        if (dropped == 0 && length > 0 && line[length - 1] == '\r') length--;
        String text = new String(line, 0, length, StandardCharsets.UTF_8);
        return dropped == 0 ? text : text + " [... " + dropped + " more bytes of this line not shown]";
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer);
        if (n <= 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
