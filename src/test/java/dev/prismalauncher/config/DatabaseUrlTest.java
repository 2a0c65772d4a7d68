package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.log.Secrets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Test
    void decodesUserAndPasswordAndKeepsThemOutOfToString() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://app%40corp:p%40ss%3Aw%2Frd%23@db.example:6543/shop?schema=Tenant1");
        assertEquals(Provider.POSTGRESQL, url.provider());
        assertEquals("app@corp", url.user());
        assertEquals("p@ss:w/rd#", url.password());
        assertEquals("db.example", url.host());
        assertEquals(6543, url.port());
        assertEquals("shop", url.database());
        assertEquals("Tenant1", url.schema());
        assertFalse(url.toString().contains("p@ss"));
        assertEquals("postgresql://app@corp:***@db.example:6543/shop?schema=Tenant1", url.toString());
        assertEquals("x *** y *** z", Secrets.redact("x p@ss:w/rd# y p%40ss%3Aw%2Frd%23 z"));
    }

    @Test
    void plusInPasswordIsLiteral() {
        assertEquals("a+b", DatabaseUrl.parse("DATABASE_URL", "mysql://u:a+b@h/db").password());
    }

    @Test
    void defaultsFollowPrisma() {
        DatabaseUrl pg = DatabaseUrl.parse("DATABASE_URL", "postgres://u@localhost");
        assertEquals(5432, pg.port());
        assertEquals("postgres", pg.database());
        assertEquals("public", pg.schema());
        assertNull(pg.password());
        assertEquals(3306, DatabaseUrl.parse("DATABASE_URL", "mysql://u@h/db").port());
    }

    @Test
    void ipv6Hosts() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://u:p@[::1]:5433/db");
        assertEquals("::1", url.host());
        assertEquals("[::1]:5433", url.hostAndPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not a url", "sqlite://file.db", "file:./dev.db", "prisma://accelerate.prisma-data.net/?api_key=x",
        "postgresql://u:p@ss@host/db", "postgresql:///db", "mysql://u:p@h", "postgresql://u:%zz@h/db",
        "postgresql://u:p@h/db/extra", "postgresql://u:p#ss@h/db"})
    void malformedUrlsAreUsageErrorsWithoutThePassword(String text) {
        LauncherException e = assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", text));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("DATABASE_URL"), e.getMessage());
        assertFalse(e.getMessage().contains(":p@") || e.getMessage().contains("%zz") || e.getMessage().contains("ss@"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://u@h/db?host=var/run/postgresql", "mysql://u@h/db?socket=mysql.sock",
        "postgresql://u@h/db?schema=a%22b", "postgresql://u@h/db?sslmode=sometimes", "postgresql://u@h/db?connect_timeout=soon",
        "postgresql://u@h/db?frobnicate=1", "mysql://u@h/db?sslaccept=maybe"})
    void unsupportedParametersAreRefusedBeforeConnecting(String text) {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", text);
        LauncherException e = assertThrows(LauncherException.class, () -> Dialect.of(url));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    @Test
    void poolParametersAreAccepted() {
        Dialect.of(DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db?schema=s&connection_limit=5&pool_timeout=10&sslmode=require&connect_timeout=3&pgbouncer=true"));
        Dialect.of(DatabaseUrl.parse("DATABASE_URL", "mysql://u@h/db?connection_limit=5&sslaccept=strict&socket_timeout=30"));
        Dialect.of(DatabaseUrl.parse("DATABASE_URL", "postgresql://u@localhost/db?host=/cloudsql/project:region:instance"));
        Dialect.of(DatabaseUrl.parse("DATABASE_URL", "mysql://u@localhost/db?socket=/run/mysqld/mysqld.sock"));
    }
}
