package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Types as Prisma writes them against what each catalog prints (PostgreSQL format_type, MySQL
 * COLUMN_TYPE): a wrong normalisation turns "present" into "absent" (or the reverse) for ALTER
 * COLUMN ... TYPE and MODIFY.
 */
class TypeNamesTest {

    private static void postgres(String expected, String... written) {
        for (String w : written) {
            assertEquals(expected, TypeNames.postgres(w), w);
        }
    }

    @Test
    void postgresSpellingsOfOneTypeAgree() {
        postgres("integer", "INTEGER", "int", "INT4", " integer ");
        postgres("bigint", "BIGINT", "int8");
        postgres("smallint", "SMALLINT", "int2");
        postgres("boolean", "BOOLEAN", "bool");
        postgres("double precision", "DOUBLE PRECISION", "double   precision", "float8");
        postgres("real", "REAL", "float4");
        postgres("text", "TEXT");
        postgres("jsonb", "JSONB");
        postgres("json", "json");
        postgres("uuid", "UUID");
        postgres("bytea", "BYTEA");
        postgres("date", "DATE");
        postgres("xml", "xml");
        postgres("citext", "CITEXT");
        postgres("inet", "INET");
        postgres("money", "MONEY");
        postgres("character varying(191)", "VARCHAR(191)", "character varying(191)", "varchar (191)", "CHARACTER VARYING ( 191 )");
        postgres("character varying", "VARCHAR", "character varying");
        postgres("character(1)", "CHAR(1)", "character(1)");
        postgres("numeric(65,30)", "DECIMAL(65,30)", "numeric(65, 30)", "NUMERIC( 65 , 30 )");
        postgres("numeric", "DECIMAL");
        postgres("timestamp(3) without time zone", "TIMESTAMP(3)", "timestamp(3) without time zone");
        postgres("timestamp without time zone", "TIMESTAMP", "timestamp without time zone");
        postgres("timestamp(3) with time zone", "TIMESTAMPTZ(3)");
        postgres("timestamp with time zone", "timestamptz");
        postgres("time(6) without time zone", "TIME(6)");
        postgres("time without time zone", "time without time zone");
        postgres("time(3) with time zone", "TIMETZ(3)");
        postgres("bit(3)", "BIT(3)");
        postgres("bit varying(8)", "bit varying(8)");
        postgres("integer[]", "INTEGER[]", "int4 []");
        postgres("text[][]", "TEXT[][]");
        postgres("character varying(10)[]", "VARCHAR(10)[]");
    }

    @Test
    void postgresNamedTypesKeepTheirCaseAndUnknownsAreNull() {
        postgres("Role", "\"Role\"");
        postgres("Ro\"le", "\"Ro\"\"le\"");
        postgres("Role[]", "\"Role\"[]");
        postgres("mood", "mood", "MOOD");
        postgres("my_type2", "my_type2");
        for (String w : Arrays.asList(null, "Weird Type!", "timestamp(3) at local", "TIMESTAMP(3) WITH LOCAL TIME ZONE", "9lives", "geometry(Point, 4326)")) {
            assertNull(TypeNames.postgres(w), String.valueOf(w));
        }
    }

    /** Issue 18 (mutation testing): spellings format_type prints otherwise than they are written. */
    @Test
    void postgresZonedTimesBitsAndCharactersAsFormatTypePrintsThem() {
        postgres("time with time zone", "time with time zone", "TIMETZ", "TIME WITH TIME ZONE");
        postgres("time(3) with time zone", "TIME(3) WITH TIME ZONE", "timetz(3)");
        postgres("time(3) without time zone", "TIME(3) WITHOUT TIME ZONE");
        postgres("timestamp(3) with time zone", "TIMESTAMP(3) WITH TIME ZONE", "timestamptz(3)");
        postgres("timestamp(6) without time zone", "TIMESTAMP(6) WITHOUT TIME ZONE");
        postgres("bit varying", "VARBIT", "bit varying");
        postgres("bit varying(5)", "VARBIT(5)", "BIT VARYING(5)");
        postgres("bit(1)", "BIT");
        postgres("character(1)", "CHAR", "character");
    }

    @Test
    void mysqlEnumLabelsKeepTheirCase() {
        assertEquals("enum('USER','ADMIN')", TypeNames.mysql("ENUM('USER','ADMIN')"));
        assertEquals("enum('USER','ADMIN')", TypeNames.mysql("enum('USER', 'ADMIN')"));
        assertFalse(TypeNames.mysql("ENUM('user','admin')").equals(TypeNames.mysql("enum('USER','ADMIN')")), "other labels");
    }

    @Test
    void mysqlDefaultsAsColumnDefaultPrintsThem() {
        assertTrue(TypeNames.sameMySqlDefault("22", "22"));
        assertFalse(TypeNames.sameMySqlDefault("2222", "22"), "issue 18: MODIFY ... DEFAULT 22 over 2222");
        assertTrue(TypeNames.sameMySqlDefault("'abc'", "'abc'"), "MariaDB quotes string defaults");
        assertTrue(TypeNames.sameMySqlDefault("abc", "'abc'"), "MySQL does not");
        assertFalse(TypeNames.sameMySqlDefault("'ABC'", "'abc'"));
        assertTrue(TypeNames.sameMySqlDefault("current_timestamp(3)", "CURRENT_TIMESTAMP(3)"));
        assertTrue(TypeNames.sameMySqlDefault("current_timestamp()", "now()"));
        assertTrue(TypeNames.sameMySqlDefault("0", "false"));
        assertTrue(TypeNames.sameMySqlDefault("1.50", "1.5"));
        assertTrue(TypeNames.sameMySqlDefault(null, null));
        assertTrue(TypeNames.sameMySqlDefault("NULL", null), "MariaDB prints DEFAULT NULL as NULL");
        assertFalse(TypeNames.sameMySqlDefault(null, "22"));
        assertFalse(TypeNames.sameMySqlDefault("22", null));
    }

    @Test
    void mysqlSpellingsAsColumnTypePrintsThem() {
        for (List<String> c : List.of(
                List.of("tinyint(1)", "BOOLEAN"), List.of("tinyint(1)", "bool"), List.of("tinyint(1)", "TINYINT(1)"),
                List.of("int", "INTEGER"), List.of("int", "INT"), List.of("int", "int(11)"), List.of("int", "INTEGER(11)"),
                List.of("int unsigned", "INT UNSIGNED"), List.of("int unsigned", "int(10) unsigned"), List.of("bigint", "BIGINT(20)"),
                List.of("smallint", "smallint(6)"), List.of("mediumint", "MEDIUMINT(9)"), List.of("tinyint", "tinyint(4)"),
                List.of("varchar(191)", "VARCHAR(191)"), List.of("varchar(191)", "varchar (191)"), List.of("decimal(65,30)", "DECIMAL(65, 30)"),
                List.of("longtext", "JSON"), List.of("datetime(3)", "DATETIME(3)"), List.of("double", "DOUBLE"),
                List.of("enum('a','b')", "ENUM('a', 'b')"), List.of("text", "  text  "))) {
            assertEquals(c.get(0), TypeNames.mysql(c.get(1)), c.get(1));
        }
        assertNull(TypeNames.mysql(null));
        assertNull(TypeNames.mysql("   "));
    }

    @Test
    void postgresDefaultsAsStoredAgainstAsWritten() {
        assertTrue(TypeNames.sameDefault("0", "0"));
        assertTrue(TypeNames.sameDefault(" 'x' ", "'x'"));
        assertTrue(TypeNames.sameDefault("'x'::text", "'x'"));
        assertTrue(TypeNames.sameDefault("'USER'::\"Role\"", "'USER'"));
        assertTrue(TypeNames.sameDefault("CURRENT_TIMESTAMP", "current_timestamp"));
        assertTrue(TypeNames.sameDefault("(1)::integer", "1"), "a parenthesised value, cast");
        assertFalse(TypeNames.sameDefault("'x'::text", "'y'"));
        assertFalse(TypeNames.sameDefault("'x'::text", null));
        assertFalse(TypeNames.sameDefault("::text", "'x'"), "nothing before the cast");
        assertTrue(TypeNames.sameDefault("('x')", "'x'"), "wrapping parentheses say nothing");
        assertFalse(TypeNames.sameDefault("'abc'::text", "'ABC'"), "issue 18: a string default is compared with regard to case");
        assertTrue(TypeNames.sameDefault("'{}'::jsonb", "'{}'"));
        assertTrue(TypeNames.sameDefault("ARRAY[]::text[]", "ARRAY[]::TEXT[]"));
        assertTrue(TypeNames.sameDefault("'x'::character varying", "'x'"));
        assertFalse(TypeNames.sameDefault("nextval('\"a_seq\"'::regclass)", "nextval('\"b_seq\"'::regclass)"));
        assertFalse(TypeNames.sameDefault("(1 + 2)", "1"));
        assertFalse(TypeNames.sameDefault("'a'::text", "'a'::text::x"));
        assertFalse(TypeNames.sameDefault("(1)::integer", "2"));
    }
}
