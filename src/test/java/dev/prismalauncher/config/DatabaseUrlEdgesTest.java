package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.FreshSecrets;
import dev.prismalauncher.log.Secrets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The URL rules at their edges: a character at position 0, an empty part, the first character past a range. */
@ExtendWith(FreshSecrets.class)
class DatabaseUrlEdgesTest {

    private static DatabaseUrl parse(String text) {
        return DatabaseUrl.parse("DATABASE_URL", text);
    }

    private static String refused(String text) {
        LauncherException e = assertThrows(LauncherException.class, () -> parse(text), text);
        assertEquals(ExitCode.USAGE, e.exitCode());
        return e.getMessage();
    }

    @Test
    void schemeAndControlCharacters() {
        assertTrue(refused("://u@h/db").startsWith("DATABASE_URL is not a URL"));
        assertTrue(refused("prisma+postgres://accelerate/db").contains("set MIGRATE_DATABASE_URL to the direct database URL"));
        assertTrue(!refused("sqlserver://h/db").contains("Accelerate"));
        assertTrue(refused("postgresql://u@h/d\u001fb").contains("control character"));
        assertTrue(refused("postgresql://u@h/d\u007fb").contains("control character"));
        assertEquals("d b", parse("postgresql://u@h/d b").database(), "a space is not a control character");
        assertEquals("d~b", parse("postgresql://u@h/d~b").database());
        assertTrue(refused("postgresql://#u@h/db").contains("contains '#'"));
        assertTrue(refused("  ").startsWith("DATABASE_URL is not set"));
        assertEquals("h", parse("  postgresql://u@h/db \n").host(), "surrounding whitespace is not part of it");
    }

    @Test
    void userinfoAtItsEdges() {
        DatabaseUrl emptyUser = parse("postgresql://:Pw-edge-0001@h/db");
        assertEquals("", emptyUser.user());
        assertEquals("Pw-edge-0001", emptyUser.password());
        assertEquals("x *** y", Secrets.redact("x Pw-edge-0001 y"), "registered even with an empty user");
        DatabaseUrl noUserinfo = parse("postgresql://@h/db");
        assertEquals("", noUserinfo.user());
        assertNull(noUserinfo.password());
        DatabaseUrl noAt = parse("postgresql://h/db");
        assertNull(noAt.user());
        assertNull(noAt.password());
        DatabaseUrl emptyPassword = parse("postgresql://u:@h/db");
        assertEquals("u", emptyPassword.user());
        assertEquals("", emptyPassword.password());
        assertTrue(refused("postgresql://u:p@h@x/db").contains("does not parse cleanly"));
        // a needlessly encoded password: its raw spelling is registered too (re-encoding the decoded one gives another)
        DatabaseUrl odd = parse("postgresql://u:Xy%41bc-12345@h/db");
        assertEquals("XyAbc-12345", odd.password());
        assertEquals("a *** b ***", Secrets.redact("a Xy%41bc-12345 b XyAbc-12345"));
        assertTrue(refused("postgresql://h/db@x").contains("does not parse cleanly"));
    }

    @Test
    void hostAndPortAtTheirEdges() {
        assertTrue(refused("postgresql://u@:5432/db").contains("names no host"));
        DatabaseUrl socket = parse("postgresql://u@:5433/db?host=/var/run/postgresql");
        assertEquals("localhost", socket.host());
        assertEquals(5433, socket.port(), "the port still names the socket file (.s.PGSQL.5433)");
        assertEquals(5432, parse("postgresql://u@h:/db").port());
        assertEquals("h", parse("postgresql://u@h:1/db").host());
        assertEquals(1, parse("postgresql://u@h:1/db").port());
        assertTrue(refused("postgresql://u@[::1]5432/db").contains("not :port"));
        assertTrue(refused("postgresql://u@[zz]/db").contains("malformed IPv6"));
        assertEquals("::1", parse("postgresql://u@[::1]/db").host());
        assertEquals("[::1]:5432", parse("postgresql://u@[::1]/db").hostAndPort());
        assertEquals("h:5432", parse("postgresql://u@h/db").hostAndPort());
    }

    @Test
    void pathAndQueryAtTheirEdges() {
        DatabaseUrl queryOnly = parse("postgresql://u@h?schema=s");
        assertEquals("postgres", queryOnly.database());
        assertEquals("s", queryOnly.schema());
        assertEquals("db", parse("mysql://u@h/db?").database());
        assertEquals(Map.of(), parse("postgresql://u@h/db?").parameters());
        assertEquals(Map.of("schema", "s"), parse("postgresql://u@h/db?&&schema=s&").parameters());
        assertEquals(Map.of("pgbouncer", ""), parse("postgresql://u@h/db?pgbouncer").parameters(), "a name without '=' has an empty value");
        assertEquals(Map.of("", "x"), parse("postgresql://u@h/db?=x").parameters(), "an empty name is ignored by Prisma, kept here");
        assertEquals(Map.of("schema", "a=b"), parse("postgresql://u@h/db?schema=a=b").parameters());
        assertEquals("public", parse("postgresql://u@h/db?schema=").schema(), "an empty schema is Prisma's default");
        assertTrue(refused("postgresql://u@h/%00db").contains("NUL"));
        assertTrue(refused("postgresql://u@h/db?%00=x").contains("NUL"));
        assertTrue(refused("postgresql://u@h/db?schema=%zz").contains("malformed percent-encoding in the parameter schema"));
        assertTrue(refused("mysql://u@h/").contains("names no database"));
        assertTrue(refused("mysql://u@h").contains("names no database"));
    }
}
