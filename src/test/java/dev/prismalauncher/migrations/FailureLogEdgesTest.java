package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The failure log reader at its edges: where each form starts, where a block ends, where text is cut. */
class FailureLogEdgesTest {

    @Test
    void theAdapterFormIsRecognisedAfterBlankLinesOnly() {
        assertEquals(new FailureLog(null, "boom", null), FailureLog.parse("\n  \nexternal connector error\nboom\n  0: schema_core::x with migration_name=\"m\"\n"));
        // a first line of something else: not the adapter form, so its first line is shown
        assertEquals(new FailureLog(null, "note", null), FailureLog.parse("note\nexternal connector error\nboom\n"));
        assertEquals(new FailureLog(null, "", null), FailureLog.parse("external connector error\n"));
    }

    @Test
    void theNativeBlockCanStartTheText() {
        assertEquals(new FailureLog(null, "x\ny", null), FailureLog.parse("Database error:\nx\ny\n\nDbError { ... }\n"));
        assertEquals(new FailureLog("23502", "ERROR: null", null),
                FailureLog.parse("Database error code: 23502\n\nDatabase error:\nERROR: null\n"));
    }

    @Test
    void thePositionBlockKeepsItsLastNumberedLine() {
        String logs = "Database error code: 42601\n\nDatabase error:\nERROR: syntax error\n\nPosition:\n[1m  0[0m\n  1 CREATE TABLE a ();\n"
                + "  2 ALTER TABLE\n\nDbError { severity: \"ERROR\" }\n";
        FailureLog f = FailureLog.parse(logs.replace("[1m", "\u001B[1m").replace("[0m", "\u001B[0m"));
        assertEquals("line 2: ALTER TABLE", f.statement());
        assertEquals("database error 42601: ERROR: syntax error (at line 2: ALTER TABLE)", f.describe());
        assertEquals("line 3: ", FailureLog.parse("Database error:\nE\n\nPosition:\n  3\n").statement());
        assertNull(FailureLog.parse("Database error:\nE\n\nPosition:\nnot numbered\n").statement());
    }

    @Test
    void textIsCutOnlyPastItsLimit() {
        assertEquals("y".repeat(1000), FailureLog.parse("external connector error\n" + "y".repeat(1000) + "\n").error());
        assertEquals("y".repeat(1000) + "...", FailureLog.parse("external connector error\n" + "y".repeat(1001) + "\n").error());
        assertEquals("y".repeat(1000), FailureLog.parse("y".repeat(1000)).error());
        String longLine = "x".repeat(400);
        String statement = FailureLog.parse("Database error:\nE\n\nPosition:\n  1 " + longLine + "\n").statement();
        assertEquals(300 + "...".length(), statement.length());
        assertEquals("line 1: " + "x".repeat(292) + "...", statement);
    }
}
