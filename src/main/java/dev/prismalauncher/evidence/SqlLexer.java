package dev.prismalauncher.evidence;

import dev.prismalauncher.config.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration.sql into statements the way its database reads it, so that a ';' inside a
 * string, a quoted identifier, a dollar-quoted body or a comment never ends a statement. The
 * pieces' texts concatenate back to the file exactly; each piece also carries its code with the
 * comments blanked (MySQL's executable {@code /*! ... *}{@code /} comments keep their content).
 *
 * <p>PostgreSQL: {@code '...'} ({@code ''} escapes), {@code E'...'} (backslash escapes too),
 * {@code "..."} identifiers, {@code $tag$...$tag$}, nested {@code /* *}{@code /}, {@code --}.
 * MySQL: {@code '...'} and {@code "..."} with backslash and doubled-quote escapes, backticks,
 * {@code #}, {@code -- } (dashes then a space or control character), {@code /*! ... *}{@code /}.
 */
public final class SqlLexer {

    /**
     * One statement as written, and its code without comments.
     *
     * @param index 1-based position among the pieces that hold code
     * @param text the exact characters, from the end of the previous piece through this one's ';'
     * @param code the text with comments replaced by a space, stripped; empty for a piece of only
     *     comments and blanks
     */
    public record Piece(int index, String text, String code) {
        /** The first line of code, for tables and messages. */
        public String firstLine() {
            String line = code.lines().findFirst().orElse("").strip();
            return line.length() > 80 ? line.substring(0, 77) + "..." : line;
        }
    }

    /** Every piece, including trailing comments and blanks (index 0 when it holds no code). */
    public static List<Piece> split(String sql, Provider provider) {
        return provider == Provider.POSTGRESQL ? new Scan(sql, true).run() : new Scan(sql, false).run();
    }

    /** Only the pieces that hold code. */
    public static List<Piece> statements(String sql, Provider provider) {
        return split(sql, provider).stream().filter(p -> !p.code().isEmpty()).toList();
    }

    private static final class Scan {
        private final String s;
        private final boolean pg;
        private final List<Piece> out = new ArrayList<>();
        private final StringBuilder code = new StringBuilder();
        private int start;
        private int i;
        private int index;

        Scan(String s, boolean pg) {
            this.s = s;
            this.pg = pg;
        }

        List<Piece> run() {
            int n = s.length();
            while (i < n) {
                char c = s.charAt(i);
                if (c == ';') {
                    code.append(c);
                    i++;
                    emit();
                } else if (c == '\'') {
                    boolean backslashes = !pg || escapeStringPrefix();
                    quoted('\'', backslashes);
                } else if (c == '"') {
                    quoted('"', !pg);
                } else if (c == '`' && !pg) {
                    quoted('`', false);
                } else if (c == '-' && at(i + 1) == '-' && (pg || isMySqlDashComment())) {
                    lineComment();
                } else if (c == '#' && !pg) {
                    lineComment();
                } else if (c == '/' && at(i + 1) == '*') {
                    blockComment();
                } else if (c == '$' && pg && dollarQuote()) {
                    // consumed
                } else {
                    code.append(c);
                    i++;
                }
            }
            if (start < n) {
                emit();
            }
            return out;
        }

        private char at(int k) {
            return k < s.length() ? s.charAt(k) : '\0';
        }

        private void emit() {
            String c = code.toString().strip();
            out.add(new Piece(c.isEmpty() ? 0 : ++index, s.substring(start, i), c));
            start = i;
            code.setLength(0);
        }

        /** PostgreSQL E'...' (or e'...'): the E must not be the end of a longer word. */
        private boolean escapeStringPrefix() {
            if (i == 0 || (s.charAt(i - 1) != 'E' && s.charAt(i - 1) != 'e')) {
                return false;
            }
            return i < 2 || !isIdentifierChar(s.charAt(i - 2));
        }

        /** A quoted run; a doubled quote escapes it, and with backslashes so does a backslash. */
        private void quoted(char quote, boolean backslashes) {
            int from = i;
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (backslashes && c == '\\') {
                    i += 2;
                } else if (c == quote) {
                    if (at(i + 1) == quote) {
                        i += 2;
                    } else {
                        i++;
                        break;
                    }
                } else {
                    i++;
                }
            }
            i = Math.min(i, s.length());
            code.append(s, from, i);
        }

        /** MySQL needs whitespace or a control character after "--" (or the end of the input). */
        private boolean isMySqlDashComment() {
            char next = at(i + 2);
            return i + 2 >= s.length() || next <= ' ';
        }

        private void lineComment() {
            while (i < s.length() && s.charAt(i) != '\n') {
                i++;
            }
            code.append(' ');
        }

        private void blockComment() {
            if (!pg) {
                boolean executable = at(i + 2) == '!';
                int end = s.indexOf("*/", i + 2);
                int stop = end < 0 ? s.length() : end + 2;
                if (executable) {
                    // /*!50100 PARTITION ... */: MySQL runs the content; it can hold quotes and ';' in principle,
                    // but the content ends at the first */ all the same, as in MySQL's own lexer.
                    int body = i + 3;
                    while (body < stop && Character.isDigit(s.charAt(body))) {
                        body++;
                    }
                    code.append(' ').append(s, Math.min(body, end < 0 ? s.length() : end), end < 0 ? s.length() : end).append(' ');
                } else {
                    code.append(' ');
                }
                i = stop;
                return;
            }
            int depth = 0;
            while (i < s.length()) {
                if (s.charAt(i) == '/' && at(i + 1) == '*') {
                    depth++;
                    i += 2;
                } else if (s.charAt(i) == '*' && at(i + 1) == '/') {
                    depth--;
                    i += 2;
                    if (depth == 0) {
                        break;
                    }
                } else {
                    i++;
                }
            }
            code.append(' ');
        }

        /** $tag$ ... $tag$ (tag empty or an identifier not starting with a digit); false for $1 or a$b. */
        private boolean dollarQuote() {
            if (i > 0 && isIdentifierChar(s.charAt(i - 1))) {
                return false;
            }
            int k = i + 1;
            if (k < s.length() && s.charAt(k) != '$') {
                if (!Character.isLetter(s.charAt(k)) && s.charAt(k) != '_') {
                    return false;
                }
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_')) {
                    k++;
                }
            }
            if (k >= s.length() || s.charAt(k) != '$') {
                return false;
            }
            String tag = s.substring(i, k + 1);
            int end = s.indexOf(tag, k + 1);
            int stop = end < 0 ? s.length() : end + tag.length();
            code.append(s, i, stop);
            i = stop;
            return true;
        }

        private static boolean isIdentifierChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }

    private SqlLexer() {}
}
