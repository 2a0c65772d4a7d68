package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.config.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<String> codes(String sql, Provider p) {
        return SqlLexer.statements(sql, p).stream().map(SqlLexer.Piece::code).toList();
    }

    private static String join(List<SqlLexer.Piece> pieces) {
        return pieces.stream().map(SqlLexer.Piece::text).reduce("", String::concat);
    }

    @Test
    void postgresQuotesAndIdentifiersDoNotEndAStatement() {
        String sql = "INSERT INTO \"a;b\" VALUES ('x;y', 'it''s;');\nSELECT 1;";
        assertEquals(List.of("INSERT INTO \"a;b\" VALUES ('x;y', 'it''s;');", "SELECT 1;"), codes(sql, Provider.POSTGRESQL));
    }

    @Test
    void postgresIdentifierWithDoubledQuote() {
        assertEquals(List.of("CREATE TABLE \"a\"\";b\" (id INT);", "SELECT 2;"), codes("CREATE TABLE \"a\"\";b\" (id INT); SELECT 2;", Provider.POSTGRESQL));
    }

    @Test
    void postgresEscapeStringsKnowBackslashes() {
        assertEquals(List.of("SELECT E'a\\';b';", "SELECT 3;"), codes("SELECT E'a\\';b'; SELECT 3;", Provider.POSTGRESQL));
        assertEquals(List.of("SELECT e'\\\\';", "SELECT 4;"), codes("SELECT e'\\\\'; SELECT 4;", Provider.POSTGRESQL));
        // a standard string: the backslash is an ordinary character, the quote ends it
        assertEquals(List.of("SELECT 'a\\';", "SELECT 5;"), codes("SELECT 'a\\'; SELECT 5;", Provider.POSTGRESQL));
        // "TYPE'..'" is not an E-string: the E ends a longer word
        assertEquals(List.of("SELECT TYPE'a\\';", "SELECT 6;"), codes("SELECT TYPE'a\\'; SELECT 6;", Provider.POSTGRESQL));
    }

    @Test
    void postgresDollarQuoting() {
        String body = "CREATE FUNCTION f() RETURNS int AS $fn$ BEGIN RETURN 1; END; $fn$ LANGUAGE plpgsql;";
        assertEquals(List.of(body, "SELECT 7;"), codes(body + "\nSELECT 7;", Provider.POSTGRESQL));
        assertEquals(List.of("DO $$ BEGIN PERFORM 1; END $$;", "SELECT 8;"), codes("DO $$ BEGIN PERFORM 1; END $$; SELECT 8;", Provider.POSTGRESQL));
        // $1 and a$b are not dollar quotes
        assertEquals(List.of("SELECT a$b;", "PREPARE p AS SELECT $1;", "SELECT 9;"),
                codes("SELECT a$b; PREPARE p AS SELECT $1; SELECT 9;", Provider.POSTGRESQL));
        // a different tag inside does not close it
        assertEquals(List.of("SELECT $a$ x $b$ ; $b$ ; $a$;"), codes("SELECT $a$ x $b$ ; $b$ ; $a$;", Provider.POSTGRESQL));
    }

    @Test
    void postgresCommentsNestAndAreBlanked() {
        assertEquals(List.of("SELECT   1;", "SELECT 2;"), codes("SELECT /* a /* b; */ c; */ 1; -- x; y\nSELECT 2;", Provider.POSTGRESQL));
        assertEquals(List.of("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;"),
                codes("-- AlterTable\n-- a; b\nALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;\n", Provider.POSTGRESQL));
    }

    /** PostgreSQL's identifiers: [A-Za-z_\200-\377][A-Za-z_0-9$\200-\377]*, so a '$' after a non-ASCII letter is part of a name. */
    @Test
    void postgresNonAsciiCharactersBelongToIdentifiersAsInItsScanner() {
        assertEquals(List.of("CREATE TABLE \"Leak\" (\"id\" INT);", "SELECT 1 AS x€$a$;", "COMMIT;", "SELECT 2 AS y€$a$;"),
                codes("CREATE TABLE \"Leak\" (\"id\" INT);\nSELECT 1 AS x€$a$;\nCOMMIT;\nSELECT 2 AS y€$a$;\n", Provider.POSTGRESQL));
        // any non-ASCII character, letter or not (×, an em space): still the identifier, never whitespace
        assertEquals(List.of("SELECT x×$a$;", "COMMIT;"), codes("SELECT x×$a$; COMMIT;", Provider.POSTGRESQL));
        assertEquals(List.of("SELECT x\u2003$a$;", "COMMIT;"), codes("SELECT x\u2003$a$; COMMIT;", Provider.POSTGRESQL));
        // after a number a '$' starts a dollar quote (the number is not a name)
        assertEquals(List.of("SELECT 1$a$; COMMIT; $a$;"), codes("SELECT 1$a$; COMMIT; $a$;", Provider.POSTGRESQL));
        // $e'...': PostgreSQL takes the lone '$', then reads e'...' as an escape string
        assertEquals(List.of("SELECT $e'\\';x';", "SELECT 2;"), codes("SELECT $e'\\';x'; SELECT 2;", Provider.POSTGRESQL));
        // x€e'...' is a name then a plain string: its backslash is ordinary
        assertEquals(List.of("SELECT x€e'\\';", "SELECT 3;"), codes("SELECT x€e'\\'; SELECT 3;", Provider.POSTGRESQL));
    }

    @Test
    void postgresSemicolonsInParenthesesAndSqlFunctionBodiesDoNotEndAStatement() {
        String rule = "CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));";
        assertEquals(List.of(rule, "SELECT 1;"), codes(rule + "\nSELECT 1;", Provider.POSTGRESQL));
        String atomic = "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;";
        assertEquals(List.of(atomic, "SELECT 2;"), codes(atomic + "\nSELECT 2;", Provider.POSTGRESQL));
        // BEGIN as a statement is not a function body
        assertEquals(List.of("BEGIN;", "SELECT 3;", "END;"), codes("BEGIN; SELECT 3; END;", Provider.POSTGRESQL));
    }

    @Test
    void postgresTokensForTheTrialsScreen() {
        List<SqlLexer.Token> t = SqlLexer.tokens("SELECT pg_catalog.\"setval\"('s', 1) -- setval(\n, $$nextval($$, U&\"x\", E'\\'' FROM x€$a$;");
        assertEquals(List.of("WORD:SELECT", "WORD:pg_catalog", "SYMBOL:.", "QUOTED:setval", "SYMBOL:(", "STRING:s", "SYMBOL:,", "NUMBER:1",
                "SYMBOL:)", "SYMBOL:,", "STRING:", "SYMBOL:,", "QUOTED:x", "SYMBOL:,", "STRING:'", "WORD:FROM", "WORD:x€$a$", "SYMBOL:;"),
                t.stream().map(k -> k.kind() + ":" + k.text()).toList());
    }

    /** Memory bounded by a constant: a statement's code is kept up to HEAD, its text up to a cap, whatever its size. */
    @Test
    void longStatementsAreStreamedNotHeld() throws Exception {
        String big = "INSERT INTO \"Seed\" VALUES " + "('x;y', 1),".repeat(200_000) + "('z', 2);";
        String sql = "CREATE TABLE \"Seed\" (a TEXT, b INT);\n" + big + "\nSELECT 1;\n";
        try (SqlLexer.Pieces pieces = SqlLexer.read(new java.io.StringReader(sql), Provider.POSTGRESQL, true, 1_000_000)) {
            SqlLexer.Piece create = pieces.next();
            assertEquals(1, create.index());
            SqlLexer.Piece insert = pieces.next();
            assertEquals(2, insert.index());
            assertEquals(SqlLexer.HEAD, insert.code().length());
            assertEquals(false, insert.complete());
            assertEquals(null, insert.text(), "longer than the cap: not kept");
            assertEquals(big.length() + 1, insert.length());
            SqlLexer.Piece select = pieces.next();
            assertEquals("SELECT 1;", select.code());
            assertEquals("\nSELECT 1;", select.text());
            assertEquals(0, pieces.next().index());
            assertEquals(null, pieces.next());
        }
        assertEquals(3, SqlLexer.statements(sql, Provider.POSTGRESQL).size());
    }

    @Test
    void theFirstLineIsEscapedForLogs() {
        assertEquals("SELECT '\\u001b[31mred' AS \"a\\u0007\\u0085b\";",
                SqlLexer.statements("SELECT '\u001b[31mred' AS \"a\u0007\u0085b\";", Provider.POSTGRESQL).getFirst().firstLine());
        assertEquals("SELECT 'a", SqlLexer.statements("SELECT 'a\rb';", Provider.POSTGRESQL).getFirst().firstLine(), "a CR ends the line");
    }

    @Test
    void mysqlQuotesBackticksAndBackslashes() {
        assertEquals(List.of("INSERT INTO `a;b` VALUES ('x\\';y', \"q\\\";\", 'it''s;');", "SELECT 1;"),
                codes("INSERT INTO `a;b` VALUES ('x\\';y', \"q\\\";\", 'it''s;'); SELECT 1;", Provider.MYSQL));
        assertEquals(List.of("CREATE TABLE `a``;` (id INT);", "SELECT 2;"), codes("CREATE TABLE `a``;` (id INT); SELECT 2;", Provider.MYSQL));
    }

    @Test
    void mysqlComments() {
        assertEquals(List.of("SELECT 1;", "SELECT 2;"), codes("# one; two\nSELECT 1; -- three; four\nSELECT 2;", Provider.MYSQL));
        // "--" without a space is not a comment in MySQL: 1--1 is 1 - (-1)
        assertEquals(List.of("SELECT 1--1;", "SELECT 3;"), codes("SELECT 1--1; SELECT 3;", Provider.MYSQL));
        // block comments do not nest in MySQL
        assertEquals(List.of("SELECT   x */ 1;"), codes("SELECT /* a /* b */ x */ 1;", Provider.MYSQL));
        // an executable comment keeps its content, its version number dropped
        assertEquals(List.of("CREATE TABLE t (id INT)   ENGINE=InnoDB  ;"), codes("CREATE TABLE t (id INT) /*!50100 ENGINE=InnoDB */;", Provider.MYSQL));
    }

    @Test
    void trailingCommentsAndUnterminatedLastStatementArePieces() {
        String sql = "SELECT 1;\n-- the end\n";
        List<SqlLexer.Piece> pieces = SqlLexer.split(sql, Provider.POSTGRESQL);
        assertEquals(2, pieces.size());
        assertEquals(0, pieces.get(1).index());
        assertEquals(sql, join(pieces));
        assertEquals(List.of("SELECT 1;", "SELECT 2"), codes("SELECT 1; SELECT 2", Provider.MYSQL));
    }

    @Test
    void unterminatedQuotesAndCommentsRunToTheEnd() {
        for (Provider p : Provider.values()) {
            for (String sql : List.of("SELECT 'abc; def", "SELECT \"x; y", "SELECT /* x; y", "SELECT $q$ x; y", "SELECT `x;", "SELECT E'\\")) {
                List<SqlLexer.Piece> pieces = SqlLexer.split(sql, p);
                assertEquals(sql, join(pieces), p + ": " + sql);
            }
        }
    }

    /**
     * Property: for generated migrations (statements built from every quoting and comment form,
     * with ';' hidden in all of them), splitting and joining gives the input back exactly, and the
     * statement count is the number generated. Seeded, so a failure reproduces.
     */
    @Test
    void splitThenJoinGivesTheFileBackForGeneratedMigrations() {
        for (Provider p : Provider.values()) {
            Random random = new Random(20261202L + p.ordinal());
            for (int run = 0; run < 3000; run++) {
                int statements = 1 + random.nextInt(6);
                StringBuilder sql = new StringBuilder();
                for (int s = 0; s < statements; s++) {
                    sql.append(filler(random, p, true));
                    sql.append("SELECT ");
                    int parts = 1 + random.nextInt(5);
                    for (int k = 0; k < parts; k++) {
                        sql.append(fragment(random, p)).append(' ');
                    }
                    sql.append(';');
                }
                sql.append(filler(random, p, random.nextBoolean()));
                String input = sql.toString();
                List<SqlLexer.Piece> pieces = SqlLexer.split(input, p);
                assertEquals(input, join(pieces), p + " run " + run);
                assertEquals(statements, SqlLexer.statements(input, p).size(), p + " run " + run + ": " + input);
            }
        }
    }

    private static final String NOISE = "ab;'\"`$\\-#/*\n x";

    private static String noise(Random r, int max) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(max);
        for (int i = 0; i < n; i++) {
            b.append(NOISE.charAt(r.nextInt(NOISE.length())));
        }
        return b.toString();
    }

    /** Comments and blanks between statements (never code). */
    private static String filler(Random r, Provider p, boolean any) {
        if (!any) {
            return "\n";
        }
        List<String> options = new ArrayList<>(List.of("\n", "  ", "-- " + noise(r, 10).replace("\n", "") + "\n",
                "/* " + noise(r, 10).replace("*/", "").replace("/*", "") + " */"));
        if (p == Provider.MYSQL) {
            options.add("# " + noise(r, 10).replace("\n", "") + "\n");
        }
        return options.get(r.nextInt(options.size()));
    }

    /** One token of a statement: a word, or a quoted form hiding ';' and other quote characters. */
    private static String fragment(Random r, Provider p) {
        String inner = noise(r, 8);
        if (p == Provider.POSTGRESQL) {
            return switch (r.nextInt(8)) {
                case 0 -> "'" + inner.replace("'", "''") + "'";
                case 1 -> "\"" + inner.replace("\"", "\"\"") + "\"";
                case 2 -> "E'" + inner.replace("\\", "\\\\").replace("'", "\\'") + "'";
                case 3 -> "$t$" + inner.replace("$t$", "") + "$t$";
                case 4 -> "$$" + inner.replace("$", "") + "$$";
                case 5 -> "/* /* " + inner.replace("*/", "").replace("/*", "") + " */ ; */";
                case 6 -> "-- " + inner.replace("\n", "") + "\n";
                default -> "x" + r.nextInt(100);
            };
        }
        return switch (r.nextInt(8)) {
            case 0 -> "'" + inner.replace("\\", "\\\\").replace("'", "\\'") + "'";
            case 1 -> "\"" + inner.replace("\\", "\\\\").replace("\"", "\"\"") + "\"";
            case 2 -> "`" + inner.replace("`", "``") + "`";
            case 3 -> "/*!50100 " + inner.replaceAll("[;'\"`#\\-/*\\\\]", "") + " */";
            case 4 -> "/* " + inner.replace("*/", "") + " */";
            case 5 -> "# " + inner.replace("\n", "") + "\n";
            case 6 -> "-- " + inner.replace("\n", "") + "\n";
            default -> "x" + r.nextInt(100);
        };
    }
}
