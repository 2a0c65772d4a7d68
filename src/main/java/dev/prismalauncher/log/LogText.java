package dev.prismalauncher.log;

/**
 * Text from outside (folder names, migration.sql, the database's messages) made safe for a log
 * line: every control character written as a backslash, u and four hex digits (as JSON writes it), so that no input can end a line, forge
 * another, move the cursor or colour a terminal.
 */
public final class LogText {

    /** Every control character (C0, DEL, C1) escaped, newlines included. */
    public static String printable(String s) {
        return escape(s, false);
    }

    /**
     * As {@link #printable} but a newline is kept: for a text log line the launcher itself writes
     * on several lines (the evidence table), whose values were escaped with {@link #printable}.
     */
    public static String printableLines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepNewlines) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !escaped(s.charAt(i), keepNewlines)) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escaped(c, keepNewlines)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** ISO controls, and the Unicode line and paragraph separators that some viewers break lines at. */
    private static boolean escaped(char c, boolean keepNewlines) {
        return (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') && !(keepNewlines && c == '\n');
    }

    private LogText() {}
}
