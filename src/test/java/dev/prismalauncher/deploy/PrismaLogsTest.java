package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.database.ScriptError;
import dev.prismalauncher.migrations.FailureLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The failed row's logs in the native engine's shape, computed as its Rust code computes them. */
class PrismaLogsTest {
    private static final String ESC = "\u001B";

    private static ScriptError.Server error(String code, String message, String detail, String hint, Integer position) {
        return new ScriptError.Server("ERROR", code, message, detail, hint, position, null, null, null, null, null, null, null, null,
                "scan.l", 1188, "scanner_yyerror");
    }

    @Test
    void postgresLogsAreTheP3018MessageWithDisplayPositionAndDebug() {
        String script = "-- one\nCREATE TABEL \"Comment\" (\n    \"id\" SERIAL NOT NULL\n);\n";
        String logs = PrismaLogs.postgres("20250104000000_syntax_error", error("42601", "syntax error at or near \"TABEL\"", null, null, 15),
                script);
        assertEquals(PrismaLogs.P3018 + "\n\nMigration name: 20250104000000_syntax_error\n\nDatabase error code: 42601\n\nDatabase error:\n"
                + "ERROR: syntax error at or near \"TABEL\"\n\nPosition:\n"
                + ESC + "[1m  0" + ESC + "[0m\n" + ESC + "[1m  1" + ESC + "[0m -- one\n" + ESC + "[1m  2" + ESC + "[1;31m CREATE TABEL \"Comment\" (" + ESC + "[0m"
                + "\n\nDbError { severity: \"ERROR\", parsed_severity: Some(Error), code: SqlState(E42601), message: \"syntax error at or near \\\"TABEL\\\"\","
                + " detail: None, hint: None, position: Some(Original(15)), where_: None, schema: None, table: None, column: None,"
                + " datatype: None, constraint: None, file: Some(\"scan.l\"), line: Some(1188), routine: Some(\"scanner_yyerror\") }\n\n", logs);
    }

    @Test
    void detailAndHintFollowTheMessageAndNoPositionMeansNoBlock() {
        String logs = PrismaLogs.postgres("m", error("23502", "column \"email\" of relation \"User\" contains null values", "Failing row.",
                "Add a default.", null), "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;");
        assertEquals(true, logs.contains("Database error:\nERROR: column \"email\" of relation \"User\" contains null values\nDETAIL: Failing row."
                + "\nHINT: Add a default.\n\nDbError { "), logs);
        assertEquals(false, logs.contains("Position:"), logs);
        assertEquals(true, logs.contains("detail: Some(\"Failing row.\"), hint: Some(\"Add a default.\"), position: None,"), logs);
    }

    /** Six lines in: five before it, numbered; the position compared with a running count of UTF-8 bytes, as Prisma does. */
    @Test
    void thePositionBlockShowsFiveLinesBeforeTheFailingOne() {
        String script = "a\nb\nc\nd\ne\nf\nboom\nh\n";
        String block = PrismaLogs.position(script, 13);
        assertEquals("\n\nPosition:\n" + ESC + "[1m  2" + ESC + "[0m b\n" + ESC + "[1m  3" + ESC + "[0m c\n" + ESC + "[1m  4" + ESC + "[0m d\n"
                + ESC + "[1m  5" + ESC + "[0m e\n" + ESC + "[1m  6" + ESC + "[0m f\n" + ESC + "[1m  7" + ESC + "[1;31m boom" + ESC + "[0m", block);
        // PostgreSQL counts characters, Prisma compares them with bytes: after a non-ASCII line it points earlier
        assertEquals(true, PrismaLogs.position("é\nx\ny\n", 4).endsWith("  2" + ESC + "[1;31m x" + ESC + "[0m"));
        assertEquals("", PrismaLogs.position("short", 99));
    }

    @Test
    void rustLinesDropOneTrailingCrAndNoEmptyLastLine() {
        assertEquals(List.of("a", "b", ""), PrismaLogs.rustLines("a\r\nb\n\n"));
        assertEquals(List.of("a\r"), PrismaLogs.rustLines("a\r\r\n"));
        assertEquals(List.of(), PrismaLogs.rustLines(""));
    }

    @Test
    void rustDebugEscapesQuotesBackslashesAndControls() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\u{1b}f\\0\"", PrismaLogs.rust("a\"b\\c\nd\te\u001Bf\0"));
        assertEquals("\"né'\"", PrismaLogs.rust("né'"));
    }

    @Test
    void mysqlLogsNameTheQueryNumber() {
        assertEquals(PrismaLogs.P3018 + "\n\nMigration name: 05_add_visit_id\n\nDatabase error code: 1305\n\nDatabase error:\n"
                + "FUNCTION db.BIN_TO_UUID does not exist\n\nPlease check the query number 2 from the migration file.\n\n",
                PrismaLogs.mysql("05_add_visit_id", 1305, "FUNCTION db.BIN_TO_UUID does not exist", 2));
    }

    /** The launcher's own reader of failed rows understands what the engine writes. */
    @Test
    void theLaunchersFailureLogReadsThem() {
        FailureLog pg = FailureLog.parse(PrismaLogs.postgres("m", error("42601", "syntax error at or near \"TABEL\"", null, null, 8),
                "CREATE TABEL x (id int);\n"));
        assertEquals("42601", pg.code());
        assertEquals("ERROR: syntax error at or near \"TABEL\"", pg.error());
        assertEquals("line 1: CREATE TABEL x (id int);", pg.statement());
        FailureLog my = FailureLog.parse(PrismaLogs.mysql("m", 1146, "Table 'd.t' doesn't exist", 3));
        assertEquals("1146", my.code());
        assertEquals("statement number 3 of migration.sql", my.statement());
    }
}
