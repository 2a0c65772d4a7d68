package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.Database;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.database.Stop;
import dev.prismalauncher.testing.PostgresServers;
import dev.prismalauncher.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The trial on real PostgreSQL servers (the local one, 13 and 17): where it runs, its one bound,
 * what it refuses, and that nothing of it stays: pg_stat_activity and pg_locks are read after
 * each case. Figures (how long after the bound a statement was gone) are printed to the test output.
 */
class TrialTest {
    private static final Trial.Bounds BOUNDS = new Trial.Bounds(Duration.ofSeconds(2), Duration.ofSeconds(10));

    static List<PostgresServers.Pg> postgres() {
        return PostgresServers.all();
    }

    /** A trial on the test database (the session it is made from only lends its URL, dialect and stop handle: no signals here). */
    static Trial trial(TestDatabase db, String query, Trial.Bounds bounds) {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", db.url(query));
        try (Database session = Database.open(url, Dialect.of(url), Stop.NONE).orElseThrow()) {
            return Trial.of(session, bounds, "the auto trial");
        }
    }

    private static Trial.Outcome run(Trial trial, String... scripts) {
        List<Trial.Script> list = new java.util.ArrayList<>();
        for (int i = 0; i < scripts.length; i++) {
            list.add(Trial.Script.of("m" + (i + 1), scripts[i].getBytes(StandardCharsets.UTF_8)));
        }
        return trial.run(list);
    }

    /** Sessions of the test database other than the test's own admin queries: what a trial could have left. */
    private static List<List<String>> leftovers(TestDatabase db) {
        return db.query("SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND backend_type = 'client backend' AND application_name LIKE '%(trial)'");
    }

    private static List<List<String>> locks(TestDatabase db) {
        return db.query("SELECT l.locktype, l.mode, l.pid FROM pg_locks l WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND l.pid <> pg_backend_pid() AND l.locktype IN ('relation', 'advisory', 'object')");
    }

    private static void assertNothingLeft(TestDatabase db) throws InterruptedException {
        // a closed session's backend can take a moment to leave pg_stat_activity
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((!leftovers(db).isEmpty() || !locks(db).isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(List.of(), leftovers(db), "no trial session left");
        assertEquals(List.of(), locks(db), "no lock left");
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void itRunsInTheSchemaOfTheUrlAsPrismaDoes(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            // public."User" has a row: a NOT NULL column cannot be added there; tenant."User" is empty: it can
            db.execute("CREATE TABLE \"User\" (\"id\" INT)", "INSERT INTO \"User\" VALUES (1)",
                    "CREATE SCHEMA tenant", "CREATE TABLE tenant.\"User\" (\"id\" INT)");
            String script = "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;\n";
            assertInstanceOf(Trial.Outcome.Passed.class, run(trial(db, "schema=tenant", BOUNDS), script), "runs in tenant");
            Trial.Outcome inPublic = run(trial(db, "", BOUNDS), script);
            assertInstanceOf(Trial.Outcome.Failed.class, inPublic, "without ?schema=: the server's search_path, public");
            assertEquals("23502", ((Trial.Outcome.Failed) inPublic).sqlState());
            assertNothingLeft(db);
            assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'email'"));
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void aScriptCannotLiftTheBoundsWithItsOwnSettings(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg); Connection holder = db.connect(); Statement h = holder.createStatement()) {
            db.execute("CREATE TABLE \"User\" (\"id\" INT)");
            Trial.Bounds bounds = new Trial.Bounds(Duration.ofMillis(500), Duration.ofMillis(1500));
            long start = System.nanoTime();
            Trial.Outcome sleep = run(trial(db, "", bounds), "CREATE TABLE \"T\" (\"id\" INT);\nSET statement_timeout = 0;\nSELECT pg_sleep(30);\n");
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println(pg + ": SET statement_timeout = 0 then pg_sleep(30), bound 1500 ms: trial ended after " + tookMs + " ms");
            assertInstanceOf(Trial.Outcome.Stopped.class, sleep, sleep.toString());
            assertTrue(tookMs < 1500 + 2000, "ended " + tookMs + " ms after its start, bound 1500 ms");

            holder.setAutoCommit(false);
            h.execute("LOCK TABLE \"User\" IN ACCESS SHARE MODE"); // an app's long read: ALTER TABLE must wait for it
            start = System.nanoTime();
            Trial.Outcome lock = run(trial(db, "", new Trial.Bounds(Duration.ofMillis(300), Duration.ofSeconds(20))),
                    "SET lock_timeout = 0;\nALTER TABLE \"User\" ADD COLUMN \"x\" INT;\n");
            tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println(pg + ": SET lock_timeout = 0 then a blocked ALTER TABLE, lock bound 300 ms: trial ended after " + tookMs + " ms");
            assertInstanceOf(Trial.Outcome.Stopped.class, lock, lock.toString());
            assertEquals("55P03", ((Trial.Outcome.Stopped) lock).sqlState());
            assertTrue(tookMs < 3000, "the lock bound held: " + tookMs + " ms");
            holder.rollback();
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void oneBoundForTheWholeTrialNotOnePerStatement(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" INT)", "INSERT INTO \"User\" VALUES (1)");
            // each statement alone is under the bound; together they are not
            String script = "ALTER TABLE \"User\" ADD COLUMN \"x\" INT;\n" + "SELECT pg_sleep(0.6);\n".repeat(6);
            CompletableFuture<Trial.Outcome> outcome = CompletableFuture.supplyAsync(
                    () -> run(trial(db, "", new Trial.Bounds(Duration.ofSeconds(2), Duration.ofSeconds(1))), script));
            long start = System.nanoTime();
            // an app's query on the table the trial altered waits for the trial's lock
            while (db.query("SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'User' AND l.mode = 'AccessExclusiveLock'").isEmpty()) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the trial never took its lock");
                Thread.sleep(5);
            }
            long waitStart = System.nanoTime();
            db.query("SELECT COUNT(*) FROM \"User\"");
            long appWaitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - waitStart);
            Trial.Outcome o = outcome.get(30, TimeUnit.SECONDS);
            System.out.println(pg + ": 6 x pg_sleep(0.6) under a 1 s bound: an app query waited " + appWaitedMs + " ms for the trial's lock; " + o);
            assertInstanceOf(Trial.Outcome.Stopped.class, o);
            assertTrue(appWaitedMs < 1000 + 1500, "the app waited " + appWaitedMs + " ms, bound 1000 ms");
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void whenTheBoundPassesTheStatementIsCancelledOnTheServer(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" INT)");
            long start = System.nanoTime();
            CompletableFuture<Trial.Outcome> outcome = CompletableFuture.supplyAsync(
                    () -> run(trial(db, "", new Trial.Bounds(Duration.ofSeconds(2), Duration.ofMillis(1000))),
                            "ALTER TABLE \"User\" ADD COLUMN \"x\" INT;\nSELECT pg_sleep(30);\n"));
            long goneAfterMs = -1;
            while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(20)) {
                boolean sleeping = !db.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
                        + " AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(30)%'").isEmpty();
                if (!sleeping && System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(1000)) {
                    goneAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) - 1000;
                    break;
                }
                Thread.sleep(5);
            }
            Trial.Outcome o = outcome.get(30, TimeUnit.SECONDS);
            System.out.println(pg + ": pg_sleep(30) under a 1000 ms bound: the statement was gone " + goneAfterMs + " ms after the bound; " + o);
            assertInstanceOf(Trial.Outcome.Stopped.class, o);
            assertTrue(goneAfterMs >= 0 && goneAfterMs < 1000, "gone " + goneAfterMs + " ms after the bound");
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void whatARollbackCannotUndoIsNeverRun(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY, \"name\" TEXT)", "INSERT INTO \"User\" (\"name\") VALUES ('a')",
                    "CREATE TABLE \"Audit\" (\"what\" TEXT)", "CREATE EXTENSION dblink",
                    "CREATE TABLE \"Watched\" (\"id\" INT)", "CREATE FUNCTION watch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
                    "CREATE TRIGGER w BEFORE INSERT ON \"Watched\" FOR EACH ROW EXECUTE FUNCTION watch()");
            String dblink = "SELECT dblink_exec('host=" + db.host() + " port=" + db.port() + " dbname=" + db.name()
                    + " user=postgres', 'INSERT INTO \"Audit\" VALUES (''leaked'')')";
            List<String> refused = List.of(
                    "SELECT setval('\"User_id_seq\"', 1000)",
                    "SELECT nextval('\"User_id_seq\"')",
                    "SELECT pg_catalog.setval('\"User_id_seq\"', 1000)",
                    dblink,
                    "SELECT pg_advisory_lock(72707369)",
                    "SELECT pg_try_advisory_lock(1)",
                    "SELECT pg_advisory_xact_lock(1)",
                    "NOTIFY chan",
                    "SELECT pg_notify('chan', 'x')",
                    "LISTEN chan",
                    "COPY \"Audit\" TO PROGRAM 'touch /tmp/prisma-launcher-trial-copy'",
                    "COPY \"Audit\" FROM STDIN",
                    "DO $$ BEGIN PERFORM setval('\"User_id_seq\"', 1000); END $$",
                    "SELECT my_function()",
                    "CREATE INDEX CONCURRENTLY \"i\" ON \"User\"(\"name\")",
                    "VACUUM \"User\"",
                    "ANALYZE \"User\"",
                    "INSERT INTO \"User\" (\"name\") VALUES ('b')",
                    "INSERT INTO \"Watched\" VALUES (1)",
                    "ALTER TABLE \"User\" ALTER COLUMN \"id\" SET DEFAULT nextval('\"User_id_seq\"')",
                    "BEGIN",
                    "COMMIT",
                    "SAVEPOINT s",
                    "CREATE DATABASE other",
                    "ALTER SYSTEM SET work_mem = '8MB'",
                    "SET standard_conforming_strings = off");
            for (String statement : refused) {
                Trial.Outcome o = run(trial(db, "", BOUNDS), "CREATE TABLE \"New\" (\"id\" INT);\n" + statement + ";\n");
                assertInstanceOf(Trial.Outcome.Refused.class, o, statement + " -> " + o);
                Trial.Outcome.Refused r = (Trial.Outcome.Refused) o;
                assertEquals(2, r.at().statement(), statement + " -> " + o);
                System.out.println(pg + ": cannot trial `" + statement + "`: " + r.why());
            }
            assertEquals(List.of(List.of("1")), db.query("SELECT last_value FROM \"User_id_seq\""), "the sequence was not touched");
            assertEquals(List.of(), db.query("SELECT * FROM \"Audit\""), "nothing went through dblink");
            assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'New'"), "nothing was run");
            assertNothingLeft(db);

            // what it does run: a table the script creates, its serial advanced and all, goes with the rollback
            Trial.Outcome ok = run(trial(db, "", BOUNDS), "CREATE TABLE \"Fresh\" (\"id\" SERIAL PRIMARY KEY, \"v\" TEXT DEFAULT gen_random_uuid()::text);\n"
                    + "INSERT INTO \"Fresh\" (\"v\") VALUES (lower('A')), (coalesce(NULL, 'b'));\n"
                    + "UPDATE \"User\" SET \"name\" = upper(\"name\");\n"
                    + "CREATE INDEX \"User_name_idx\" ON \"User\" USING btree (lower(\"name\"));\n"
                    + "SELECT count(*) FROM \"User\" WHERE \"name\" IN ('a', 'b');\n");
            assertInstanceOf(Trial.Outcome.Passed.class, ok, ok.toString());
            assertEquals(List.of(List.of("a")), db.query("SELECT \"name\" FROM \"User\""));
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void eachStatementReachesTheServerAsOneStatement(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            // PostgreSQL reads x€$a$ as one identifier (non-ASCII is an identifier character): the COMMIT is a statement of its own
            Trial.Outcome euro = run(trial(db, "", BOUNDS), "CREATE TABLE \"Leak\" (\"id\" INT);\nSELECT 1 AS x€$a$;\nCOMMIT;\nSELECT 2 AS y€$a$;\n");
            assertInstanceOf(Trial.Outcome.Refused.class, euro, euro.toString());
            assertEquals(3, ((Trial.Outcome.Refused) euro).at().statement());
            // 1$a$ is a number then a dollar quote for PostgreSQL, not for the driver, which would split at the ';' inside and run the COMMIT
            Trial.Outcome digits = run(trial(db, "", BOUNDS), "CREATE TABLE \"Leak\" (\"id\" INT);\nSELECT 1$a$;\nCOMMIT;\n$a$;\n");
            assertInstanceOf(Trial.Outcome.Refused.class, digits, digits.toString());
            assertTrue(((Trial.Outcome.Refused) digits).why().contains("driver"), digits.toString());
            assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Leak'"), "nothing committed");
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void aLostSessionIsExit3NamingTheTrial(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" INT)");
            CompletableFuture<Trial.Outcome> outcome = CompletableFuture.supplyAsync(
                    () -> run(trial(db, "", BOUNDS), "ALTER TABLE \"User\" ADD COLUMN \"x\" INT;\nSELECT pg_sleep(30);\n"));
            long start = System.nanoTime();
            while (db.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(30)%' AND state = 'active'").isEmpty()) {
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "the trial never reached its statement");
                Thread.sleep(5);
            }
            Exception e = assertThrows(Exception.class, () -> outcome.get(30, TimeUnit.SECONDS));
            LauncherException lost = assertInstanceOf(LauncherException.class, e.getCause());
            assertEquals(3, lost.exitCode());
            assertTrue(lost.getMessage().contains("during the auto trial at statement 2 of m1 (SELECT pg_sleep(30);)"), lost.getMessage());
            assertNothingLeft(db);
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void aDatabaseWhereTheTrialCannotBeSoundIsRefusedWhole(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE FUNCTION audit_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN END $$",
                    "CREATE EVENT TRIGGER audit ON ddl_command_end EXECUTE FUNCTION audit_ddl()");
            Trial.Outcome events = run(trial(db, "", BOUNDS), "CREATE TABLE \"T\" (\"id\" INT);\n");
            assertInstanceOf(Trial.Outcome.Refused.class, events);
            assertTrue(((Trial.Outcome.Refused) events).why().contains("event triggers (audit)"), events.toString());
            db.execute("DROP EVENT TRIGGER audit", "ALTER DATABASE " + db.name() + " SET standard_conforming_strings = off");
            Trial.Outcome strings = run(trial(db, "", BOUNDS), "CREATE TABLE \"T\" (\"id\" INT);\n");
            assertTrue(((Trial.Outcome.Refused) strings).why().contains("standard_conforming_strings off"), strings.toString());
            assertNothingLeft(db);
        }
    }

    /** Memory bounded by a constant: a statement longer than the trial holds is not trialled, said so; nothing is sent. */
    @org.junit.jupiter.api.Test
    void aStatementLongerThanTheTrialHoldsIsNotTrialled() throws Exception {
        try (TestDatabase db = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            String huge = "INSERT INTO \"T\" VALUES ('" + "x".repeat(SqlLexer.MAX_TEXT) + "');\n";
            Trial.Outcome o = run(trial(db, "", BOUNDS), "CREATE TABLE \"T\" (\"v\" TEXT);\n" + huge);
            Trial.Outcome.Refused r = assertInstanceOf(Trial.Outcome.Refused.class, o);
            assertEquals(2, r.at().statement());
            assertTrue(r.why().contains("more than the trial holds in memory"), r.why());
            assertEquals(List.of(), db.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE '%(trial)'"),
                    "refused before connecting");
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void severalScriptsRunInOrderInOneTrial(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" INT)", "INSERT INTO \"User\" VALUES (1)");
            Trial trial = trial(db, "", BOUNDS);
            Trial.Outcome both = run(trial, "CREATE TABLE \"Tag\" (\"id\" INT);\n", "ALTER TABLE \"Tag\" ADD COLUMN \"name\" TEXT NOT NULL;\n");
            assertEquals(new Trial.Outcome.Passed(2), both, "the second sees what the first made");
            Trial.Outcome second = run(trial, "CREATE TABLE \"Tag\" (\"id\" INT);\n", "SELECT 1;\nALTER TABLE \"User\" ADD COLUMN \"name\" TEXT NOT NULL;\n");
            Trial.Outcome.Failed f = assertInstanceOf(Trial.Outcome.Failed.class, second);
            assertEquals(new Trial.At("m2", 2, "ALTER TABLE \"User\" ADD COLUMN \"name\" TEXT NOT NULL;"), f.at());
            assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Tag'"));
            assertNothingLeft(db);
        }
    }
}
