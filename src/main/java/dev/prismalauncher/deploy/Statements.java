package dev.prismalauncher.deploy;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.SqlLexer;
import java.util.List;

/**
 * Names the failing statement of a script for the launcher's message ("statement 2 (line 5):
 * ALTER TABLE ..."), from what the database reported: a character position (PostgreSQL), or how
 * many statements completed before the error (both databases). Only on failure, and only for
 * scripts up to {@link #LEXED} (splitting copies the text); past it the statement is named by its
 * number alone.
 */
final class Statements {
    static final int LEXED = 4 * 1024 * 1024;
    private static final int SHOWN = 120;

    /**
     * @param completed statements the server completed before the error, or -1 if unknown
     * @param position PostgreSQL's 1-based character position of the error in the script, or null
     */
    static String failing(String script, Provider provider, int completed, Integer position) {
        if (script.length() > LEXED) {
            return completed >= 0 ? "statement " + (completed + 1) : null;
        }
        List<SqlLexer.Piece> pieces = SqlLexer.split(script, provider);
        int at = position == null ? -1 : script.offsetByCodePoints(0, Math.min(position - 1, script.codePointCount(0, script.length())));
        int offset = 0;
        int number = 0;
        for (SqlLexer.Piece p : pieces) {
            int end = offset + p.text().length();
            if (!p.code().isEmpty()) {
                number++;
                boolean found = at >= 0 ? at < end : number == completed + 1;
                if (found) {
                    return "statement " + number + " (line " + line(script, offset + leading(p.text())) + "): " + shown(p.code());
                }
            }
            offset = end;
        }
        return completed >= 0 && at < 0 ? "statement " + (completed + 1) : null;
    }

    /** Where the piece's code starts: past the blanks and comments that precede it (approximately: the first non-blank). */
    private static int leading(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        while (text.startsWith("--", i)) {
            int nl = text.indexOf('\n', i);
            if (nl < 0) {
                return i;
            }
            i = nl + 1;
            while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
        }
        return i;
    }

    private static int line(String s, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The statement on one line, cut to a readable length, control characters blanked. */
    private static String shown(String code) {
        String one = code.replaceAll("\\s+", " ").strip();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < one.length() && b.length() < SHOWN; i++) {
            char c = one.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return one.length() > SHOWN ? b + "..." : b.toString();
    }

    private Statements() {}
}
