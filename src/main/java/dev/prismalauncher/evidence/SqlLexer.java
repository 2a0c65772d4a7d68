package dev.prismalauncher.evidence;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.log.LogText;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a migration.sql into statements the way its database reads it, so that a ';' inside a
 * string, a quoted identifier, a dollar-quoted body or a comment never ends a statement. The
 * pieces' texts concatenate back to the file exactly; each piece also carries its code with the
 * comments blanked (MySQL's executable {@code /*! ... *}{@code /} comments keep their content).
 *
 * <p>PostgreSQL, as its scanner (scan.l) reads it: {@code '...'} ({@code ''} escapes), {@code E'...'}
 * (backslash escapes too), {@code "..."} identifiers, {@code $tag$...$tag$}, nested
 * {@code /* *}{@code /}, {@code --}; identifiers are {@code [A-Za-z_\200-\377][A-Za-z_0-9$\200-\377]*},
 * so any non-ASCII character belongs to an identifier and {@code x€$a$} is one identifier, not
 * a dollar quote; a ';' inside parentheses does not end a statement (as psql and the server's
 * grammar read {@code CREATE RULE ... (a; b)}). MySQL: {@code '...'} and {@code "..."} with
 * backslash and doubled-quote escapes, backticks, {@code #}, {@code -- } (dashes then a space or
 * control character), {@code /*! ... *}{@code /}.
 *
 * <p>Memory is bounded by a constant whatever the input: {@link #read} streams, keeping of each
 * statement only the first {@link #HEAD} characters of code (what classification reads: its first
 * words) and, when asked, its text up to {@link #MAX_TEXT} characters (what a trial sends).
 */
public final class SqlLexer {
    /** Characters of a statement's code kept for classification. */
    public static final int HEAD = 64 * 1024;
    /** Characters of a statement's text kept to run it; a longer statement is not kept (text null). */
    public static final int MAX_TEXT = 8 * 1024 * 1024;
    /** A dollar-quote tag longer than this is not looked for (PostgreSQL's are short names). */
    private static final int MAX_TAG = 1024;

    /**
     * One statement as written, and its code without comments.
     *
     * @param index 1-based position among the pieces that hold code
     * @param text the exact characters, from the end of the previous piece through this one's ';';
     *     null when not kept (not asked for, or longer than {@link #MAX_TEXT})
     * @param code the code with comments replaced by a space, stripped, at most {@link #HEAD}
     *     characters; empty for a piece of only comments and blanks
     * @param complete whether {@code code} holds the whole statement's code (false past HEAD)
     * @param length the piece's length in characters
     */
    public record Piece(int index, String text, String code, boolean complete, long length) {
        /** The first line of code, for tables and messages: at most 80 characters, control characters escaped. */
        public String firstLine() {
            String line = code.lines().findFirst().orElse("").strip();
            return LogText.printable(line.length() > 80 ? line.substring(0, 77) + "..." : line);
        }
    }

    /** A stream of pieces read from a Reader; close() closes the Reader. */
    public interface Pieces extends AutoCloseable {
        /** The next piece (pieces of only comments and blanks included, index 0), or null at the end. */
        Piece next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Every piece, including trailing comments and blanks (index 0 when it holds no code); texts kept. */
    public static List<Piece> split(String sql, Provider provider) {
        List<Piece> out = new ArrayList<>();
        try (Pieces pieces = read(new StringReader(sql), provider, true, Integer.MAX_VALUE)) {
            for (Piece p = pieces.next(); p != null; p = pieces.next()) {
                out.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return out;
    }

    /** Only the pieces that hold code. */
    public static List<Piece> statements(String sql, Provider provider) {
        return split(sql, provider).stream().filter(p -> !p.code().isEmpty()).toList();
    }

    /** Streams the pieces of {@code in}; with {@code keepText}, each piece's text up to {@link #MAX_TEXT}. */
    public static Pieces read(Reader in, Provider provider, boolean keepText) {
        return read(in, provider, keepText, MAX_TEXT);
    }

    static Pieces read(Reader in, Provider provider, boolean keepText, int maxText) {
        Source source = new Source(in, keepText ? maxText : -1);
        return provider == Provider.POSTGRESQL ? new PostgresPieces(source) : new MySqlPieces(source);
    }

    // ------------------------------------------------------------------------------------------
    // Tokens (PostgreSQL), for the trial's screen

    /** A PostgreSQL token: a word (keyword or unquoted name, as written), a quoted name, a string, a number, a symbol. */
    public record Token(Kind kind, String text) {
        public enum Kind { WORD, QUOTED, STRING, NUMBER, PARAM, SYMBOL }

        /** A keyword or unquoted name equal to {@code word}, ignoring case. */
        public boolean is(String word) {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }

        public boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }

        /** A name as PostgreSQL resolves it: unquoted folded to lower case, quoted as written. */
        public String name() {
            return kind == Kind.WORD ? text.toLowerCase(java.util.Locale.ROOT) : text;
        }
    }

    /** The tokens of one PostgreSQL statement (comments skipped; texts cut at 256 characters). */
    public static List<Token> tokens(String statement) {
        List<Token> out = new ArrayList<>();
        tokens(statement, out::add);
        return out;
    }

    /** Streams the tokens of one PostgreSQL statement to {@code sink}, holding none of them. */
    public static void tokens(String statement, java.util.function.Consumer<Token> sink) {
        try {
            PostgresScanner scan = new PostgresScanner(new Source(new StringReader(statement), -1), sink);
            while (scan.next() != PostgresScanner.EOF) {
                // each token went to the sink
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    // ------------------------------------------------------------------------------------------
    // The reading machinery

    /** Characters with lookahead; every character taken is appended to the current piece's text (up to its cap). */
    private static final class Source {
        private final Reader in;
        private final int maxText;
        private char[] buffer = new char[16 * 1024];
        private int position;
        private int limit;
        private boolean eof;
        private StringBuilder text = new StringBuilder();
        private boolean textOverflow;
        private long taken;

        Source(Reader in, int maxText) {
            this.in = in;
            this.maxText = maxText;
        }

        /** The character k ahead of the next one, or -1 past the end. */
        int peek(int k) throws IOException {
            while (position + k >= limit && !eof) {
                fill(k);
            }
            return position + k < limit ? buffer[position + k] : -1;
        }

        private void fill(int k) throws IOException {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            if (k >= buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, k + 1));
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        }

        /** Takes the next character (which the caller has peeked). */
        char take() {
            char c = buffer[position++];
            taken++;
            if (maxText >= 0 && !textOverflow) {
                if (text.length() < maxText) {
                    text.append(c);
                } else {
                    textOverflow = true;
                    text = new StringBuilder(); // let the long text go at once
                }
            }
            return c;
        }

        /** The text since the last cut (null if not kept or too long), and starts a new one. */
        String cut() {
            String t = maxText < 0 || textOverflow ? null : text.toString();
            text = new StringBuilder();
            textOverflow = false;
            return t;
        }

        void close() throws IOException {
            in.close();
        }
    }

    /** Builds a piece's code head: comments as one space, leading blanks dropped, at most HEAD characters. */
    private static final class Code {
        private final StringBuilder head = new StringBuilder();
        private boolean complete = true;
        private long pieceStart;

        void append(char c) {
            if (head.isEmpty() && Character.isWhitespace(c)) {
                return;
            }
            if (head.length() < HEAD) {
                head.append(c);
            } else if (!Character.isWhitespace(c)) {
                complete = false;
            }
        }

        void blank() {
            append(' ');
        }

        Piece emit(int[] index, Source source) {
            String code = head.toString().strip();
            long length = source.taken - pieceStart;
            pieceStart = source.taken;
            Piece p = new Piece(code.isEmpty() ? 0 : ++index[0], source.cut(), code, complete, length);
            head.setLength(0);
            complete = true;
            return p;
        }
    }

    /**
     * PostgreSQL's scanner: one token per call, appending code characters to {@code code} (when
     * given) and tokens to {@code tokens} (when given).
     */
    private static final class PostgresScanner {
        static final int EOF = 0;
        static final int SEMICOLON = 1;
        static final int OPEN = 2;
        static final int CLOSE = 3;
        static final int OTHER = 4;
        static final int WORD = 5;

        private final Source s;
        private final Code code;
        private final java.util.function.Consumer<Token> tokens;
        /** The last word read (keyword or unquoted name), as written, cut at 256 characters. */
        String lastWord = "";

        PostgresScanner(Source s, Code code) {
            this.s = s;
            this.code = code;
            this.tokens = null;
        }

        PostgresScanner(Source s, java.util.function.Consumer<Token> tokens) {
            this.s = s;
            this.code = null;
            this.tokens = tokens;
        }

        private char take() {
            char c = s.take();
            if (code != null) {
                code.append(c);
            }
            return c;
        }

        private void skip() {
            s.take();
        }

        private void token(Token.Kind kind, String text) {
            if (tokens != null) {
                tokens.accept(new Token(kind, text));
            }
        }

        int next() throws IOException {
            while (true) {
                int c = s.peek(0);
                if (c < 0) {
                    return EOF;
                }
                if (isSpace(c)) {
                    take();
                    continue;
                }
                if (c == '-' && s.peek(1) == '-') {
                    lineComment();
                    continue;
                }
                if (c == '/' && s.peek(1) == '*') {
                    blockComment();
                    continue;
                }
                return token((char) c);
            }
        }

        private int token(char c) throws IOException {
            if (c == ';') {
                take();
                token(Token.Kind.SYMBOL, ";");
                return SEMICOLON;
            }
            if (c == '\'') {
                quoted('\'', false, Token.Kind.STRING);
                return OTHER;
            }
            if (c == '"') {
                quoted('"', false, Token.Kind.QUOTED);
                return OTHER;
            }
            if (c == '$') {
                dollar();
                return OTHER;
            }
            if (isIdentifierStart(c)) {
                return word() ? WORD : OTHER;
            }
            if (c >= '0' && c <= '9' || c == '.' && isDigit(s.peek(1))) {
                number();
                return OTHER;
            }
            take();
            if (c == ':' && s.peek(0) == ':') {
                take();
                token(Token.Kind.SYMBOL, "::");
                return OTHER;
            }
            token(Token.Kind.SYMBOL, String.valueOf(c));
            return c == '(' ? OPEN : c == ')' ? CLOSE : OTHER;
        }

        /** {@code --} to the end of the line (a newline or carriage return). */
        private void lineComment() throws IOException {
            for (int c = s.peek(0); c >= 0 && c != '\n' && c != '\r'; c = s.peek(0)) {
                skip();
            }
            if (code != null) {
                code.blank();
            }
        }

        /** Nested block comments, as PostgreSQL nests them. */
        private void blockComment() throws IOException {
            int depth = 0;
            while (s.peek(0) >= 0) {
                if (s.peek(0) == '/' && s.peek(1) == '*') {
                    skip();
                    skip();
                    depth++;
                } else if (s.peek(0) == '*' && s.peek(1) == '/') {
                    skip();
                    skip();
                    if (--depth == 0) {
                        break;
                    }
                } else {
                    skip();
                }
            }
            if (code != null) {
                code.blank();
            }
        }

        /** A quoted run from its opening quote; a doubled quote escapes it, and with backslashes so does a backslash. */
        private void quoted(char quote, boolean backslashes, Token.Kind kind) throws IOException {
            StringBuilder value = tokens != null ? new StringBuilder() : null;
            take();
            while (s.peek(0) >= 0) {
                char c = take();
                if (backslashes && c == '\\') {
                    if (s.peek(0) >= 0) {
                        char escaped = take();
                        append(value, escaped);
                    }
                } else if (c == quote) {
                    if (s.peek(0) == quote) {
                        take();
                        append(value, c);
                    } else {
                        break;
                    }
                } else {
                    append(value, c);
                }
            }
            token(kind, value == null ? "" : value.toString());
        }

        private static void append(StringBuilder value, char c) {
            if (value != null && value.length() < 256) {
                value.append(c);
            }
        }

        /**
         * An identifier or keyword, then the string or identifier forms it may prefix (E'', B'', X'',
         * N'', U&'', U&""); true for a word, false when it was such a prefix.
         */
        private boolean word() throws IOException {
            StringBuilder w = new StringBuilder();
            while (isIdentifierPart(s.peek(0))) {
                char c = take();
                if (w.length() < 256) {
                    w.append(c);
                }
            }
            if (w.length() == 1 && s.peek(0) == '\'') {
                char prefix = Character.toUpperCase(w.charAt(0));
                if (prefix == 'E') {
                    quoted('\'', true, Token.Kind.STRING);
                    return false;
                }
                if (prefix == 'B' || prefix == 'X' || prefix == 'N') {
                    quoted('\'', false, Token.Kind.STRING);
                    return false;
                }
            }
            if (w.length() == 1 && Character.toUpperCase(w.charAt(0)) == 'U' && s.peek(0) == '&' && (s.peek(1) == '\'' || s.peek(1) == '"')) {
                take();
                quoted((char) s.peek(0), false, s.peek(0) == '"' ? Token.Kind.QUOTED : Token.Kind.STRING);
                return false;
            }
            lastWord = w.toString();
            token(Token.Kind.WORD, lastWord);
            return true;
        }

        /** Digits, a fraction, an exponent; 0x/0o/0b and '_' separators (PostgreSQL 16). Letters after it start a new token. */
        private void number() throws IOException {
            StringBuilder n = new StringBuilder();
            if (s.peek(0) == '0' && "xXoObB".indexOf(s.peek(1)) >= 0 && isHexDigit(s.peek(2))) {
                n.append(take()).append(take());
                while (isHexDigit(s.peek(0)) || s.peek(0) == '_') {
                    n.append(take());
                }
            } else {
                while (isDigit(s.peek(0)) || s.peek(0) == '_' || s.peek(0) == '.' && s.peek(1) != '.') {
                    n.append(take());
                }
                if ((s.peek(0) == 'e' || s.peek(0) == 'E')
                        && (isDigit(s.peek(1)) || (s.peek(1) == '+' || s.peek(1) == '-') && isDigit(s.peek(2)))) {
                    n.append(take()).append(take());
                    while (isDigit(s.peek(0))) {
                        n.append(take());
                    }
                }
            }
            token(Token.Kind.NUMBER, n.length() > 256 ? n.substring(0, 256) : n.toString());
        }

        /** $1 (a parameter), $tag$...$tag$ (a dollar-quoted string), or a lone '$'. */
        private void dollar() throws IOException {
            int next = s.peek(1);
            if (isDigit(next)) {
                take();
                StringBuilder p = new StringBuilder("$");
                while (isDigit(s.peek(0))) {
                    p.append(take());
                }
                token(Token.Kind.PARAM, p.toString());
                return;
            }
            int k = 1;
            if (next != '$') {
                if (!isIdentifierStart(next)) {
                    take();
                    token(Token.Kind.SYMBOL, "$");
                    return;
                }
                while (k <= MAX_TAG && isTagPart(s.peek(k))) {
                    k++;
                }
                if (s.peek(k) != '$') {
                    // not a tag: PostgreSQL takes the '$' alone and reads on from the next character
                    take();
                    token(Token.Kind.SYMBOL, "$");
                    return;
                }
            }
            char[] tag = new char[k + 1];
            for (int i = 0; i <= k; i++) {
                tag[i] = take();
            }
            while (s.peek(0) >= 0) {
                if (s.peek(0) == '$' && endsTag(tag)) {
                    for (int i = 0; i < tag.length; i++) {
                        take();
                    }
                    break;
                }
                take();
            }
            token(Token.Kind.STRING, "");
        }

        private boolean endsTag(char[] tag) throws IOException {
            for (int i = 0; i < tag.length; i++) {
                if (s.peek(i) != tag[i]) {
                    return false;
                }
            }
            return true;
        }

        /** PostgreSQL's whitespace (scan.l: space, tab, newline, carriage return, form feed, vertical tab): not Java's. */
        static boolean isSpace(int c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
        }

        static boolean isIdentifierStart(int c) {
            return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c > 127;
        }

        static boolean isIdentifierPart(int c) {
            return isIdentifierStart(c) || isDigit(c) || c == '$';
        }

        private static boolean isTagPart(int c) {
            return isIdentifierStart(c) || isDigit(c);
        }

        private static boolean isDigit(int c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isHexDigit(int c) {
            return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
        }
    }

    /**
     * PostgreSQL pieces: a ';' outside parentheses ends one, except inside the BEGIN ... END of a
     * {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE} (a SQL-standard body), tracked as psql does it
     * (psqlscan.l: the statement's first words, then BEGIN/CASE/END outside parentheses).
     */
    private static final class PostgresPieces implements Pieces {
        private final Source source;
        private final Code code = new Code();
        private final PostgresScanner scanner;
        private final int[] index = {0};
        private final char[] initials = new char[4];
        private int words;
        private int beginDepth;

        PostgresPieces(Source source) {
            this.source = source;
            this.scanner = new PostgresScanner(source, code);
        }

        @Override
        public Piece next() throws IOException {
            int depth = 0;
            words = 0;
            beginDepth = 0;
            java.util.Arrays.fill(initials, '\0');
            while (true) {
                int t = scanner.next();
                switch (t) {
                    case PostgresScanner.EOF -> {
                        return source.taken > code.pieceStart ? code.emit(index, source) : null;
                    }
                    case PostgresScanner.OPEN -> depth++;
                    case PostgresScanner.CLOSE -> depth = Math.max(0, depth - 1);
                    case PostgresScanner.WORD -> word(scanner.lastWord, depth);
                    case PostgresScanner.SEMICOLON -> {
                        if (depth == 0 && beginDepth == 0) {
                            return code.emit(index, source);
                        }
                    }
                    default -> {
                        // part of the statement
                    }
                }
            }
        }

        private void word(String w, int depth) {
            String lower = w.toLowerCase(java.util.Locale.ROOT);
            if (words < initials.length && java.util.Set.of("create", "function", "procedure", "or", "replace").contains(lower)) {
                initials[words] = lower.charAt(0);
            }
            words++;
            boolean routine = initials[0] == 'c' && (initials[1] == 'f' || initials[1] == 'p'
                    || initials[1] == 'o' && initials[2] == 'r' && (initials[3] == 'f' || initials[3] == 'p'));
            if (!routine || depth != 0) {
                return;
            }
            switch (lower) {
                case "begin" -> beginDepth++;
                case "case" -> {
                    if (beginDepth >= 1) {
                        beginDepth++;
                    }
                }
                case "end" -> {
                    if (beginDepth > 0) {
                        beginDepth--;
                    }
                }
                default -> {
                    // any other word
                }
            }
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }

    /** MySQL pieces: its client's rules (no nesting, backslash escapes, '#' and '-- ' comments, executable comments). */
    private static final class MySqlPieces implements Pieces {
        private final Source s;
        private final Code code = new Code();
        private final int[] index = {0};

        MySqlPieces(Source source) {
            this.s = source;
        }

        private char take() {
            char c = s.take();
            code.append(c);
            return c;
        }

        @Override
        public Piece next() throws IOException {
            while (true) {
                int c = s.peek(0);
                if (c < 0) {
                    return s.taken > code.pieceStart ? code.emit(index, s) : null;
                }
                if (c == ';') {
                    take();
                    return code.emit(index, s);
                } else if (c == '\'' || c == '"' || c == '`') {
                    quoted((char) c, c != '`');
                } else if (c == '#' || c == '-' && s.peek(1) == '-' && (s.peek(2) < 0 || s.peek(2) <= ' ')) {
                    while (s.peek(0) >= 0 && s.peek(0) != '\n') {
                        s.take();
                    }
                    code.blank();
                } else if (c == '/' && s.peek(1) == '*') {
                    blockComment();
                } else {
                    take();
                }
            }
        }

        private void quoted(char quote, boolean backslashes) throws IOException {
            take();
            while (s.peek(0) >= 0) {
                char c = take();
                if (backslashes && c == '\\') {
                    if (s.peek(0) >= 0) {
                        take();
                    }
                } else if (c == quote) {
                    if (s.peek(0) == quote) {
                        take();
                    } else {
                        return;
                    }
                }
            }
        }

        /** Comments do not nest; an executable comment's content (its version number dropped) is code, ending at the first '*' '/'. */
        private void blockComment() throws IOException {
            boolean executable = s.peek(2) == '!';
            s.take();
            s.take();
            if (executable) {
                s.take();
                while (s.peek(0) >= '0' && s.peek(0) <= '9') {
                    s.take();
                }
                code.blank();
            }
            while (s.peek(0) >= 0 && !(s.peek(0) == '*' && s.peek(1) == '/')) {
                if (executable) {
                    take();
                } else {
                    s.take();
                }
            }
            if (s.peek(0) >= 0) {
                s.take();
                s.take();
            }
            code.blank();
        }

        @Override
        public void close() throws IOException {
            s.close();
        }
    }

    private SqlLexer() {}
}
