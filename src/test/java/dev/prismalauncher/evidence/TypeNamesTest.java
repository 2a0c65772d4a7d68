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
        for (String w : Arrays.asList(null, "Weird Type!", "timestamp(3) at local", "TIMESTAMP(3) WITH TIME ZONE", "9lives", "geometry(Point, 4326)")) {
            assertNull(TypeNames.postgres(w), String.valueOf(w));
        }
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
        assertFalse(TypeNames.sameDefault("('x')", "'x'"), "no cast: the parenthesis stays");
        assertFalse(TypeNames.sameDefault("'a'::text", "'a'::text::x"));
        assertFalse(TypeNames.sameDefault("(1)::integer", "2"));
    }
}
