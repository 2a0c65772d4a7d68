package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.DatabaseUrl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Prisma's datasource line against the database the launcher inspected. The lines in {@link #PG} and
 * {@link #MYSQL} were printed by prisma 7.10.1 (`prisma migrate resolve` with no flags prints the
 * line and stops, touching nothing) for DATABASE_URL = the key; DatasourceLineIT prints them again
 * with the real CLI and fails if any changed.
 */
class DatasourceCheckTest {
    /** URL → the line prisma 7.10.1 prints for it, with a PostgreSQL datasource. */
    static final Map<String, String> PG = new LinkedHashMap<>();
    /** The same, with a MySQL datasource. */
    static final Map<String, String> MYSQL = new LinkedHashMap<>();
    /** Prisma's CLI prints the first schema= (searchParams.get), its engine uses the last (quaint), as the launcher does. */
    static final String TWO_SCHEMAS = "postgresql://u@h:5432/app?schema=first&schema=second";

    static {
        PG.put("postgresql://u:p@127.0.0.1:5432/app?schema=public", "Datasource \"db\": PostgreSQL database \"app\", schema \"public\" at \"127.0.0.1:5432\"");
        PG.put("postgresql://u:p@[0:0:0:0:0:0:0:1]:05432/my%20db?schema=a+b",
                "Datasource \"db\": PostgreSQL database \"my%20db\", schema \"a b\" at \"[::1]:5432\"");
        PG.put(TWO_SCHEMAS, "Datasource \"db\": PostgreSQL database \"app\", schema \"first\" at \"h:5432\"");
        PG.put("postgresql://u@LocalHost/caf%C3%A9", "Datasource \"db\": PostgreSQL database \"caf%C3%A9\", schema \"public\" at \"LocalHost\"");
        PG.put("postgres://u@h:5432/", "Datasource \"db\": PostgreSQL database \"postgres\", schema \"public\" at \"h:5432\"");
        PG.put("postgresql://u:p@/db?host=/tmp", "Datasource \"db\": PostgreSQL database");
        PG.put("postgresql://u@localhost/db?host=/var/run/postgresql&schema=", "Datasource \"db\": PostgreSQL database \"db\", schema \"public\" at \"localhost\"");
        PG.put("postgresql://u@db.internal:6543/shop?schema=a%22%20at%20%22b", "Datasource \"db\": PostgreSQL database \"shop\", schema \"a\" at \"b\" at \"db.internal:6543\"");
        MYSQL.put("mysql://u:p@localhost/db?socket=/run/mysqld/mysqld.sock", "Datasource \"db\": MySQL database \"db\" at \"unix:/run/mysqld/mysqld.sock\"");
        MYSQL.put("mysql://u:p@127.0.0.1/shop", "Datasource \"db\": MySQL database \"shop\" at \"127.0.0.1\"");
        MYSQL.put("mysql://u:p@127.0.0.1:3306/sh%20op", "Datasource \"db\": MySQL database \"sh%20op\" at \"127.0.0.1:3306\"");
    }

    private static DatasourceCheck.Verdict check(String line, String launcherUrl) {
        return DatasourceCheck.check(DatasourceLine.parse(line), DatabaseUrl.parse("DATABASE_URL", launcherUrl));
    }

    @Test
    void everyRecordedLineMatchesTheUrlItWasPrintedFor() {
        Map<String, String> all = new LinkedHashMap<>(PG);
        all.putAll(MYSQL);
        all.remove("postgresql://u:p@/db?host=/tmp"); // names nothing: see below
        all.remove(TWO_SCHEMAS); // names the wrong schema: see below
        all.forEach((url, line) -> assertInstanceOf(DatasourceCheck.Same.class, check(line, url), url + " / " + line));
    }

    @Test
    void theSameDatabaseWrittenAnotherWayMatches() {
        String ipv6 = PG.get("postgresql://u:p@[0:0:0:0:0:0:0:1]:05432/my%20db?schema=a+b");
        assertInstanceOf(DatasourceCheck.Same.class, check(ipv6, "postgresql://x@[::1]/my%20db?schema=a%20b"), "IPv6 by address, default port");
        String cafe = PG.get("postgresql://u@LocalHost/caf%C3%A9");
        assertInstanceOf(DatasourceCheck.Same.class, check(cafe, "postgresql://u@localhost:5432/café?schema=public"), "host case, decoded name");
        String noPort = MYSQL.get("mysql://u:p@127.0.0.1/shop");
        assertInstanceOf(DatasourceCheck.Same.class, check(noPort, "mysql://root@127.0.0.1:3306/shop"), "no port printed = the default port");
    }

    @Test
    void anotherDatabaseSchemaHostPortOrSocketDiffers() {
        String line = PG.get("postgresql://u:p@127.0.0.1:5432/app?schema=public");
        for (String other : List.of("postgresql://u@127.0.0.1:5432/app2", "postgresql://u@127.0.0.1:5432/app?schema=tenant",
                "postgresql://u@127.0.0.2:5432/app", "postgresql://u@127.0.0.1:5433/app", "postgresql://u@localhost:5432/app",
                "postgresql://u@[::1]:5432/app", "mysql://u@127.0.0.1:5432/app")) {
            DatasourceCheck.Verdict v = check(line, other);
            assertInstanceOf(DatasourceCheck.Different.class, v, other);
            assertTrue(((DatasourceCheck.Different) v).launcher().contains("at \""), v.toString());
        }
        String socket = MYSQL.get("mysql://u:p@localhost/db?socket=/run/mysqld/mysqld.sock");
        assertInstanceOf(DatasourceCheck.Different.class, check(socket, "mysql://u@localhost/db"));
        assertInstanceOf(DatasourceCheck.Different.class, check(socket, "mysql://u@localhost/db?socket=/tmp/other.sock"));
        String tcp = MYSQL.get("mysql://u:p@127.0.0.1/shop");
        assertInstanceOf(DatasourceCheck.Different.class, check(tcp, "mysql://u@127.0.0.1/shop?socket=/run/mysqld/mysqld.sock"));
        String encoded = MYSQL.get("mysql://u:p@127.0.0.1:3306/sh%20op");
        assertInstanceOf(DatasourceCheck.Different.class, check(encoded, "mysql://u@127.0.0.1:3306/sh%2520op"), "decoded once, not twice");
    }

    @Test
    void aUrlWithTwoSchemasIsRefusedForPrismaNamesAnotherSchemaThanItsEngineUses() {
        DatasourceCheck.Different d = (DatasourceCheck.Different) check(PG.get(TWO_SCHEMAS), TWO_SCHEMAS);
        assertEquals(List.of("schema \"first\" vs \"second\""), d.differences());
    }

    @Test
    void theDifferencesNameBothSides() {
        DatasourceCheck.Different d = (DatasourceCheck.Different) check(PG.get("postgresql://u:p@127.0.0.1:5432/app?schema=public"),
                "postgresql://u@db.prod:5432/main?schema=app");
        assertEquals("PostgreSQL database \"app\", schema \"public\" at \"127.0.0.1:5432\"", d.prisma());
        assertEquals("PostgreSQL database \"main\", schema \"app\" at \"db.prod:5432\"", d.launcher());
        assertEquals(List.of("database \"app\" vs \"main\"", "schema \"public\" vs \"app\"", "server \"127.0.0.1:5432\" vs \"db.prod:5432\""),
                d.differences());
    }

    @Test
    void aLineNamingNothingCannotBeCheckedAndSaysWhy() {
        DatasourceCheck.Verdict v = check(PG.get("postgresql://u:p@/db?host=/tmp"), "postgresql://u:p@/db?host=/tmp");
        assertInstanceOf(DatasourceCheck.Unknown.class, v);
        assertTrue(((DatasourceCheck.Unknown) v).why().contains("localhost"), v.toString());
        // a provider is always compared
        assertInstanceOf(DatasourceCheck.Different.class, check("Datasource \"db\": MySQL database", "postgresql://u@h/db"));
    }

    @Test
    void aSchemaHoldingQuotesAndAtIsReadFromTheEnd() {
        DatasourceLine line = DatasourceLine.parse(PG.get("postgresql://u@db.internal:6543/shop?schema=a%22%20at%20%22b"));
        assertEquals("a\" at \"b", line.schema());
        assertEquals("db.internal:6543", line.location());
        assertInstanceOf(DatasourceCheck.Different.class, check(line.text(), "postgresql://u@b:6543/shop?schema=a"));
    }

    @Test
    void formsPrismaPrintsBesidesTheUsualOne() {
        // several schemas (datasource schemas = [...]): the schema is not compared, the rest is
        DatasourceCheck.Verdict many = check("Datasource \"db\": PostgreSQL database \"app\", schemas \"auth, public\" at \"h:5432\"",
                "postgresql://u@h:5432/app?schema=public");
        assertInstanceOf(DatasourceCheck.Same.class, many);
        assertEquals(1, ((DatasourceCheck.Same) many).notes().size());
        // Prisma 6 through a driver adapter names no server
        DatasourceLine adapter = DatasourceLine.parse("Datasource \"db\": PostgreSQL database \"app\", schema \"public\" using driver adapter \"@prisma/adapter-pg\"");
        assertEquals("@prisma/adapter-pg", adapter.adapter());
        assertInstanceOf(DatasourceCheck.Same.class, DatasourceCheck.check(adapter, DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/app")));
        // colours (FORCE_COLOR) are ignored
        DatasourceLine dim = DatasourceLine.parse("\u001b[2mDatasource \"db\": MySQL database \"shop\" at \"127.0.0.1\"\u001b[22m");
        assertEquals("shop", dim.database());
        // other lines are not datasource lines; a part this parser does not know leaves it unchecked
        assertNull(DatasourceLine.parse("Prisma schema loaded from prisma/schema.prisma."));
        assertNull(DatasourceLine.parse("  Datasource \"db\": PostgreSQL database \"x\""));
        assertInstanceOf(DatasourceCheck.Unknown.class, check("Datasource \"db\": PostgreSQL database \"app\" on \"h\"", "postgresql://u@h/app"));
    }

    @Test
    void percentDecodingIsAPathsNotAForms() {
        assertEquals("a+b c", DatasourceCheck.percentDecoded("a+b%20c"));
        assertEquals("café", DatasourceCheck.percentDecoded("caf%C3%A9"));
        assertEquals("100%", DatasourceCheck.percentDecoded("100%"));
        assertEquals("%zz", DatasourceCheck.percentDecoded("%zz"));
    }
}
