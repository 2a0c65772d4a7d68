package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.database.Dialect;
import dev.prismalauncher.report.EvidenceReport;
import dev.prismalauncher.testing.PostgresServers;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every statement form the README lists, on the real server of each database: absent before the
 * statement runs, present after; plus the NOT NULL rule and the decisions on whole scripts.
 * PostgreSQL cases run on the local server and on the oldest and newest majors (13, 17).
 */
class EvidenceTest {
    private static final Trial.Bounds BOUNDS = new Trial.Bounds(Duration.ofSeconds(2), Duration.ofSeconds(10));

    static List<PostgresServers.Pg> postgres() {
        return PostgresServers.all();
    }

    static Trial trial(TestDatabase db, Trial.Bounds bounds) {
        return TrialTest.trial(db, "", bounds);
    }

    private static final List<String> PG_BASE = List.of(
            "CREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY, \"name\" TEXT, \"bio\" TEXT NOT NULL DEFAULT '', \"n\" INTEGER,"
                    + " \"m\" INTEGER DEFAULT 1, \"t\" TEXT, \"a\" INTEGER, \"r1\" INTEGER, \"x\" INTEGER)",
            "INSERT INTO \"User\" (\"name\", \"n\") VALUES ('Alice', 1), ('Bob', 2)",
            "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL, \"authorId\" INTEGER)",
            "CREATE TABLE \"Tmp\" (\"id\" INTEGER, CONSTRAINT \"Tmp_c\" CHECK (\"id\" > 0))",
            "CREATE INDEX \"old_idx\" ON \"Post\"(\"id\")",
            "CREATE INDEX \"ren_idx\" ON \"Post\"(\"authorId\")",
            "CREATE TABLE \"Gone\" (\"id\" INTEGER)",
            "CREATE TABLE \"Old\" (\"id\" INTEGER)",
            "CREATE TYPE \"Role\" AS ENUM ('USER')");

    private static final List<String> PG_FORMS = List.of(
            "CREATE TABLE \"Tag\" (\"id\" SERIAL NOT NULL, CONSTRAINT \"Tag_pkey\" PRIMARY KEY (\"id\"))",
            "ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT 'x'",
            "ALTER TABLE \"User\" DROP COLUMN \"a\"",
            "ALTER TABLE \"User\" ALTER COLUMN \"name\" SET NOT NULL",
            "ALTER TABLE \"User\" ALTER COLUMN \"bio\" DROP NOT NULL",
            "ALTER TABLE \"User\" ALTER COLUMN \"n\" SET DEFAULT 0",
            "ALTER TABLE \"User\" ALTER COLUMN \"m\" DROP DEFAULT",
            "ALTER TABLE \"User\" ALTER COLUMN \"t\" SET DATA TYPE VARCHAR(191)",
            "ALTER TABLE \"User\" RENAME COLUMN \"r1\" TO \"r2\"",
            "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\")",
            "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE",
            "ALTER TABLE \"User\" ADD CONSTRAINT \"User_name_key\" UNIQUE (\"name\")",
            "ALTER TABLE \"User\" ADD CONSTRAINT \"User_n_check\" CHECK (\"n\" >= 0)",
            "ALTER TABLE \"Tmp\" DROP CONSTRAINT \"Tmp_c\"",
            "CREATE UNIQUE INDEX \"User_id_n_key\" ON \"User\"(\"id\", \"n\")",
            "CREATE INDEX \"User_n_idx\" ON \"User\"(\"n\")",
            "DROP INDEX \"old_idx\"",
            "ALTER INDEX \"ren_idx\" RENAME TO \"ren2_idx\"",
            "DROP TABLE \"Gone\"",
            "ALTER TABLE \"Old\" RENAME TO \"New\"",
            "CREATE TYPE \"Mood\" AS ENUM ('SAD', 'HAPPY')",
            "ALTER TYPE \"Role\" ADD VALUE 'ADMIN'",
            "CREATE EXTENSION \"citext\"",
            "CREATE SCHEMA \"extra\"");

    private static final List<String> MY_BASE = List.of(
            "CREATE TABLE `User` (`id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, `name` VARCHAR(191), `a` INTEGER, `r1` INTEGER,"
                    + " `q1` INTEGER, `m` VARCHAR(10)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            "INSERT INTO `User` (`name`, `m`) VALUES ('Alice', 'a'), ('Bob', 'b')",
            "CREATE TABLE `Post` (`id` INTEGER NOT NULL, `authorId` INTEGER, INDEX `old_idx`(`id`), INDEX `ren_idx`(`authorId`))",
            "CREATE TABLE `Gone` (`id` INTEGER)",
            "CREATE TABLE `Old` (`id` INTEGER)");

    private static final List<String> MY_FORMS = List.of(
            "CREATE TABLE `Tag` (`id` INTEGER NOT NULL AUTO_INCREMENT, PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            "ALTER TABLE `User` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22",
            "ALTER TABLE `User` DROP COLUMN `a`",
            "ALTER TABLE `User` MODIFY `m` VARCHAR(20) NOT NULL",
            "ALTER TABLE `User` CHANGE `r1` `r2` INTEGER NULL",
            "ALTER TABLE `User` RENAME COLUMN `q1` TO `q2`",
            "ALTER TABLE `Post` ADD PRIMARY KEY (`id`)",
            "ALTER TABLE `Post` ADD CONSTRAINT `Post_authorId_fkey` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
            "ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`",
            "ALTER TABLE `User` ADD CONSTRAINT `User_chk` CHECK (`sshPort` > 0)",
            "CREATE UNIQUE INDEX `User_name_key` ON `User`(`name`)",
            "ALTER TABLE `User` ADD UNIQUE INDEX `User_m_key`(`m`)",
            "DROP INDEX `old_idx` ON `Post`",
            "ALTER TABLE `Post` RENAME INDEX `ren_idx` TO `ren2_idx`",
            "ALTER TABLE `Post` DROP PRIMARY KEY",
            "DROP TABLE `Gone`",
            "RENAME TABLE `Old` TO `New`",
            "ALTER TABLE `Old2` RENAME TO `New2`");

    @ParameterizedTest
    @MethodSource("postgres")
    void everyPostgresFormIsAbsentBeforeAndPresentAfter(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            eachForm(db, PG_BASE, PG_FORMS);
        }
    }

    @Test
    void everyMySqlFormIsAbsentBeforeAndPresentAfter() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            eachForm(db, append(MY_BASE, "CREATE TABLE `Old2` (`id` INTEGER)"), MY_FORMS);
        }
    }

    private static List<String> append(List<String> list, String more) {
        return java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(more)).toList();
    }

    private static void eachForm(TestDatabase db, List<String> base, List<String> forms) throws Exception {
        Kind kind = db.kind();
        try (Connection admin = db.connect(); Statement s = admin.createStatement()) {
            for (String sql : base) {
                s.execute(sql);
            }
            Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
            try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                Provider provider = dialect.provider();
                for (String form : forms) {
                    List<Ddl> ddl = StatementParser.parse(form, provider);
                    assertFalse(ddl.stream().anyMatch(d -> d instanceof Ddl.Unknown), form + " -> " + ddl);
                    for (Ddl d : ddl) {
                        Evidence.Found before = Evidence.classify(d, catalog);
                        assertEquals(Effect.ABSENT, before.effect(), kind + ", before: " + form + " (" + before.why() + ")");
                    }
                    s.execute(form);
                    for (Ddl d : ddl) {
                        Evidence.Found after = Evidence.classify(d, catalog);
                        assertEquals(Effect.PRESENT, after.effect(), kind + ", after: " + form + " (" + after.why() + ")");
                    }
                }
            }
        }
    }

    /** Issue 18: sshPort VARCHAR(10), or INT NULL, is not the migration's INT NOT NULL DEFAULT 22 (the NULL check it replaced took it once no row held NULL). */
    @Test
    void aColumnOfThatNameWithAnotherShapeIsAConflictOnEitherDatabase() throws Exception {
        for (Kind kind : Kind.values()) {
            String q = kind == Kind.POSTGRESQL ? "\"" : "`";
            try (TestDatabase db = TestDatabase.create(kind)) {
                db.execute("CREATE TABLE " + q + "Server" + q + " (id INTEGER)", "INSERT INTO " + q + "Server" + q + " VALUES (1), (2)");
                Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
                try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                    Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                    Ddl add = StatementParser.parse("ALTER TABLE " + q + "Server" + q + " ADD COLUMN " + q + "sshPort" + q + " INT NOT NULL DEFAULT 22",
                            dialect.provider()).getFirst();
                    assertEquals(Effect.ABSENT, Evidence.classify(add, catalog).effect());
                    db.execute("ALTER TABLE " + q + "Server" + q + " ADD COLUMN " + q + "sshPort" + q + " VARCHAR(10)");
                    assertEquals(Effect.CONFLICT, Evidence.classify(add, catalog).effect(), kind + ": " + Evidence.classify(add, catalog).why());
                    db.execute("ALTER TABLE " + q + "Server" + q + " DROP COLUMN " + q + "sshPort" + q,
                            "ALTER TABLE " + q + "Server" + q + " ADD COLUMN " + q + "sshPort" + q + " INT NULL");
                    Evidence.Found nullable = Evidence.classify(add, catalog);
                    assertEquals(Effect.CONFLICT, nullable.effect(), kind + ": " + nullable.why());
                    assertTrue(nullable.why().contains("expected NOT NULL, found NULL") && nullable.why().contains("default expected 22, found "),
                            nullable.why());
                    db.execute("UPDATE " + q + "Server" + q + " SET " + q + "sshPort" + q + " = 22");
                    assertEquals(Effect.CONFLICT, Evidence.classify(add, catalog).effect(), "no NULL in its rows does not make it NOT NULL");
                    db.execute("ALTER TABLE " + q + "Server" + q + " DROP COLUMN " + q + "sshPort" + q,
                            "ALTER TABLE " + q + "Server" + q + " ADD COLUMN " + q + "sshPort" + q + " INT NOT NULL DEFAULT 2222");
                    assertEquals(Effect.CONFLICT, Evidence.classify(add, catalog).effect(), kind + ": another default");
                    db.execute("ALTER TABLE " + q + "Server" + q + " DROP COLUMN " + q + "sshPort" + q,
                            "ALTER TABLE " + q + "Server" + q + " ADD COLUMN " + q + "sshPort" + q + " INT NOT NULL DEFAULT 22");
                    assertEquals(Effect.PRESENT, Evidence.classify(add, catalog).effect(), kind + ": " + Evidence.classify(add, catalog).why());
                }
            }
        }
    }

    /**
     * Issue 18 on each PostgreSQL major (13, the local one, 17): the right name with another shape is
     * a conflict, and the exact shape present, for the catalog renderings that differ across majors.
     */
    @ParameterizedTest
    @MethodSource("postgres")
    void shapesAreComparedAsEachPostgresMajorRendersThem(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY, \"name\" TEXT, \"n\" INTEGER)",
                    "INSERT INTO \"User\" (\"name\", \"n\") VALUES ('a', 1), ('a', 2)",
                    "CREATE TABLE \"Tag\" (\"legacy\" TEXT)",
                    "CREATE TYPE \"Role\" AS ENUM ('ADMIN', 'USER')",
                    "CREATE INDEX \"User_n_key\" ON \"User\"(\"n\")",
                    "ALTER TABLE \"User\" ADD COLUMN \"status\" TEXT NOT NULL DEFAULT 'ACTIVE'",
                    "CREATE TABLE \"Post\" (\"id\" INTEGER NOT NULL, \"authorId\" INTEGER)",
                    "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") NOT VALID");
            try {
                db.execute("CREATE UNIQUE INDEX CONCURRENTLY \"User_name_key\" ON \"User\"(\"name\")");
            } catch (RuntimeException expected) {
                // duplicates: the index stays, INVALID
            }
            Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
            try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                for (String conflict : List.of(
                        "CREATE TABLE \"Tag\" (\"id\" SERIAL NOT NULL, \"title\" TEXT NOT NULL, CONSTRAINT \"Tag_pkey\" PRIMARY KEY (\"id\"))",
                        "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN')",
                        "CREATE UNIQUE INDEX \"User_n_key\" ON \"User\"(\"n\")",
                        "CREATE UNIQUE INDEX \"User_name_key\" ON \"User\"(\"name\")",
                        "ALTER TABLE \"User\" ADD COLUMN \"status\" TEXT NOT NULL DEFAULT 'active'",
                        "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\")")) {
                    Evidence.Found f = Evidence.classify(StatementParser.parse(conflict, Provider.POSTGRESQL).getFirst(), catalog);
                    assertEquals(Effect.CONFLICT, f.effect(), pg + ": " + conflict + " (" + f.why() + ")");
                }
                for (String present : List.of(
                        "CREATE TYPE \"Role\" AS ENUM ('ADMIN', 'USER')",
                        "CREATE INDEX \"User_n_key\" ON \"User\"(\"n\")",
                        "ALTER TABLE \"User\" ADD COLUMN \"status\" TEXT NOT NULL DEFAULT 'ACTIVE'",
                        "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") NOT VALID",
                        "CREATE TABLE \"Tag\" (\"legacy\" TEXT)")) {
                    Evidence.Found f = Evidence.classify(StatementParser.parse(present, Provider.POSTGRESQL).getFirst(), catalog);
                    assertEquals(Effect.PRESENT, f.effect(), pg + ": " + present + " (" + f.why() + ")");
                }
            }
        }
    }

    /** Issue 18: a session lost during the catalog's questions is exit 3 naming the phase, not "no evidence" (a refusal that hides the outage). */
    @Test
    void aSessionLostDuringTheCatalogQuestionsIsExit3NamingThePhase() throws Exception {
        for (Kind kind : Kind.values()) {
            try (TestDatabase db = TestDatabase.create(kind)) {
                String q = kind == Kind.POSTGRESQL ? "\"" : "`";
                db.execute("CREATE TABLE " + q + "Tag" + q + " (id INTEGER)");
                DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", db.url());
                try (dev.prismalauncher.database.Database session = dev.prismalauncher.database.Database.open(url, Dialect.of(url),
                        dev.prismalauncher.database.Stop.NONE).orElseThrow()) {
                    Catalog catalog = session.phase("auto evidence").catalog(Duration.ofSeconds(10));
                    Ddl create = StatementParser.parse("CREATE TABLE " + q + "Tag" + q + " (id INTEGER)", session.dialect().provider()).getFirst();
                    assertEquals(Effect.PRESENT, Evidence.classify(create, catalog).effect(), "answers while the session lives");
                    if (kind == Kind.POSTGRESQL) {
                        db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name() + "' AND pid <> pg_backend_pid()");
                    } else {
                        for (List<String> id : db.query("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + db.name() + "' AND ID <> CONNECTION_ID()")) {
                            db.execute("KILL " + id.getFirst());
                        }
                    }
                    dev.prismalauncher.LauncherException e = org.junit.jupiter.api.Assertions.assertThrows(dev.prismalauncher.LauncherException.class,
                            () -> Evidence.classify(create, catalog));
                    assertEquals(dev.prismalauncher.ExitCode.UNREACHABLE, e.exitCode(), kind + ": " + e.getMessage());
                    assertTrue(e.getMessage().contains("during auto evidence"), e.getMessage());
                }
            }
        }
    }

    /** verify.sql: one read-only query, in a read-only transaction, on both databases; its answer decides what the catalog cannot show. */
    @Test
    void verifySqlRunsReadOnlyOnBothDatabasesAndDecidesWhatTheCatalogCannotShow() throws Exception {
        for (Kind kind : Kind.values()) {
            String q = kind == Kind.POSTGRESQL ? "\"" : "`";
            try (TestDatabase db = TestDatabase.create(kind)) {
                db.execute("CREATE TABLE " + q + "User" + q + " (id INTEGER, nick VARCHAR(20))", "INSERT INTO " + q + "User" + q + " VALUES (1, 'a'), (2, NULL)");
                Trial trial = TrialTest.trial(db, "", BOUNDS);
                String holds = "SELECT NOT EXISTS (SELECT 1 FROM " + q + "User" + q + " WHERE nick IS NULL)";
                assertEquals(new Trial.Verification(false, "verify.sql returned " + (kind == Kind.POSTGRESQL ? "f" : "0")), trial.verify("m", holds));
                db.execute("UPDATE " + q + "User" + q + " SET nick = 'b' WHERE id = 2");
                assertEquals(new Trial.Verification(true, "verify.sql returned true"), trial.verify("m", "-- all nicks\n" + holds + ";\n"));
                assertFalse(trial.verify("m", "SELECT 1 = 1; SELECT 2 = 2").holds(), "one query only");
                assertTrue(trial.verify("m", "UPDATE " + q + "User" + q + " SET nick = 'x'").why().contains("must be a SELECT"));
                assertTrue(trial.verify("m", "SELECT true, true").why().contains("2 columns"));
                assertTrue(trial.verify("m", "SELECT true FROM " + q + "User" + q).why().contains("more than one row"));
                assertTrue(trial.verify("m", "SELECT true FROM " + q + "User" + q + " WHERE id = 9").why().contains("no row"));
                assertTrue(trial.verify("m", "SELECT nope FROM nowhere").why().startsWith("verify.sql failed: "));
                if (kind == Kind.POSTGRESQL) {
                    assertTrue(trial.verify("m", "WITH w AS (UPDATE \"User\" SET nick = 'x' RETURNING 1) SELECT true FROM w LIMIT 1").why()
                            .startsWith("verify.sql is not run: "), "a WITH that writes is not run");
                    Trial.Verification lock = trial.verify("m", "SELECT true FROM \"User\" WHERE id = 1 FOR UPDATE");
                    assertFalse(lock.holds());
                    assertTrue(lock.why().contains("read-only transaction"), "the transaction is read-only: " + lock.why());
                    assertFalse(trial.verify("m", "SELECT nextval('s') > 0").holds(), "screened as the trial's statements are");
                }
                assertEquals(List.of(List.of("a"), List.of("b")), db.query("SELECT nick FROM " + q + "User" + q + " ORDER BY id"), "nothing written");
                Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
                try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                    Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                    db.execute("ALTER TABLE " + q + "User" + q + " ADD COLUMN " + q + "n" + q + " INTEGER");
                    byte[] script = ("ALTER TABLE " + q + "User" + q + " ADD COLUMN " + q + "n" + q + " INTEGER;\nUPDATE " + q + "User" + q + " SET nick = 'b';\n")
                            .getBytes(StandardCharsets.UTF_8);
                    Provider provider = dialect.provider();
                    assertEquals(Decision.UNPROVABLE, Evidence.gather("m", script, provider, catalog, trial).decision());
                    assertEquals(Decision.APPLIED, Evidence.gather("m", script, new Evidence.Extras(holds, null), provider, catalog, trial).decision());
                    db.execute("UPDATE " + q + "User" + q + " SET nick = NULL WHERE id = 2");
                    MigrationEvidence no = Evidence.gather("m", script, new Evidence.Extras(holds, null), provider, catalog, trial);
                    assertEquals(Decision.UNPROVABLE, no.decision());
                    assertTrue(no.reasons().getFirst().startsWith("verify.sql does not confirm it"), no.reasons().toString());
                }
            }
        }
    }

    /** Names holding the dialect's quote character are read and looked up as the database stores them. */
    @Test
    void namesHoldingQuoteCharactersAreComparedAsStored() throws Exception {
        for (Kind kind : Kind.values()) {
            boolean pg = kind == Kind.POSTGRESQL;
            String table = pg ? "\"we\"\"ird\"" : "`we``ird`";
            String column = pg ? "\"c\"\"ol\"" : "`c``ol`";
            try (TestDatabase db = TestDatabase.create(kind)) {
                db.execute("CREATE TABLE " + table + " (id INTEGER, " + column + " INTEGER)", "INSERT INTO " + table + " VALUES (1, NULL)");
                Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
                try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                    Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                    Ddl add = StatementParser.parse("ALTER TABLE " + table + " ADD COLUMN " + column + " INTEGER NOT NULL", dialect.provider()).getFirst();
                    assertEquals(new Ddl.AddColumn(new Ddl.Name(null, pg ? "we\"ird" : "we`ird"), pg ? "c\"ol" : "c`ol", true), add.identity());
                    assertEquals(Effect.CONFLICT, Evidence.classify(add, catalog).effect(), kind + ": " + Evidence.classify(add, catalog).why());
                    db.execute("UPDATE " + table + " SET " + column + " = 1", "ALTER TABLE " + table + (pg ? " ALTER COLUMN " + column + " SET NOT NULL"
                            : " MODIFY " + column + " INTEGER NOT NULL"));
                    assertEquals(Effect.PRESENT, Evidence.classify(add, catalog).effect(), kind + ": " + Evidence.classify(add, catalog).why());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void decisionsOnWholeScriptsAndTheTrialLeavesNothingBehind(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg)) {
            db.execute("CREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY, \"name\" TEXT)", "INSERT INTO \"User\" (\"name\") VALUES ('a'), ('b')");
            Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
            try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                String notNull = "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;\n";
                Trial trial = trial(db, BOUNDS);
                MigrationEvidence failed = gather(notNull, catalog, trial);
                assertEquals(Decision.TRIAL_FAILED, failed.decision(), EvidenceReport.table(failed));
                assertEquals("failed", failed.statements().getFirst().trial());
                assertTrue(failed.reasons().getFirst().contains("23502"), failed.reasons().toString());
                assertTrue(c.getAutoCommit(), "the trial leaves the catalog's connection alone");
                assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.columns WHERE column_name = 'email'"), "the trial left the column");

                MigrationEvidence retry = gather("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT '';\nCREATE TABLE \"Tag\" (\"id\" INT);\n", catalog, trial);
                assertEquals(Decision.ROLLED_BACK, retry.decision(), EvidenceReport.table(retry));
                assertEquals(List.of("ok", "ok"), retry.statements().stream().map(StatementEvidence::trial).toList());
                assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Tag'"), "the trial left the table");

                db.execute("CREATE TABLE \"Tag\" (\"id\" INT)");
                MigrationEvidence mixed = gather("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT '';\nCREATE TABLE \"Tag\" (\"id\" INT);\n", catalog, trial);
                assertEquals(Decision.MIXED, mixed.decision(), EvidenceReport.table(mixed));

                db.execute("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT ''");
                MigrationEvidence unprovable = gather("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT '';\nUPDATE \"User\" SET \"name\" = 'x';\nCREATE TABLE \"Tag\" (\"id\" INT);\n", catalog, trial);
                assertEquals(Decision.UNPROVABLE, unprovable.decision(), EvidenceReport.table(unprovable));
                assertEquals(Effect.NO_EVIDENCE, unprovable.statements().get(1).effect());
                MigrationEvidence applied = gather("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL DEFAULT '';\nCREATE TABLE \"Tag\" (\"id\" INT);\n", catalog, trial);
                assertEquals(Decision.APPLIED, applied.decision(), EvidenceReport.table(applied));

                assertEquals(Decision.CANNOT_TELL, gather("UPDATE \"User\" SET \"name\" = 'y';\n", catalog, trial).decision());
                assertEquals(Decision.INCONCLUSIVE, gather("BEGIN;\nCREATE TABLE \"Other\" (\"id\" INT);\nCOMMIT;\n", catalog, trial).decision());
                assertEquals(List.of(), db.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'Other'"), "never trialled: it commits");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("postgres")
    void aTrialThatWaitsForALockStopsAtTheBoundAndSaysSo(PostgresServers.Pg pg) throws Exception {
        try (TestDatabase db = TestDatabase.create(pg); Connection holder = db.connect(); Statement h = holder.createStatement()) {
            db.execute("CREATE TABLE \"User\" (\"id\" SERIAL PRIMARY KEY)");
            holder.setAutoCommit(false);
            h.execute("LOCK TABLE \"User\" IN ACCESS SHARE MODE"); // a long read: ALTER TABLE must wait for it
            Dialect dialect = Dialect.of(DatabaseUrl.parse("DATABASE_URL", db.url()));
            try (Connection c = dialect.connect(DatabaseUrl.parse("DATABASE_URL", db.url()))) {
                Catalog catalog = dialect.catalog(c, Duration.ofSeconds(10));
                MigrationEvidence e = Evidence.gather("m", "ALTER TABLE \"User\" ADD COLUMN \"x\" INT;\n".getBytes(StandardCharsets.UTF_8),
                        Provider.POSTGRESQL, catalog, trial(db, new Trial.Bounds(Duration.ofMillis(300), Duration.ofSeconds(10))));
                assertEquals(Decision.INCONCLUSIVE, e.decision(), EvidenceReport.table(e));
                assertEquals("bound hit", e.statements().getFirst().trial());
                assertTrue(e.reasons().getFirst().contains("55P03"), e.reasons().toString());
                assertEquals(List.of(), db.query("SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.pid <> "
                        + "(SELECT pg_backend_pid()) AND l.relation = '\"User\"'::regclass AND l.mode = 'AccessExclusiveLock'"),
                        "the trial holds no lock afterwards");
            } finally {
                holder.rollback();
            }
        }
    }

    private static MigrationEvidence gather(String sql, Catalog catalog, Trial trial) {
        return Evidence.gather("m", sql.getBytes(StandardCharsets.UTF_8), Provider.POSTGRESQL, catalog, trial);
    }
}
