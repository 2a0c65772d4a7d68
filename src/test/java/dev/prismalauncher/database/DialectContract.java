package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Failure.Stage;
import dev.prismalauncher.testing.FreezableProxy;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Sql;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link Dialect} must do against its real server (after golang-migrate's shared driver
 * suite): connect, classify failures, both locks, rows and writes, unmanaged tables, creation. One
 * subclass per database; each test makes and drops its own database.
 */
abstract class DialectContract {
    private final Kind kind;
    private final Sql sql;

    DialectContract(Kind kind) {
        this.kind = kind;
        this.sql = Sql.of(kind);
    }

    static DatabaseUrl url(String url) {
        return DatabaseUrl.parse("DATABASE_URL", url);
    }

    static Database open(String url, Stop stop) {
        DatabaseUrl parsed = url(url);
        return Database.open(parsed, Dialect.of(parsed), stop).orElseThrow();
    }

    long sessionId(Connection connection) throws SQLException {
        return Query.read(connection, sql.sessionId(), r -> r.next() ? r.getLong(1) : -1);
    }

    /** The failure a statement meets on this connection, as the dialect reads it. */
    static Failure failureOf(Dialect dialect, Connection connection, String statement) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (Statement s = connection.createStatement()) {
                s.execute(statement);
            }
        });
        return dialect.classify(e, Stage.SESSION);
    }

    static Failure failureToConnect(String url) {
        Dialect dialect = Dialect.of(url(url));
        SQLException e = assertThrows(SQLException.class, () -> dialect.connect(url(url)).close());
        return dialect.classify(e, Stage.CONNECTING);
    }

    // --- connect ---

    @Test
    void connectsToTheDatabaseTheUrlNames() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            assertEquals(Provider.valueOf(kind.name()), session.dialect().provider());
            assertEquals(db.name(), Query.read(session.connection(), sql.currentDatabase(), r -> r.next() ? r.getString(1) : null));
        }
    }

    @Test
    void anotherSessionIsIndependentAndHeedsTheSameStop() throws Exception {
        RecordingStop recording = new RecordingStop();
        try (TestDatabase db = TestDatabase.create(kind); Database first = open(db.url(), recording.stop)) {
            try (Database second = first.phase("auto evidence").another()) {
                assertNotEquals(sessionId(first.connection()), sessionId(second.connection()));
                assertEquals(List.of(first, second), recording.registered);
                assertTrue(first.dialect().prismaLock().tryTake(first.connection()));
                assertFalse(second.dialect().prismaLock().tryTake(second.connection()), "its own session, not this one's");
            }
            assertEquals(1, recording.forgotten.size(), "closed: nothing left to close on stop");
        }
    }

    // --- classifying failures ---

    @Test
    void aMissingDatabaseIsNotAnError() {
        try (TestDatabase db = TestDatabase.reserve(kind)) {
            assertEquals(Failure.MISSING_DATABASE, failureToConnect(db.url()));
            assertEquals(Optional.empty(), Database.open(url(db.url()), Dialect.of(url(db.url())), Stop.NONE));
        }
    }

    @Test
    void aMissingTableReadsAsNoRows() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            Dialect dialect = session.dialect();
            assertEquals(Failure.MISSING_TABLE, failureOf(dialect, session.connection(), "SELECT * FROM " + dialect.migrationTable().table()));
            assertEquals(List.of(), session.migrations().rows());
        }
    }

    @Test
    void aRefusedLoginIsNotWaitedFor() {
        try (TestDatabase db = TestDatabase.create(kind)) {
            String refused = sql.refusedLogin(db.url());
            assertNotEquals(Failure.TRANSIENT, failureToConnect(refused));
            long start = System.nanoTime();
            LauncherException e = assertThrows(LauncherException.class,
                    () -> Database.connect(url(refused), Dialect.of(url(refused)), Stop.NONE, Duration.ofSeconds(30)));
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            assertTrue(e.getMessage().contains("check the user and password in DATABASE_URL"), e.getMessage());
            assertFalse(e.getMessage().contains(TestDatabase.PASSWORD), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "not retried");
        }
    }

    @Test
    void aRefusedPortIsWaitedForWithTheLaunchersSleep() {
        String refused = sql.scheme() + "://u:" + TestDatabase.PASSWORD_ENCODED + "@127.0.0.1:1/db?connect_timeout=2";
        assertEquals(Failure.TRANSIENT, failureToConnect(refused));
        RecordingStop recording = new RecordingStop();
        LauncherException e = assertThrows(LauncherException.class,
                () -> Database.connect(url(refused), Dialect.of(url(refused)), recording.stop, Duration.ofSeconds(1)));
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertTrue(e.getMessage().contains("gave up after 1 s"), e.getMessage());
        assertFalse(recording.sleeps.isEmpty(), "the backoff sleeps the stop handle's sleep");
        assertTrue(recording.sleeps.stream().mapToLong(Long::longValue).sum() <= 1000, "within the wait: " + recording.sleeps);
        assertEquals(List.of(), recording.registered, "no session, nothing to close");
    }

    @Test
    void aKilledSessionHasEnded() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            kill(db, sessionId(session.connection()));
            assertEquals(Failure.SESSION_ENDED, failureOf(session.dialect(), session.connection(), "SELECT 1"));
        }
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            kill(db, sessionId(session.connection()));
            LauncherException e = assertThrows(LauncherException.class, () -> session.phase("verify").rows());
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            assertTrue(e.getMessage().contains("database stopped answering during verify"), e.getMessage());
        }
    }

    private void kill(TestDatabase db, long id) throws SQLException {
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            s.execute(sql.kill(id));
        }
    }

    /** A silent network (a proxy that stops relaying): no reply within socket_timeout, which is not a session the server ended. */
    @Test
    void noReplyWithinTheSocketTimeoutIsNoReply() throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); FreezableProxy proxy = new FreezableProxy(db.host(), db.port());
                Database session = open(db.urlVia(proxy.port()) + "?socket_timeout=1", Stop.NONE)) {
            proxy.freeze();
            assertEquals(Failure.NO_REPLY, failureOf(session.dialect(), session.connection(), "SELECT 1"));
        }
    }

    @Test
    void aSessionEndedWhileWaitingForALockIsExit3() throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Connection holder = db.connect(); Statement s = holder.createStatement();
                Database session = open(db.url(), Stop.NONE)) {
            s.execute(sql.holdLauncherLock());
            long id = sessionId(session.connection()); // before the wait: a connection serves one thread at a time
            CompletableFuture<Object> waiting = CompletableFuture.supplyAsync(() -> session.withLauncherLock(Duration.ofSeconds(60), () -> "never"));
            Thread.sleep(500);
            kill(db, id);
            Throwable e = assertThrows(Exception.class, () -> waiting.get(30, TimeUnit.SECONDS)).getCause();
            assertEquals(ExitCode.UNREACHABLE, ((LauncherException) e).exitCode(), e.toString());
            assertTrue(e.getMessage().contains("lost the connection") && e.getMessage().contains("while waiting for the launcher lock"),
                    e.getMessage());
        }
    }

    @Test
    void creatingADatabaseThatExistsIsAlreadyExists() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            String create = session.dialect().creation(session.url()).createDatabase();
            assertEquals(Failure.ALREADY_EXISTS, failureOf(session.dialect(), session.connection(), create));
            assertFalse(DatabaseCreation.create(session.url(), session.dialect()), "another replica created it");
        }
    }

    // --- locks ---

    /** The two locks, each with the SQL by which Prisma (or another launcher) takes the same lock. */
    enum Which {
        LAUNCHER(Dialect::launcherLock, Sql::tryLauncherLock),
        PRISMA(Dialect::prismaLock, Sql::tryPrismaLock);

        final Function<Dialect, Lock> lock;
        final Function<Sql, String> theirs;

        Which(Function<Dialect, Lock> lock, Function<Sql, String> theirs) {
            this.lock = lock;
            this.theirs = theirs;
        }
    }

    @ParameterizedTest
    @EnumSource(Which.class)
    void aLockIsTakenRefusedWhileHeldNamesItsHolderAndGoesWithTheSession(Which which) throws Exception {
        try (TestDatabase db = TestDatabase.create(kind); Database a = open(db.url(), Stop.NONE); Database b = open(db.url(), Stop.NONE)) {
            Lock lock = which.lock.apply(a.dialect());
            String aId = String.valueOf(sessionId(a.connection()));
            assertTrue(takenWithin(lock, a.connection()));
            assertFalse(lock.tryTake(b.connection()), "held by another session");
            assertFalse(taken(db, which.theirs.apply(sql)), "the same lock as Prisma's (or another launcher's)");
            String holder = lock.holder(b.connection());
            assertTrue(holder != null && holder.contains(aId), holder);
            Which other = which == Which.LAUNCHER ? Which.PRISMA : Which.LAUNCHER;
            String otherHolder = other.lock.apply(b.dialect()).holder(b.connection());
            assertFalse(otherHolder != null && otherHolder.contains(aId), "the other lock is another lock: " + otherHolder);
            lock.release(a.connection());
            assertTrue(takenWithin(lock, b.connection()), "released");
            lock.release(b.connection());
            assertTrue(takenWithin(lock, a.connection()));
            a.close();
            assertTrue(takenWithin(lock, b.connection()), "released when its session closed");
        }
    }

    /**
     * Takes the lock, trying for a while: the server ends a closed session's backend a moment later,
     * and MySQL's GET_LOCK names are server-wide, so Prisma's may be held briefly by another test.
     */
    private static boolean takenWithin(Lock lock, Connection connection) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!lock.tryTake(connection)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static boolean taken(TestDatabase db, String tryLock) throws SQLException {
        try (Connection c = db.connect()) {
            return Query.read(c, tryLock, r -> r.next() && r.getBoolean(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Which.class)
    void aLockHeldElsewhereIsWaitedForThenExit7NamingTheHolder(Which which) throws Exception {
        RecordingStop recording = new RecordingStop();
        try (TestDatabase db = TestDatabase.create(kind); Database holder = open(db.url(), Stop.NONE); Database session = open(db.url(), recording.stop)) {
            assertTrue(takenWithin(which.lock.apply(holder.dialect()), holder.connection()));
            LauncherException e = assertThrows(LauncherException.class, () -> hold(session, which, Duration.ofMillis(700)));
            assertEquals(ExitCode.LOCK_TIMEOUT, e.exitCode());
            assertTrue(e.getMessage().contains(String.valueOf(sessionId(holder.connection()))), e.getMessage());
            assertFalse(recording.sleeps.isEmpty(), "polls sleep the stop handle's sleep");
            holder.close();
            assertEquals("done", hold(session, which, Duration.ofSeconds(60)));
            try (Database other = open(db.url(), Stop.NONE)) {
                String after = which.lock.apply(other.dialect()).holder(other.connection());
                assertFalse(after != null && after.contains(String.valueOf(sessionId(session.connection()))), "released after the work: " + after);
            }
        }
    }

    private static String hold(Database session, Which which, Duration timeout) {
        return which == Which.LAUNCHER ? session.withLauncherLock(timeout, () -> "done") : session.withPrismaLock(timeout, () -> "done");
    }

    /** GET_LOCK names are server-wide on MySQL: the launcher's lock is still one per database. */
    @Test
    void theLaunchersLockIsOnePerDatabase() throws Exception {
        try (TestDatabase one = TestDatabase.create(kind); TestDatabase two = TestDatabase.create(kind);
                Database a = open(one.url(), Stop.NONE); Database b = open(two.url(), Stop.NONE)) {
            assertTrue(a.dialect().launcherLock().tryTake(a.connection()));
            assertTrue(b.dialect().launcherLock().tryTake(b.connection()), "not blocked by the other database's");
        }
    }

    // --- _prisma_migrations ---

    @Test
    void rowsAndWritesRoundTripInOneTransaction() throws SQLException {
        Instant at = Instant.parse("2025-03-04T05:06:07.123Z"); // DATETIME(3) keeps milliseconds
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            db.execute(PrismaTable.ddl(kind, null),
                    "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at) VALUES ('f1', 'c', 'm_failed', REPEAT('x', 20000), "
                            + sql.now() + ")");
            MigrationTable table = session.migrations();
            assertEquals(MigrationTable.LOGS_READ, table.rows().getFirst().logs().length(), "a failed row's logs: their head only");
            table.write(List.of(new RowChange.MarkRolledBack("f1", "m_failed", at), new RowChange.InsertApplied("a1", "m_failed", "c2", at)));
            List<MigrationRow> rows = table.rows();
            assertEquals(2, rows.size());
            MigrationRow marked = rows.stream().filter(r -> r.id().equals("f1")).findFirst().orElseThrow();
            assertEquals(at, marked.rolledBackAt());
            assertNull(marked.logs(), "no longer failed: its logs are not read");
            MigrationRow applied = rows.stream().filter(r -> r.id().equals("a1")).findFirst().orElseThrow();
            assertEquals(List.of("a1", "m_failed", "c2", "", "0"), db.query("SELECT id, migration_name, checksum, logs, applied_steps_count"
                    + " FROM _prisma_migrations WHERE id = 'a1'").getFirst());
            assertEquals(at, applied.startedAt());
            assertEquals(at, applied.finishedAt());
            assertTrue(applied.isApplied());

            assertThrows(SQLException.class, () -> table.write(List.of(new RowChange.InsertApplied("a2", "m2", "c", at),
                    new RowChange.MarkRolledBack("no-such-id", "m3", at))));
            assertEquals(2, table.rows().size(), "a change that cannot apply rolls the whole batch back");
        }
    }

    @Test
    void unmanagedTablesAreThoseOfADatabaseWithoutPrismasTable() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE)) {
            assertTrue(session.unmanagedTables().isEmpty(), "an empty database");
            for (String name : List.of("golf", "alpha", "foxtrot", "charlie", "echo", "bravo", "delta")) {
                db.execute("CREATE TABLE " + sql.quote(name) + " (id INT)");
            }
            db.execute("CREATE VIEW " + sql.quote("a_view") + " AS SELECT 1 AS one");
            UnmanagedTables found = session.unmanagedTables();
            assertEquals(7, found.count(), "base tables only");
            assertEquals(List.of("alpha", "bravo", "charlie", "delta", "echo"), found.first());
            db.execute(PrismaTable.ddl(kind, null));
            assertTrue(session.unmanagedTables().isEmpty(), "managed by Prisma");
        }
    }

    // --- what the JDBC engine writes and runs (DEPLOY_ENGINE=jdbc) ---

    /** Prisma's DDL (the same columns as a table made by the tests' copy of it), then the started, finished, failed and abandoned rows. */
    @Test
    void theEnginesTableAndRowsAreThoseOfPrismasPersistence() throws SQLException {
        Instant started = Instant.parse("2025-03-04T05:06:07.123Z");
        Instant finished = Instant.parse("2025-03-04T05:06:08.456Z");
        try (TestDatabase db = TestDatabase.create(kind); TestDatabase reference = TestDatabase.create(kind);
                Database session = open(db.url(), Stop.NONE); Scripts scripts = session.scripts()) {
            MigrationTable table = scripts.migrations();
            assertFalse(table.exists());
            table.create();
            assertTrue(table.exists());
            reference.execute(PrismaTable.ddl(kind, null));
            String columns = "SELECT column_name, data_type, is_nullable, column_default, character_maximum_length FROM information_schema.columns"
                    + " WHERE table_name = '_prisma_migrations' AND table_schema = " + (kind == Kind.POSTGRESQL ? "'public'" : "DATABASE()")
                    + " ORDER BY ordinal_position";
            assertEquals(reference.query(columns), db.query(columns));

            table.started("s1", "m_ok", "c1", started);
            table.finished("s1", finished);
            table.started("s2", "m_failed", "c2", started);
            table.failed("s2", "the logs");
            table.started("s3", "m_abandoned", "c3", started);
            table.abandoned("s3");
            table.abandoned("s1"); // finished: never removed
            assertEquals(List.of(List.of("s1", "c1", "m_ok", "NULL", "1"), List.of("s2", "c2", "m_failed", "the logs", "0")),
                    db.query("SELECT id, checksum, migration_name, logs, applied_steps_count FROM _prisma_migrations ORDER BY id"));
            List<MigrationRow> rows = table.rows();
            assertEquals(started, rows.getFirst().startedAt());
            assertEquals(finished, rows.stream().filter(r -> r.id().equals("s1")).findFirst().orElseThrow().finishedAt());
            assertTrue(rows.stream().filter(r -> r.id().equals("s2")).findFirst().orElseThrow().isFailed());
        }
    }

    /** The whole script in one query; a failure says how many statements completed before it, and what the database kept. */
    @Test
    void aScriptRunsWholeAndNamesHowFarItGot() throws SQLException {
        try (TestDatabase db = TestDatabase.create(kind); Database session = open(db.url(), Stop.NONE); Scripts scripts = session.scripts()) {
            assertNull(scripts.run("CREATE TABLE " + sql.quote("ok") + " (id INT);\nINSERT INTO " + sql.quote("ok") + " VALUES (1);\n"));
            ScriptError e = scripts.run("CREATE TABLE " + sql.quote("a") + " (id INT);\nINSERT INTO " + sql.quote("nowhere")
                    + " VALUES (1);\nCREATE TABLE " + sql.quote("b") + " (id INT);\n");
            assertEquals(ScriptError.Kind.REFUSED, e.kind());
            assertEquals(1, e.completed());
            assertEquals(kind == Kind.POSTGRESQL ? "42P01" : "1146", e.code());
            // PostgreSQL ran it as one transaction and rolled it back; MySQL kept the table it created before the error
            assertEquals(kind == Kind.POSTGRESQL ? 0 : 1, db.query(tableExists("a")).size());
            assertEquals(0, db.query(tableExists("b")).size());
            assertNull(scripts.run("SELECT 1;"), "the session is usable after a failure");
        }
    }

    private String tableExists(String name) {
        return "SELECT 1 FROM information_schema.tables WHERE table_name = '" + name + "' AND table_schema = "
                + (kind == Kind.POSTGRESQL ? "'public'" : "DATABASE()");
    }

    // --- creation ---

    @Test
    void aMissingDatabaseIsCreatedOnceAsPrismaCreatesIt() throws SQLException {
        try (TestDatabase db = TestDatabase.reserve(kind)) {
            DatabaseUrl url = url(db.url());
            assertTrue(DatabaseCreation.create(url, Dialect.of(url)));
            assertTrue(db.exists());
            assertFalse(DatabaseCreation.create(url, Dialect.of(url)), "created already: a lost race is fine");
            try (Database session = open(db.url(), Stop.NONE)) {
                assertEquals(List.of(), session.rows());
            }
        }
    }

    /** A stop handle that records what it was asked to do, sleeping plainly. */
    static final class RecordingStop {
        final List<AutoCloseable> registered = new CopyOnWriteArrayList<>();
        final List<AutoCloseable> forgotten = new CopyOnWriteArrayList<>();
        final List<Long> sleeps = new CopyOnWriteArrayList<>();
        final Stop stop = Stop.of(registered::add, forgotten::add, millis -> {
            sleeps.add(millis);
            Stop.NONE.sleep(millis);
        });
    }
}
