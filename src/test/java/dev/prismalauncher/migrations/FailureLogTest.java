package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Both forms of a failed row's logs, as Prisma 7.10.1 writes them. */
class FailureLogTest {
    private static final String BOILERPLATE = "A migration failed to apply. New migrations cannot be applied before the error is recovered"
            + " from. Read more about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n";

    private static String resource(String name) throws IOException {
        try (InputStream in = FailureLogTest.class.getResourceAsStream("/failure-logs/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Captured from the real CLI (prisma 7.10.1, WebAssembly engine over `pg`): a syntax error. */
    @Test
    void driverAdapterFormSyntaxError() throws IOException {
        FailureLog f = FailureLog.parse(resource("adapter-syntax-error.txt"));
        assertEquals(new FailureLog(null, "Error querying the database: ERROR: syntax error at or near \"TABEL\"", null), f);
        assertEquals("Error querying the database: ERROR: syntax error at or near \"TABEL\"", f.describe());
    }

    /** Captured from the real CLI: ADD COLUMN ... NOT NULL on a table with rows. */
    @Test
    void driverAdapterFormNotNull() throws IOException {
        assertEquals(new FailureLog(null, "Null constraint failed: (email)", null), FailureLog.parse(resource("adapter-not-null.txt")));
    }

    /**
     * The native engine on PostgreSQL, laid out as apply_migration_script writes it (the P3018
     * template, the database error with its Position block in ANSI bold/red, the DbError dump,
     * the span trace).
     */
    @Test
    void nativeFormWithPosition() {
        String logs = BOILERPLATE + "Migration name: 20250104000000_syntax_error\n\nDatabase error code: 42601\n\nDatabase error:\n"
                + "ERROR: syntax error at or near \"TABEL\"\n\nPosition:\n"
                + "\u001B[1m  0\u001B[0m\n"
                + "\u001B[1m  1\u001B[0m -- Deliberately invalid SQL: the migration fails with a syntax error.\n"
                + "\u001B[1m  2\u001B[1;31m CREATE TABEL \"Comment\" (\u001B[0m\n\n"
                + "DbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42601), message: \"syntax error at or near"
                + " \\\"TABEL\\\"\", detail: None, hint: None, position: Some(Original(79)) }\n\n"
                + "   0: sql_schema_connector::apply_migration::apply_script\n           with migration_name=\"20250104000000_syntax_error\"\n"
                + "             at schema-engine/connectors/sql-schema-connector/src/apply_migration.rs:106\n";
        FailureLog f = FailureLog.parse(logs);
        assertEquals(new FailureLog("42601", "ERROR: syntax error at or near \"TABEL\"", "line 2: CREATE TABEL \"Comment\" ("), f);
        assertEquals("database error 42601: ERROR: syntax error at or near \"TABEL\" (at line 2: CREATE TABEL \"Comment\" ()", f.describe());
    }

    @Test
    void nativeFormWithDetailAndNoPosition() {
        String logs = BOILERPLATE + "Migration name: 20250104000000_unique\n\nDatabase error code: 23505\n\nDatabase error:\n"
                + "ERROR: could not create unique index \"User_email_key\"\nDETAIL: Key (email)=(a@b.c) is duplicated.\n\n"
                + "DbError { severity: \"ERROR\", code: SqlState(E23505) }\n";
        assertEquals(new FailureLog("23505", "ERROR: could not create unique index \"User_email_key\"\nDETAIL: Key (email)=(a@b.c) is duplicated.", null),
                FailureLog.parse(logs));
    }

    /** The native engine on MySQL names the statement by its number in the script. */
    @Test
    void nativeFormOnMysqlWithQueryNumber() {
        String logs = BOILERPLATE + "Migration name: 20250104000000_x\n\nDatabase error code: 1050\n\nDatabase error:\n"
                + "Table 'Post' already exists\n\nPlease check the query number 2 from the migration file.\n\n"
                + "   0: sql_schema_connector::apply_migration::apply_script\n";
        assertEquals(new FailureLog("1050", "Table 'Post' already exists", "statement number 2 of migration.sql"), FailureLog.parse(logs));
    }

    /** What src/test/fixtures/fake-prisma-mysql writes (the native template, the client's message). */
    @Test
    void nativeFormAsTheMysqlStandInWritesIt() {
        String logs = BOILERPLATE + "Migration name: 20250104000000_not_null_email\n\nDatabase error code: 1138\n\nDatabase error:\n"
                + "Invalid use of NULL value\n";
        assertEquals(new FailureLog("1138", "Invalid use of NULL value", null), FailureLog.parse(logs));
    }

    @Test
    void anythingElseShowsItsFirstLineThatIsNotBoilerplate() {
        assertEquals(new FailureLog(null, "something went wrong", null), FailureLog.parse(BOILERPLATE + "something went wrong\nmore\n"));
        assertEquals(new FailureLog(null, "x", null),
                FailureLog.parse(BOILERPLATE + "Database error code: none\n\nDatabase error:\nx\n"));
        assertNull(FailureLog.parse(""));
        assertNull(FailureLog.parse(null));
    }

    @Test
    void longErrorsAreCut() {
        FailureLog f = FailureLog.parse("external connector error\n" + "y".repeat(5000) + "\n");
        assertEquals(1003, f.error().length());
    }
}
