package dev.prismalauncher.evidence;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.Ddl.Name;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises the DDL forms Prisma generates in one statement's code (comments already removed by
 * {@link SqlLexer}); anything else is {@link Ddl.Unknown} or {@link Ddl.Data}, which give no
 * evidence. An ALTER TABLE with several clauses gives one {@link Ddl} per clause.
 */
public final class StatementParser {
    private static final Set<String> TRANSACTION = Set.of("BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE", "ABORT");
    private static final Set<String> DATA = Set.of("INSERT", "UPDATE", "DELETE", "SELECT", "WITH", "MERGE", "COPY", "TRUNCATE", "REPLACE", "DO", "CALL");

    /** A token: a word (keyword or unquoted name), a quoted name, a string, a number or a symbol. */
    record Token(Kind kind, String text) {
        enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL }

        boolean is(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(String symbol) {
            return kind == Kind.SYMBOL && text.equals(symbol);
        }
    }

    public static List<Ddl> parse(String code, Provider provider) {
        try {
            List<Token> tokens = tokens(code, provider == Provider.POSTGRESQL);
            if (!tokens.isEmpty() && tokens.getLast().isSymbol(";")) {
                tokens = tokens.subList(0, tokens.size() - 1);
            }
            if (tokens.isEmpty()) {
                return List.of(new Ddl.Unknown("empty"));
            }
            return new Parser(tokens, provider == Provider.POSTGRESQL).statement();
        } catch (RuntimeException e) {
            return List.of(new Ddl.Unknown("not understood: " + e.getMessage()));
        }
    }

    static List<Token> tokens(String s, boolean pg) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' && pg || c == '`' && !pg) {
                StringBuilder b = new StringBuilder();
                int k = i + 1;
                while (k < s.length()) {
                    if (s.charAt(k) == c) {
                        if (k + 1 < s.length() && s.charAt(k + 1) == c) {
                            b.append(c);
                            k += 2;
                            continue;
                        }
                        break;
                    }
                    b.append(s.charAt(k++));
                }
                out.add(new Token(Token.Kind.QUOTED, b.toString()));
                i = k + 1;
            } else if (c == '\'' || c == '"') {
                int k = i + 1;
                boolean backslash = !pg || (i > 0 && (s.charAt(i - 1) == 'E' || s.charAt(i - 1) == 'e'));
                StringBuilder b = new StringBuilder();
                while (k < s.length()) {
                    char d = s.charAt(k);
                    if (backslash && d == '\\' && k + 1 < s.length()) {
                        b.append(s.charAt(k + 1));
                        k += 2;
                    } else if (d == c) {
                        if (k + 1 < s.length() && s.charAt(k + 1) == c) {
                            b.append(c);
                            k += 2;
                            continue;
                        }
                        break;
                    } else {
                        b.append(d);
                        k++;
                    }
                }
                if (!out.isEmpty() && out.getLast().kind() == Token.Kind.WORD && out.getLast().text().equalsIgnoreCase("E")
                        && pg && i > 0 && !Character.isWhitespace(s.charAt(i - 1))) {
                    out.removeLast();
                }
                out.add(new Token(Token.Kind.STRING, b.toString()));
                i = k + 1;
            } else if (c == '$' && pg && i + 1 < s.length() && (s.charAt(i + 1) == '$' || Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '_')) {
                int k = s.indexOf('$', i + 1);
                String tag = s.substring(i, k + 1);
                int end = s.indexOf(tag, k + 1);
                int stop = end < 0 ? s.length() : end + tag.length();
                out.add(new Token(Token.Kind.STRING, s.substring(k + 1, end < 0 ? s.length() : end)));
                i = stop;
            } else if (Character.isLetter(c) || c == '_') {
                int k = i;
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_' || s.charAt(k) == '$')) {
                    k++;
                }
                out.add(new Token(Token.Kind.WORD, s.substring(i, k)));
                i = k;
            } else if (Character.isDigit(c)) {
                int k = i;
                while (k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '.')) {
                    k++;
                }
                out.add(new Token(Token.Kind.NUMBER, s.substring(i, k)));
                i = k;
            } else if (c == ':' && i + 1 < s.length() && s.charAt(i + 1) == ':') {
                out.add(new Token(Token.Kind.SYMBOL, "::"));
                i += 2;
            } else {
                out.add(new Token(Token.Kind.SYMBOL, String.valueOf(c)));
                i++;
            }
        }
        return out;
    }

    private static final class Parser {
        private final List<Token> t;
        private final boolean pg;
        private int p;

        Parser(List<Token> tokens, boolean pg) {
            this.t = tokens;
            this.pg = pg;
        }

        List<Ddl> statement() {
            Token first = t.getFirst();
            String verb = first.kind() == Token.Kind.WORD ? first.text().toUpperCase(Locale.ROOT) : first.text();
            if (TRANSACTION.contains(verb)) {
                return List.of(new Ddl.TransactionControl(verb));
            }
            if (DATA.contains(verb)) {
                return List.of(new Ddl.Data(verb));
            }
            if (accept("CREATE")) {
                return create();
            }
            if (accept("DROP")) {
                return drop();
            }
            if (accept("ALTER")) {
                return alter();
            }
            if (!pg && accept("RENAME") && accept("TABLE")) {
                List<Ddl> out = new ArrayList<>();
                do {
                    Name from = name();
                    expect("TO");
                    out.add(new Ddl.RenameTable(from, identifier()));
                } while (acceptSymbol(","));
                return end(out);
            }
            return List.of(new Ddl.Unknown("not a statement form the evidence understands"));
        }

        private List<Ddl> create() {
            boolean unique = accept("UNIQUE");
            if (accept("TABLE")) {
                ifNotExists();
                return List.of(new Ddl.CreateTable(name()));
            }
            if (accept("INDEX")) {
                accept("CONCURRENTLY");
                ifNotExists();
                String index = identifier();
                expect("ON");
                accept("ONLY");
                return List.of(new Ddl.CreateIndex(name(), index, unique));
            }
            if (pg && accept("TYPE")) {
                Name type = name();
                expect("AS");
                expect("ENUM");
                return List.of(new Ddl.CreateEnum(type));
            }
            if (pg && accept("EXTENSION")) {
                ifNotExists();
                return List.of(new Ddl.CreateExtension(identifier()));
            }
            if (pg && accept("SCHEMA")) {
                ifNotExists();
                return List.of(new Ddl.CreateSchema(identifier()));
            }
            return List.of(new Ddl.Unknown("a CREATE form the evidence does not understand"));
        }

        private List<Ddl> drop() {
            if (accept("TABLE")) {
                ifExists();
                List<Ddl> out = new ArrayList<>();
                do {
                    out.add(new Ddl.DropTable(name()));
                } while (acceptSymbol(","));
                return out;
            }
            if (accept("INDEX")) {
                accept("CONCURRENTLY");
                ifExists();
                Name index = name();
                if (!pg) {
                    expect("ON");
                    return end(List.of(new Ddl.DropIndex(name(), index)));
                }
                return end(List.of(new Ddl.DropIndex(null, index)));
            }
            return List.of(new Ddl.Unknown("a DROP form the evidence does not understand"));
        }

        private List<Ddl> alter() {
            if (pg && accept("TYPE")) {
                Name type = name();
                expect("ADD");
                expect("VALUE");
                ifNotExists();
                return List.of(new Ddl.AddEnumValue(type, string()));
            }
            if (pg && accept("INDEX")) {
                ifExists();
                Name index = name();
                expect("RENAME");
                expect("TO");
                return end(List.of(new Ddl.RenameIndex(null, index, identifier())));
            }
            expect("TABLE");
            ifExists();
            accept("ONLY");
            Name table = name();
            acceptSymbol("*");
            List<Ddl> out = new ArrayList<>();
            do {
                out.add(clause(table));
            } while (acceptSymbol(","));
            return end(out);
        }

        private Ddl clause(Name table) {
            if (accept("ADD")) {
                if (accept("CONSTRAINT")) {
                    String name = identifier();
                    String kind = constraintKind();
                    if (!pg && kind.equals("UNIQUE")) {
                        accept("INDEX");
                        accept("KEY");
                    }
                    skipClause();
                    return new Ddl.AddConstraint(table, name, kind);
                }
                if (accept("PRIMARY")) {
                    expect("KEY");
                    skipClause();
                    return new Ddl.AddConstraint(table, null, "PRIMARY KEY");
                }
                if (!pg && (peek("UNIQUE") || peek("INDEX") || peek("KEY") || peek("FULLTEXT") || peek("SPATIAL"))) {
                    boolean unique = accept("UNIQUE");
                    accept("FULLTEXT");
                    accept("SPATIAL");
                    if (!accept("INDEX")) {
                        accept("KEY");
                    }
                    String name = identifier();
                    skipClause();
                    return new Ddl.CreateIndex(table, name, unique);
                }
                accept("COLUMN");
                ifNotExists();
                String column = identifier();
                return new Ddl.AddColumn(table, column, notNullInClause());
            }
            if (accept("DROP")) {
                if (accept("CONSTRAINT")) {
                    ifExists();
                    String name = identifier();
                    skipClause();
                    return new Ddl.DropConstraint(table, name, null);
                }
                if (!pg && accept("FOREIGN")) {
                    expect("KEY");
                    return new Ddl.DropConstraint(table, identifier(), "FOREIGN KEY");
                }
                if (!pg && accept("PRIMARY")) {
                    expect("KEY");
                    return new Ddl.DropConstraint(table, null, "PRIMARY KEY");
                }
                if (!pg && (accept("INDEX") || accept("KEY"))) {
                    return new Ddl.DropIndex(table, new Name(null, identifier()));
                }
                accept("COLUMN");
                ifExists();
                String column = identifier();
                skipClause();
                return new Ddl.DropColumn(table, column);
            }
            if (accept("RENAME")) {
                if (accept("COLUMN")) {
                    String from = identifier();
                    expect("TO");
                    return new Ddl.RenameColumn(table, from, identifier());
                }
                if (accept("INDEX") || accept("KEY")) {
                    Name from = new Name(null, identifier());
                    expect("TO");
                    return new Ddl.RenameIndex(table, from, identifier());
                }
                if (accept("CONSTRAINT")) {
                    return new Ddl.Unknown("RENAME CONSTRAINT is not understood");
                }
                if (!accept("TO")) {
                    accept("AS");
                }
                if (pg && peekWordOrQuoted() && p + 1 < t.size() && t.get(p + 1).is("TO")) {
                    String from = identifier(); // RENAME a TO b: a column, in PostgreSQL
                    expect("TO");
                    return new Ddl.RenameColumn(table, from, identifier());
                }
                return new Ddl.RenameTable(table, identifier());
            }
            if (pg && accept("ALTER")) {
                accept("COLUMN");
                String column = identifier();
                if (accept("SET")) {
                    if (accept("NOT")) {
                        expect("NULL");
                        return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.SET_NOT_NULL, null);
                    }
                    if (accept("DEFAULT")) {
                        return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.SET_DEFAULT, rest());
                    }
                    if (accept("DATA")) {
                        expect("TYPE");
                        return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.TYPE, typeText());
                    }
                    return new Ddl.Unknown("ALTER COLUMN SET form not understood");
                }
                if (accept("DROP")) {
                    if (accept("NOT")) {
                        expect("NULL");
                        return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.DROP_NOT_NULL, null);
                    }
                    expect("DEFAULT");
                    return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.DROP_DEFAULT, null);
                }
                if (accept("TYPE")) {
                    return new Ddl.AlterColumn(table, column, Ddl.ColumnChange.TYPE, typeText());
                }
                return new Ddl.Unknown("ALTER COLUMN form not understood");
            }
            if (!pg && accept("MODIFY")) {
                accept("COLUMN");
                String column = identifier();
                int from = p;
                boolean notNull = notNullInClause();
                return new Ddl.ModifyColumn(table, column, typeFrom(from), notNull);
            }
            if (!pg && accept("CHANGE")) {
                accept("COLUMN");
                String from = identifier();
                String to = identifier();
                int at = p;
                boolean notNull = notNullInClause();
                String type = typeFrom(at);
                return from.equals(to) ? new Ddl.ModifyColumn(table, from, type, notNull) : new Ddl.ChangeColumn(table, from, to, type, notNull);
            }
            skipClause();
            return new Ddl.Unknown("an ALTER TABLE clause the evidence does not understand");
        }

        private String constraintKind() {
            if (accept("PRIMARY")) {
                expect("KEY");
                return "PRIMARY KEY";
            }
            if (accept("FOREIGN")) {
                expect("KEY");
                return "FOREIGN KEY";
            }
            if (accept("UNIQUE")) {
                return "UNIQUE";
            }
            if (accept("CHECK")) {
                return "CHECK";
            }
            throw new IllegalArgumentException("constraint kind");
        }

        /** Scans to the end of this clause (a comma at depth 0, or the end); true if NOT NULL occurs at depth 0. */
        private boolean notNullInClause() {
            boolean notNull = false;
            int depth = 0;
            while (p < t.size()) {
                Token k = t.get(p);
                if (k.isSymbol("(")) {
                    depth++;
                } else if (k.isSymbol(")")) {
                    depth--;
                } else if (depth == 0 && k.isSymbol(",")) {
                    break;
                } else if (depth == 0 && k.is("NOT") && p + 1 < t.size() && t.get(p + 1).is("NULL")) {
                    notNull = true;
                } else if (depth == 0 && k.is("PRIMARY") && p + 1 < t.size() && t.get(p + 1).is("KEY")) {
                    notNull = true;
                }
                p++;
            }
            return notNull;
        }

        private void skipClause() {
            notNullInClause();
        }

        /** The type words from token {@code from} up to the first attribute keyword. */
        private String typeFrom(int from) {
            StringBuilder b = new StringBuilder();
            for (int k = from; k < t.size(); k++) {
                Token x = t.get(k);
                if (x.is("NOT") || x.is("NULL") || x.is("DEFAULT") || x.is("AUTO_INCREMENT") || x.is("PRIMARY") || x.is("UNIQUE")
                        || x.is("COLLATE") || x.is("CHARACTER") || x.is("COMMENT") || x.is("FIRST") || x.is("AFTER") || x.is("ON")
                        || x.isSymbol(",")) {
                    break;
                }
                b.append(x.kind() == Token.Kind.STRING ? "'" + x.text().replace("'", "''") + "'" : x.text());
            }
            return b.toString();
        }

        /** PostgreSQL ALTER COLUMN ... TYPE: the type up to USING or COLLATE, as written. */
        private String typeText() {
            StringBuilder b = new StringBuilder();
            while (p < t.size() && !t.get(p).is("USING") && !t.get(p).is("COLLATE") && !t.get(p).isSymbol(",")) {
                Token x = t.get(p++);
                b.append(x.kind() == Token.Kind.QUOTED ? "\"" + x.text() + "\"" : x.text());
                if (x.kind() == Token.Kind.WORD && p < t.size() && t.get(p).kind() == Token.Kind.WORD) {
                    b.append(' ');
                }
            }
            skipClause();
            return b.toString();
        }

        /** The rest of a clause as written (a default expression), tokens joined. */
        private String rest() {
            StringBuilder b = new StringBuilder();
            int depth = 0;
            while (p < t.size()) {
                Token x = t.get(p);
                if (x.isSymbol("(")) {
                    depth++;
                } else if (x.isSymbol(")")) {
                    depth--;
                } else if (depth == 0 && x.isSymbol(",")) {
                    break;
                }
                if (!b.isEmpty() && x.kind() == Token.Kind.WORD && Character.isLetterOrDigit(b.charAt(b.length() - 1))) {
                    b.append(' ');
                }
                b.append(switch (x.kind()) {
                    case STRING -> "'" + x.text().replace("'", "''") + "'";
                    case QUOTED -> "\"" + x.text() + "\"";
                    default -> x.text();
                });
                p++;
            }
            return b.toString();
        }

        private List<Ddl> end(List<Ddl> out) {
            if (p < t.size()) {
                return List.of(new Ddl.Unknown("unexpected '" + t.get(p).text() + "'"));
            }
            return out;
        }

        private void ifNotExists() {
            if (accept("IF")) {
                expect("NOT");
                expect("EXISTS");
            }
        }

        private void ifExists() {
            if (accept("IF")) {
                expect("EXISTS");
            }
        }

        private Name name() {
            String first = identifier();
            if (acceptSymbol(".")) {
                return new Name(first, identifier());
            }
            return new Name(null, first);
        }

        private String identifier() {
            Token k = next();
            return switch (k.kind()) {
                case QUOTED -> k.text();
                case WORD -> pg ? k.text().toLowerCase(Locale.ROOT) : k.text();
                default -> throw new IllegalArgumentException("expected a name, found '" + k.text() + "'");
            };
        }

        private String string() {
            Token k = next();
            if (k.kind() != Token.Kind.STRING) {
                throw new IllegalArgumentException("expected a string");
            }
            return k.text();
        }

        private boolean peekWordOrQuoted() {
            return p < t.size() && (t.get(p).kind() == Token.Kind.WORD || t.get(p).kind() == Token.Kind.QUOTED);
        }

        private Token next() {
            if (p >= t.size()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return t.get(p++);
        }

        private boolean peek(String keyword) {
            return p < t.size() && t.get(p).is(keyword);
        }

        private boolean accept(String keyword) {
            if (peek(keyword)) {
                p++;
                return true;
            }
            return false;
        }

        private boolean acceptSymbol(String symbol) {
            if (p < t.size() && t.get(p).isSymbol(symbol)) {
                p++;
                return true;
            }
            return false;
        }

        private void expect(String keyword) {
            if (!accept(keyword)) {
                throw new IllegalArgumentException("expected " + keyword);
            }
        }
    }

    private StatementParser() {}
}
