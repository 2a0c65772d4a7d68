package dev.prismalauncher.deploy;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.SqlLexer;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;

/**
 * Names the failing statement of a script for the launcher's message ("statement 2 (line 5):
 * ALTER TABLE ..."), from what the database reported: a character position (PostgreSQL), or how
 * many statements completed before the error (both databases). Only on failure; the script is
 * streamed through the lexer, which keeps each statement's head only, so memory does not grow with it.
 */
final class Statements {
    private static final int SHOWN = 120;

    /**
     * @param completed statements the server completed before the error, or -1 if unknown
     * @param position PostgreSQL's 1-based character position of the error in the script, or null
     */
    static String failing(String script, Provider provider, int completed, Integer position) {
        int at = position == null ? -1 : script.offsetByCodePoints(0, Math.min(position - 1, script.codePointCount(0, script.length())));
        long offset = 0;
        int number = 0;
        try (SqlLexer.Pieces pieces = SqlLexer.read(new StringReader(script), provider, false)) {
            for (SqlLexer.Piece p = pieces.next(); p != null; p = pieces.next()) {
                long end = offset + p.length();
                if (!p.code().isEmpty()) {
                    number++;
                    boolean found = at >= 0 ? at < end : number == completed + 1;
                    if (found) {
                        return "statement " + number + " (line " + line(script, (int) offset + leading(script, (int) offset)) + "): "
                                + shown(p.code(), p.complete());
                    }
                }
                offset = end;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return completed >= 0 && at < 0 ? "statement " + (completed + 1) : null;
    }

    /** Where a piece's code starts: past the blanks and line comments that precede it (approximately). */
    private static int leading(String s, int from) {
        int i = from;
        while (true) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (!s.startsWith("--", i)) {
                return i - from;
            }
            int nl = s.indexOf('\n', i);
            if (nl < 0) {
                return i - from;
            }
            i = nl + 1;
        }
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
    private static String shown(String code, boolean complete) {
        String one = code.replaceAll("\\s+", " ").strip();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < one.length() && b.length() < SHOWN; i++) {
            char c = one.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        return one.length() > SHOWN || !complete ? b + "..." : b.toString();
    }

    private Statements() {}
}
