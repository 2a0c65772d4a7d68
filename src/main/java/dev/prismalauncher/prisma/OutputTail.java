package dev.prismalauncher.prisma;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Prisma's last lines, bounded (40 lines, 8 KiB), so a failed deploy can repeat them at ERROR even
 * where LOG_LEVEL hid them as they came ("its output is above" must be true whatever the level).
 */
final class OutputTail {
    static final int MAX_LINES = 40;
    static final int MAX_CHARS = 8 * 1024;

    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private int chars;

    synchronized void add(String line) {
        String kept = line.length() > MAX_CHARS ? line.substring(0, MAX_CHARS) + "..." : line;
        lines.addLast(kept);
        chars += kept.length();
        while (lines.size() > MAX_LINES || (chars > MAX_CHARS && lines.size() > 1)) {
            chars -= lines.removeFirst().length();
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
