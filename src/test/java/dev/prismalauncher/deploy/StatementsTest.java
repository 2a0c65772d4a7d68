package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.prismalauncher.config.Provider;
import org.junit.jupiter.api.Test;

/** The failing statement named from what the database reports. */
class StatementsTest {
    private static final String SCRIPT = "-- CreateTable\nCREATE TABLE \"a\" (\"id\" INT);\n\n-- a ';' in a string\nINSERT INTO \"a\" VALUES (';');\n"
            + "ALTER TABLE \"a\" ALTER COLUMN \"id\" SET NOT NULL;\n";

    @Test
    void byCompletedStatements() {
        assertEquals("statement 1 (line 2): CREATE TABLE \"a\" (\"id\" INT);", Statements.failing(SCRIPT, Provider.POSTGRESQL, 0, null));
        assertEquals("statement 2 (line 5): INSERT INTO \"a\" VALUES (';');", Statements.failing(SCRIPT, Provider.POSTGRESQL, 1, null));
        assertEquals("statement 3 (line 6): ALTER TABLE \"a\" ALTER COLUMN \"id\" SET NOT NULL;", Statements.failing(SCRIPT, Provider.POSTGRESQL, 2, null));
        assertEquals("statement 4", Statements.failing(SCRIPT, Provider.POSTGRESQL, 3, null));
        assertNull(Statements.failing(SCRIPT, Provider.POSTGRESQL, -1, null));
    }

    /** PostgreSQL's position (1-based characters) wins over the count; a character before it that is not ASCII counts once. */
    @Test
    void byPosition() {
        int insert = SCRIPT.indexOf("INSERT") + 1;
        assertEquals("statement 2 (line 5): INSERT INTO \"a\" VALUES (';');", Statements.failing(SCRIPT, Provider.POSTGRESQL, 0, insert));
        String s = "SELECT '€😀';\nCREATE TABEL x;\n";
        assertEquals("statement 2 (line 2): CREATE TABEL x;", Statements.failing(s, Provider.POSTGRESQL, 0, "SELECT '€😀';\nCREATE TA".length() - 1));
    }

    @Test
    void longStatementsAreCutAndBlanksFolded() {
        String s = "CREATE TABLE t (\n" + "  c INT,\n".repeat(40) + "  d INT);";
        String d = Statements.failing(s, Provider.MYSQL, 0, null);
        assertEquals(true, d.startsWith("statement 1 (line 1): CREATE TABLE t ( c INT, c INT,"), d);
        assertEquals(true, d.endsWith("..."), d);
    }
}
