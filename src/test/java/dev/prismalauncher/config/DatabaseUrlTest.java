package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.log.FreshSecrets;
import dev.prismalauncher.log.Secrets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(FreshSecrets.class)
class DatabaseUrlTest {

    /** The TLS identity's password (and any *password parameter) is a secret in its bare form too: Prisma or a driver may print it alone. */
    @Test
    void theSslPasswordIsRegisteredAsASecret() {
        for (String scheme : new String[] {"postgresql", "mysql"}) {
            String value = "Ssl-" + scheme + "-9q7Z!x";
            DatabaseUrl.parse("DATABASE_URL", scheme + "://u@h:1/db?sslidentity=id.p12&sslpassword=" + java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("identity password *** rejected", Secrets.redact("identity password " + value + " rejected"), scheme);
        }
        // a name in another case is refused (Prisma would ignore it), but its value is a secret all the same
        org.junit.jupiter.api.Assertions.assertThrows(dev.prismalauncher.LauncherException.class,
                () -> DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:1/db?SSLPassword=Other-9q7Z-x-Long"));
        assertEquals("*** printed", Secrets.redact("Other-9q7Z-x-Long printed"));
    }

    @Test
    void decodesUserAndPasswordAndKeepsThemOutOfToString() {
        assertEquals("x p@ss:w/rd# y", Secrets.redact("x p@ss:w/rd# y"), "registered by the parse below, not before");
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
        DatabaseUrl pg = DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db?schema=s&connection_limit=5&pool_timeout=10&sslmode=require&connect_timeout=3&pgbouncer=true");
        assertEquals(Map.of("schema", "s", "connection_limit", "5", "pool_timeout", "10", "sslmode", "require", "connect_timeout", "3", "pgbouncer", "true"),
                pg.parameters());
        assertEquals(Provider.POSTGRESQL, Dialect.of(pg).provider());
        DatabaseUrl my = DatabaseUrl.parse("DATABASE_URL", "mysql://u@h/db?connection_limit=5&sslaccept=strict&socket_timeout=30");
        assertEquals(Map.of("connection_limit", "5", "sslaccept", "strict", "socket_timeout", "30"), my.parameters());
        assertEquals(Provider.MYSQL, Dialect.of(my).provider());
        DatabaseUrl cloudSql = DatabaseUrl.parse("DATABASE_URL", "postgresql://u@localhost/db?host=/cloudsql/project:region:instance");
        assertEquals("/cloudsql/project:region:instance", cloudSql.parameter("host"));
        assertEquals(Provider.POSTGRESQL, Dialect.of(cloudSql).provider());
        DatabaseUrl socket = DatabaseUrl.parse("DATABASE_URL", "mysql://u@localhost/db?socket=/run/mysqld/mysqld.sock");
        assertEquals("/run/mysqld/mysqld.sock", socket.parameter("socket"));
        assertEquals(Provider.MYSQL, Dialect.of(socket).provider());
    }

    @ParameterizedTest
    @ValueSource(strings = {"65536", "99999", "0", "00000", "123456", "-1", "+80", " 80", "5432a"})
    void portsOutsideOneTo65535AreRefused(String port) {
        LauncherException e = assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:" + port + "/db"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("DATABASE_URL has a port that is not a number from 1 to 65535"), e.getMessage());
    }

    @Test
    void portsWithLeadingZerosAndIpv6Ports() {
        assertEquals(80, DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:00080/db").port());
        assertEquals(65535, DatabaseUrl.parse("DATABASE_URL", "mysql://u@[::1]:65535/db").port());
        assertEquals(3306, DatabaseUrl.parse("DATABASE_URL", "mysql://u@[::1]/db").port());
        assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", "mysql://u@[::1]:65536/db"));
        assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", "mysql://u@[::1]x/db"));
    }

    @Test
    void thePasswordIsRegisteredInEverySpellingTheUrlHeldItIn() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://u:R4w%2Bpl%20us@h/db");
        assertEquals("R4w+pl us", url.password());
        assertEquals("a *** b *** c ***", Secrets.redact("a R4w+pl us b R4w%2Bpl%20us c R4w%2Bpl+us"));
        assertEquals("postgresql://u:***@h:5432/db?schema=public", url.toString());
        assertEquals("postgresql://u@h:5432/db?schema=public", DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db").toString());
        assertEquals("mysql://h:3306/db", DatabaseUrl.parse("DATABASE_URL", "mysql://h/db").toString());
        assertEquals("postgresql://u:***@h:5432/other?schema=public", url.withDatabase("other").toString());
        assertEquals("R4w+pl us", url.withDatabase("other").password());
    }

    /** An '@' after the host, or two: the password holds an unencoded '?', '/', '#' or '@'. Refused without echoing any of it. */
    @ParameterizedTest
    @ValueSource(strings = {
        "postgresql://svc:2024?Winter@dbhost/shop", "postgresql://svc:20/24Winter@dbhost/shop", "postgresql://svc:2024@Winter@dbhost/shop",
        "mysql://svc:2024?Winter@dbhost:3306/shop", "postgresql://svc:2024Winter@db$host/shop", "postgresql://svc:2024Winter@dbhost:99999/shop",
        "postgresql://svc:2024Winter@dbhost:0/shop", "postgresql://svc:2024Winter@dbhost:-1/shop", "postgresql://svc:2024Winter@dbhost:54x/shop",
        "postgresql://svc:2024Winter@[::1/shop", "postgresql://svc:2024%00Winter@dbhost/shop"})
    void authorityThatDoesNotParseCleanlyIsRefusedWithoutEchoingIt(String text) {
        LauncherException e = assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", text));
        assertEquals(ExitCode.USAGE, e.exitCode());
        for (String piece : new String[] {"svc", "2024", "Winter", "dbhost", "shop"}) {
            assertFalse(e.getMessage().contains(piece), piece + " echoed: " + e.getMessage());
        }
    }

    @Test
    void portsAtTheEdgesAndUnderscoreHosts() {
        assertEquals(65535, DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:65535/db").port());
        assertEquals(1, DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:1/db").port());
        assertEquals("my_db", DatabaseUrl.parse("DATABASE_URL", "postgresql://u@my_db:5432/db").host());
        assertEquals(5432, DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h:/db").port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://u%00x@h/db", "postgresql://u@h/d%00b", "postgresql://u@h/db?options=-c%00x", "mysql://u@h/d%00b"})
    void nulIsRefused(String text) {
        LauncherException e = assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", text));
        assertTrue(e.getMessage().contains("NUL"), e.getMessage());
    }

    /** Quaint: {@code for (k, v) in url.query_pairs() { match k.as_ref() { "schema" => …, _ => ignored } }}. */
    @Test
    void parametersAreReadAsPrismaReadsThem() {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/db?schema=a&application_name=my+app&schema=b&options=-c%20x%2By");
        assertEquals("b", url.schema()); // last one wins
        assertEquals("my app", url.parameter("application_name")); // '+' is a space in the query
        assertEquals("-c x+y", url.parameter("options"));
        assertEquals("a+b", DatabaseUrl.parse("DATABASE_URL", "postgresql://u:a+b@h/db").password()); // but not in the userinfo
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgresql://u@h/db?SCHEMA=x", "postgresql://u@h/db?Schema=x", "postgresql://u@h/db?PgBouncer=true", "mysql://u@h/db?Connect_Timeout=3"})
    void aKnownParameterInAnotherCaseIsRefusedNamingTheSpelling(String text) {
        LauncherException e = assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", text));
        assertEquals(ExitCode.USAGE, e.exitCode());
        String key = text.substring(text.indexOf('?') + 1, text.indexOf('='));
        assertTrue(e.getMessage().contains("write it as '" + key.toLowerCase(java.util.Locale.ROOT) + "'"), e.getMessage());
    }

    /** quaint: no host in the authority but host= (PostgreSQL) or socket= (MySQL) names a Unix socket: the host is "localhost". */
    @Test
    void anEmptyHostIsAllowedOnlyWithASocketParameter() {
        DatabaseUrl pg = DatabaseUrl.parse("DATABASE_URL", "postgresql://u:p@/db?host=/var/run/postgresql");
        assertEquals("localhost", pg.host());
        assertEquals("/var/run/postgresql", pg.parameter("host"));
        assertEquals("localhost", DatabaseUrl.parse("DATABASE_URL", "mysql://u@/db?socket=/run/mysqld/mysqld.sock").host());
        assertThrows(LauncherException.class, () -> DatabaseUrl.parse("DATABASE_URL", "postgresql://u@/db?schema=x"));
    }
}
