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
            if (verb.equals("SET")) {
                return List.of(new Ddl.Session(verb));
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
            String mysqlKind = !pg && !unique && (peek("FULLTEXT") || peek("SPATIAL")) ? next().text().toUpperCase(Locale.ROOT) : null;
            if (!unique && mysqlKind == null && accept("TABLE")) {
                boolean conditional = ifNotExists();
                Name table = name();
                Ddl.TableSpec spec;
                try {
                    spec = tableSpec(table);
                } catch (RuntimeException e) {
                    spec = null; // CREATE TABLE ... AS, PARTITION OF, or items not read: the name alone, which proves nothing
                }
                return List.of(conditional(new Ddl.CreateTable(table, spec), conditional));
            }
            if (accept("INDEX")) {
                boolean concurrently = accept("CONCURRENTLY");
                boolean conditional = ifNotExists();
                String index = identifier();
                String method = mysqlKind;
                if (!pg && accept("USING")) {
                    method = next().text().toUpperCase(Locale.ROOT);
                }
                expect("ON");
                accept("ONLY");
                Name table = name();
                Ddl.IndexSpec spec = indexSpec(method, concurrently);
                return List.of(conditional(new Ddl.CreateIndex(table, index, unique, spec), conditional));
            }
            if (unique || mysqlKind != null) {
                return List.of(new Ddl.Unknown("a CREATE form the evidence does not understand"));
            }
            if (pg && accept("TYPE")) {
                Name type = name();
                expect("AS");
                expect("ENUM");
                List<String> labels = new ArrayList<>();
                expectSymbol("(");
                if (!acceptSymbol(")")) {
                    do {
                        labels.add(string());
                    } while (acceptSymbol(","));
                    expectSymbol(")");
                }
                return end(List.of(new Ddl.CreateEnum(type, labels)));
            }
            if (pg && accept("EXTENSION")) {
                boolean conditional = ifNotExists();
                String extension = identifier();
                // WITH SCHEMA / VERSION: which version or schema is not compared, only the name
                return List.of(conditional(new Ddl.CreateExtension(extension), conditional));
            }
            if (pg && accept("SCHEMA")) {
                boolean conditional = ifNotExists();
                return end(List.of(conditional(new Ddl.CreateSchema(identifier()), conditional)));
            }
            return List.of(new Ddl.Unknown("a CREATE form the evidence does not understand"));
        }

        /** The items of CREATE TABLE name ( ... ): columns, and named keys, constraints and (MySQL) indexes. */
        private Ddl.TableSpec tableSpec(Name table) {
            List<Ddl.ColumnSpec> columns = new ArrayList<>();
            List<Ddl> parts = new ArrayList<>();
            List<String> uncompared = new ArrayList<>();
            expectSymbol("(");
            for (List<Token> item : items()) {
                Parser q = new Parser(item, pg);
                if (item.isEmpty()) {
                    continue;
                }
                if (q.accept("CONSTRAINT")) {
                    String name = q.identifier();
                    String kind = q.constraintKind();
                    parts.add(new Ddl.AddConstraint(table, name, kind, q.constraintSpec(kind)));
                } else if (q.accept("PRIMARY")) {
                    q.expect("KEY");
                    parts.add(new Ddl.AddConstraint(table, null, "PRIMARY KEY", q.constraintSpec("PRIMARY KEY")));
                } else if (!pg && (q.peek("UNIQUE") || q.peek("INDEX") || q.peek("KEY") || q.peek("FULLTEXT") || q.peek("SPATIAL"))) {
                    parts.add(q.mysqlIndex(table));
                } else if (q.peek("UNIQUE") || q.peek("FOREIGN") || q.peek("CHECK") || q.peek("LIKE") || q.peek("EXCLUDE") || q.peek("PERIOD")) {
                    uncompared.add("an unnamed " + item.getFirst().text().toUpperCase(Locale.ROOT) + " item");
                } else {
                    Ddl.ColumnSpec column = q.columnSpec();
                    columns.add(column);
                    if (q.inlinePrimaryKey) {
                        parts.add(new Ddl.AddConstraint(table, null, "PRIMARY KEY",
                                new Ddl.ConstraintSpec(List.of(column.name()), null, null, null, null, null, false, List.of())));
                    }
                }
            }
            if (pg && p < t.size()) {
                uncompared.add("table options (" + t.get(p).text() + " ...)");
            }
            p = t.size(); // MySQL's table options (ENGINE, CHARACTER SET, COLLATE) are not compared
            return new Ddl.TableSpec(columns, parts, uncompared);
        }

        /** After "(": the items up to the matching ")", split at depth-0 commas; p after the ")". */
        private List<List<Token>> items() {
            List<List<Token>> out = new ArrayList<>();
            int depth = 0;
            int start = p;
            while (true) {
                Token k = next();
                if (k.isSymbol("(")) {
                    depth++;
                } else if (k.isSymbol(")")) {
                    if (depth == 0) {
                        out.add(t.subList(start, p - 1));
                        return out;
                    }
                    depth--;
                } else if (depth == 0 && k.isSymbol(",")) {
                    out.add(t.subList(start, p - 1));
                    start = p;
                }
            }
        }

        private boolean inlinePrimaryKey;

        /** A column definition, or null when it is not read whole (its shape then proves nothing). */
        private Ddl.ColumnSpec columnSpecOrNull() {
            try {
                return columnSpec();
            } catch (RuntimeException e) {
                return null;
            }
        }

        /** A column definition from its name to the end of the tokens: type, NOT NULL, DEFAULT, AUTO_INCREMENT, PRIMARY KEY. */
        private Ddl.ColumnSpec columnSpec() {
            String name = identifier();
            String type = typeWords();
            boolean notNull = false;
            boolean autoIncrement = false;
            String defaultValue = null;
            List<String> uncompared = new ArrayList<>();
            while (p < t.size()) {
                if (accept("NOT")) {
                    expect("NULL");
                    notNull = true;
                } else if (accept("NULL")) {
                    notNull = false;
                } else if (accept("DEFAULT")) {
                    int from = p;
                    if (p < t.size()) {
                        p++; // the first token is the expression's, whatever it is (DEFAULT NULL)
                    }
                    skipUntilAttribute();
                    defaultValue = join(t.subList(from, p));
                    if (defaultValue.equalsIgnoreCase("NULL")) {
                        defaultValue = null;
                    }
                } else if (accept("PRIMARY")) {
                    expect("KEY");
                    notNull = true;
                    inlinePrimaryKey = true;
                } else if (accept("AUTO_INCREMENT")) {
                    autoIncrement = true;
                } else {
                    Token k = next();
                    uncompared.add(k.text().toUpperCase(Locale.ROOT));
                    skipUntilAttribute();
                }
            }
            return new Ddl.ColumnSpec(name, type, notNull, defaultValue, autoIncrement, uncompared);
        }

        private static final Set<String> ATTRIBUTES = Set.of("NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE", "REFERENCES", "CHECK", "CONSTRAINT",
                "GENERATED", "COLLATE", "AUTO_INCREMENT", "ON", "COMMENT", "FIRST", "AFTER", "INVISIBLE", "VISIBLE", "KEY", "STORAGE",
                "COMPRESSION", "SRID", "AS");

        private boolean atAttribute() {
            Token k = t.get(p);
            if (k.kind() != Token.Kind.WORD) {
                return false;
            }
            String w = k.text().toUpperCase(Locale.ROOT);
            if (w.equals("CHARACTER") || w.equals("CHARSET")) {
                return !pg; // MySQL's CHARACTER SET x; in PostgreSQL CHARACTER is a type word
            }
            return ATTRIBUTES.contains(w);
        }

        private void skipUntilAttribute() {
            int depth = 0;
            while (p < t.size()) {
                Token k = t.get(p);
                if (k.isSymbol("(")) {
                    depth++;
                } else if (k.isSymbol(")")) {
                    depth--;
                } else if (depth == 0 && atAttribute() && !(k.is("NULL") && p > 0 && t.get(p - 1).is("NOT"))) {
                    return;
                }
                p++;
            }
        }

        /** The type: the tokens after the column's name up to its first attribute (parentheses kept whole: ENUM('A','B')). */
        private String typeWords() {
            int from = p;
            int depth = 0;
            while (p < t.size()) {
                Token k = t.get(p);
                if (k.isSymbol("(")) {
                    depth++;
                } else if (k.isSymbol(")")) {
                    depth--;
                } else if (depth == 0 && p > from && atAttribute()) {
                    break;
                }
                p++;
            }
            return join(t.subList(from, p));
        }

        /** Tokens as written, for types and expressions: words spaced, names and strings quoted again. */
        private String join(List<Token> tokens) {
            StringBuilder b = new StringBuilder();
            Token previous = null;
            for (Token x : tokens) {
                boolean wordLike = x.kind() != Token.Kind.SYMBOL;
                if (previous != null && wordLike && (previous.kind() != Token.Kind.SYMBOL || previous.isSymbol(")") && x.kind() == Token.Kind.WORD)) {
                    b.append(' '); // TIMESTAMP(3) WITH TIME ZONE keeps its spaces
                }
                b.append(switch (x.kind()) {
                    case STRING -> "'" + x.text().replace("'", "''") + "'";
                    case QUOTED -> pg ? "\"" + x.text().replace("\"", "\"\"") + "\"" : "`" + x.text().replace("`", "``") + "`";
                    default -> x.text();
                });
                previous = x;
            }
            return b.toString();
        }

        /** A constraint's body after its kind: columns, REFERENCES with its actions, CHECK's expression, NOT VALID. */
        private Ddl.ConstraintSpec constraintSpec(String kind) {
            List<String> columns = null;
            Name references = null;
            List<String> referencedColumns = null;
            String onDelete = null;
            String onUpdate = null;
            String check = null;
            boolean notValid = false;
            List<String> uncompared = new ArrayList<>();
            if (kind.equals("CHECK")) {
                expectSymbol("(");
                int from = p;
                items();
                check = join(t.subList(from, p - 1));
            } else {
                if (!pg && kind.equals("UNIQUE")) {
                    if (!accept("INDEX")) {
                        accept("KEY");
                    }
                    if (peekWordOrQuoted()) {
                        identifier(); // MySQL: UNIQUE INDEX name (...), the constraint's name is the index's
                    }
                }
                expectSymbol("(");
                columns = names(items());
            }
            while (p < t.size()) {
                if (accept("REFERENCES")) {
                    references = name();
                    if (acceptSymbol("(")) {
                        referencedColumns = names(items());
                    }
                } else if (accept("ON")) {
                    boolean delete = accept("DELETE");
                    if (!delete) {
                        expect("UPDATE");
                    }
                    String action = action();
                    if (delete) {
                        onDelete = action;
                    } else {
                        onUpdate = action;
                    }
                } else if (accept("NOT")) {
                    if (accept("VALID")) {
                        notValid = true;
                    } else {
                        uncompared.add("NOT " + next().text().toUpperCase(Locale.ROOT));
                    }
                } else {
                    uncompared.add(next().text().toUpperCase(Locale.ROOT));
                    skipClause();
                }
            }
            return new Ddl.ConstraintSpec(columns, references, referencedColumns, onDelete, onUpdate, check, notValid, uncompared);
        }

        private String action() {
            if (accept("SET")) {
                return "SET " + next().text().toUpperCase(Locale.ROOT);
            }
            if (accept("NO")) {
                expect("ACTION");
                return "NO ACTION";
            }
            return next().text().toUpperCase(Locale.ROOT);
        }

        /** Plain column names of a key list; a key with anything more (a length, an order) is kept as a key string. */
        private List<String> names(List<List<Token>> items) {
            List<String> out = new ArrayList<>();
            for (List<Token> item : items) {
                String key = new Parser(item, pg).key();
                if (key == null) {
                    throw new IllegalArgumentException("a key that is not a column");
                }
                out.add(key);
            }
            return out;
        }

        /** One index key: column [(prefix)] [ASC|DESC] [NULLS FIRST|LAST]; null for an expression or an operator class. */
        private String key() {
            if (!peekWordOrQuoted()) {
                return null;
            }
            StringBuilder b = new StringBuilder(identifier());
            if (!pg && acceptSymbol("(")) {
                b.append('(').append(next().text()).append(')');
                expectSymbol(")");
            }
            boolean desc = accept("DESC");
            if (!desc) {
                accept("ASC");
            }
            if (desc) {
                b.append(" DESC");
            }
            if (accept("NULLS")) {
                boolean first = accept("FIRST");
                if (!first) {
                    expect("LAST");
                }
                if (first != desc) {
                    b.append(first ? " NULLS FIRST" : " NULLS LAST"); // only when not the direction's default
                }
            }
            return p == t.size() ? b.toString() : null;
        }

        /** CREATE INDEX ... ON table: [USING method] (keys) [INCLUDE ...] [WITH ...] [WHERE predicate]; MySQL [USING method]. */
        private Ddl.IndexSpec indexSpec(String method, boolean concurrently) {
            List<String> uncompared = new ArrayList<>();
            if (pg && accept("USING")) {
                method = next().text().toLowerCase(Locale.ROOT);
            }
            expectSymbol("(");
            List<String> keys = new ArrayList<>();
            for (List<Token> item : items()) {
                String key = new Parser(item, pg).key();
                if (key == null) {
                    keys = null;
                    uncompared.add("a key that is an expression or has an operator class");
                    break;
                }
                keys.add(key);
            }
            if (keys == null) {
                skipToEndOfList();
            }
            String predicate = null;
            while (p < t.size()) {
                if (accept("WHERE")) {
                    predicate = join(t.subList(p, t.size()));
                    p = t.size();
                } else if (!pg && accept("USING")) {
                    method = next().text().toUpperCase(Locale.ROOT);
                } else {
                    uncompared.add(next().text().toUpperCase(Locale.ROOT));
                    skipClause();
                    if (p < t.size() && t.get(p).isSymbol(",")) {
                        p++;
                    }
                }
            }
            return new Ddl.IndexSpec(method, keys, predicate, uncompared);
        }

        private void skipToEndOfList() {
            // items() already consumed the list up to its ")"
        }

        /** MySQL's [UNIQUE|FULLTEXT|SPATIAL] INDEX|KEY name (keys) inside CREATE TABLE or ADD. */
        private Ddl mysqlIndex(Name table) {
            boolean unique = accept("UNIQUE");
            String method = null;
            if (peek("FULLTEXT") || peek("SPATIAL")) {
                method = next().text().toUpperCase(Locale.ROOT);
            }
            if (!accept("INDEX")) {
                accept("KEY");
            }
            String name = identifier();
            if (accept("USING")) {
                method = next().text().toUpperCase(Locale.ROOT);
            }
            return new Ddl.CreateIndex(table, name, unique, indexSpec(method, false));
        }

        private static Ddl conditional(Ddl d, boolean conditional) {
            return conditional ? new Ddl.Conditional(d) : d;
        }

        private List<Ddl> drop() {
            if (accept("TABLE")) {
                boolean conditional = ifExists();
                List<Ddl> out = new ArrayList<>();
                do {
                    out.add(conditional(new Ddl.DropTable(name()), conditional));
                } while (acceptSymbol(","));
                return out;
            }
            if (accept("INDEX")) {
                accept("CONCURRENTLY");
                boolean conditional = ifExists();
                Name index = name();
                if (!pg) {
                    expect("ON");
                    return end(List.of(conditional(new Ddl.DropIndex(name(), index), conditional)));
                }
                return end(List.of(conditional(new Ddl.DropIndex(null, index), conditional)));
            }
            return List.of(new Ddl.Unknown("a DROP form the evidence does not understand"));
        }

        private List<Ddl> alter() {
            if (pg && accept("TYPE")) {
                Name type = name();
                expect("ADD");
                expect("VALUE");
                boolean conditional = ifNotExists();
                return List.of(conditional(new Ddl.AddEnumValue(type, string()), conditional));
            }
            if (pg && accept("INDEX")) {
                boolean conditional = ifExists();
                Name index = name();
                expect("RENAME");
                expect("TO");
                return end(List.of(conditional(new Ddl.RenameIndex(null, index, identifier()), conditional)));
            }
            expect("TABLE");
            boolean conditional = ifExists();
            accept("ONLY");
            Name table = name();
            acceptSymbol("*");
            List<Ddl> out = new ArrayList<>();
            do {
                out.add(conditional(clause(table), conditional));
            } while (acceptSymbol(","));
            return end(out);
        }

        private Ddl clause(Name table) {
            if (accept("ADD")) {
                if (accept("CONSTRAINT")) {
                    String name = identifier();
                    String kind = constraintKind();
                    return new Ddl.AddConstraint(table, name, kind, clauseParser().constraintSpec(kind));
                }
                if (accept("PRIMARY")) {
                    expect("KEY");
                    return new Ddl.AddConstraint(table, null, "PRIMARY KEY", clauseParser().constraintSpec("PRIMARY KEY"));
                }
                if (!pg && (peek("UNIQUE") || peek("INDEX") || peek("KEY") || peek("FULLTEXT") || peek("SPATIAL"))) {
                    return clauseParser().mysqlIndex(table);
                }
                accept("COLUMN");
                boolean conditional = ifNotExists();
                int from = p;
                String column = identifier();
                boolean notNull = notNullInClause();
                return conditional(new Ddl.AddColumn(table, column, notNull, new Parser(t.subList(from, p), pg).columnSpecOrNull()), conditional);
            }
            if (accept("DROP")) {
                if (accept("CONSTRAINT")) {
                    boolean conditional = ifExists();
                    String name = identifier();
                    skipClause();
                    return conditional(new Ddl.DropConstraint(table, name, null), conditional);
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
                boolean conditional = ifExists();
                String column = identifier();
                skipClause();
                return conditional(new Ddl.DropColumn(table, column), conditional);
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
                int name = p;
                String column = identifier();
                int from = p;
                boolean notNull = notNullInClause();
                return new Ddl.ModifyColumn(table, column, typeFrom(from), notNull, new Parser(t.subList(name, p), pg).columnSpecOrNull());
            }
            if (!pg && accept("CHANGE")) {
                accept("COLUMN");
                String from = identifier();
                int name = p;
                String to = identifier();
                int at = p;
                boolean notNull = notNullInClause();
                String type = typeFrom(at);
                Ddl.ColumnSpec spec = new Parser(t.subList(name, p), pg).columnSpecOrNull();
                return from.equals(to) ? new Ddl.ModifyColumn(table, from, type, notNull, spec) : new Ddl.ChangeColumn(table, from, to, type, notNull, spec);
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
            int depth = 0;
            for (int k = from; k < t.size(); k++) {
                Token x = t.get(k);
                if (x.isSymbol("(")) {
                    depth++;
                } else if (x.isSymbol(")")) {
                    depth--;
                }
                if (depth > 0 || x.isSymbol(")")) {
                    b.append(x.kind() == Token.Kind.STRING ? "'" + x.text().replace("'", "''") + "'" : x.text());
                    continue;
                }
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

        private boolean ifNotExists() {
            if (accept("IF")) {
                expect("NOT");
                expect("EXISTS");
                return true;
            }
            return false;
        }

        private boolean ifExists() {
            if (accept("IF")) {
                expect("EXISTS");
                return true;
            }
            return false;
        }

        /** A parser over the rest of this clause (to its depth-0 comma); p moves past it. */
        private Parser clauseParser() {
            int from = p;
            skipClause();
            return new Parser(t.subList(from, p), pg);
        }

        private void expectSymbol(String symbol) {
            if (!acceptSymbol(symbol)) {
                throw new IllegalArgumentException("expected " + symbol);
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
