package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.deploy.PrismaLogs;
import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 18, "applied means proven, rolled-back means safe to run again", through the real launcher:
 * each case makes a failed row the way it happens (the real Prisma CLI on PostgreSQL, the MySQL
 * stand-in on MariaDB, whose client commits statement by statement), with a hand-made state beside
 * it, then starts the launcher with MIGRATION_RESOLVE_STRATEGY=auto. A refusal must change nothing;
 * a decision that acts must end up deployed. Each case prints one line, {@code PROOF-CASE name:
 * decision (exit n)}, so that the same cases run against another jar ({@code -Dlauncher.jar=...})
 * give the before/after table. Decisions do not depend on how the launcher was started: the jar
 * pass runs them, the entrypoint pass (CI's time budget) does not; AutoIT covers auto there.
 */
@DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
class ProofIT {
    static final String M = "20250104000000_proof";

    /**
     * @param before SQL run before the migration's deploy (the hand-made state it meets)
     * @param after SQL run after the failed deploy (a hand fix)
     * @param logs the failed row's logs to put in place of the stand-in's (null: as written)
     * @param decision the decision label the launcher must print
     */
    record Case(String name, Kind kind, List<String> before, String migration, List<String> after, String logs, String decision, String shipped) {
        Case(String name, Kind kind, List<String> before, String migration, List<String> after, String logs, String decision) {
            this(name, kind, before, migration, after, logs, decision, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final String REFUSE_SHAPE = "refuse: other shape";
    private static final String UNPROVABLE = "refuse: cannot prove applied";
    private static final String CANNOT_TELL = "refuse: cannot tell";

    static Stream<Case> cases() {
        Kind pg = Kind.POSTGRESQL;
        Kind my = Kind.MYSQL;
        String createTag = "CREATE TABLE \"Tag\" (\n    \"id\" SERIAL NOT NULL,\n    \"title\" TEXT NOT NULL,\n\n    CONSTRAINT \"Tag_pkey\" PRIMARY KEY (\"id\")\n);\n";
        String addAge = "ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER NOT NULL DEFAULT 0;\n";
        String uniqueName = "CREATE UNIQUE INDEX \"User_name_key\" ON \"User\"(\"name\");\n";
        String fk = "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_author2_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;\n";
        String sshPort = "ALTER TABLE `User` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22;\n";
        return Stream.of(
                new Case("pg: table of that name, other columns (\"Tag\"(legacy))", pg, List.of("CREATE TABLE \"Tag\" (\"legacy\" TEXT)"), createTag,
                        List.of(), null, REFUSE_SHAPE),
                new Case("pg: table made by hand exactly as migration.sql makes it", pg,
                        List.of(createTag.replace(";\n", "")), createTag, List.of(), null, "applied"),
                new Case("pg: column of another type", pg, List.of("ALTER TABLE \"User\" ADD COLUMN \"age\" TEXT NOT NULL DEFAULT '0'"), addAge,
                        List.of(), null, REFUSE_SHAPE),
                new Case("pg: column nullable", pg, List.of("ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER DEFAULT 0"), addAge, List.of(), null,
                        REFUSE_SHAPE),
                new Case("pg: column of another default", pg, List.of("ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER NOT NULL DEFAULT 1"), addAge,
                        List.of(), null, REFUSE_SHAPE),
                new Case("pg: default differing only in case", pg,
                        List.of("ALTER TABLE \"User\" ADD COLUMN \"status\" TEXT NOT NULL DEFAULT 'ACTIVE'"),
                        "ALTER TABLE \"User\" ADD COLUMN \"status\" TEXT NOT NULL DEFAULT 'active';\n", List.of(), null, REFUSE_SHAPE),
                new Case("pg: non-unique index where the migration makes a unique one", pg,
                        List.of("CREATE INDEX \"User_name_key\" ON \"User\"(\"name\")"), uniqueName, List.of(), null, REFUSE_SHAPE),
                new Case("pg: INVALID index left by a failed CREATE INDEX CONCURRENTLY", pg,
                        List.of("INSERT INTO \"User\" (\"name\") VALUES ('Alice')", "-CREATE UNIQUE INDEX CONCURRENTLY \"User_name_key\" ON \"User\"(\"name\")",
                                "DELETE FROM \"User\" WHERE \"id\" = 3"), uniqueName, List.of(), null, REFUSE_SHAPE),
                new Case("pg: enum with other labels", pg, List.of("CREATE TYPE \"Role\" AS ENUM ('ADMIN', 'USER')"),
                        "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');\n", List.of(), null, REFUSE_SHAPE),
                new Case("pg: constraint NOT VALID", pg, List.of(fk.replace(";\n", " NOT VALID")), fk, List.of(), null, REFUSE_SHAPE),
                new Case("pg: constraint of another definition (ON DELETE CASCADE)", pg,
                        List.of(fk.replace(";\n", "").replace("RESTRICT", "CASCADE")), fk, List.of(), null, REFUSE_SHAPE),
                new Case("pg: CREATE EXTENSION IF NOT EXISTS (there long before) + failed INSERT", pg, List.of("CREATE EXTENSION IF NOT EXISTS \"citext\""),
                        "CREATE EXTENSION IF NOT EXISTS \"citext\";\nINSERT INTO \"Missing\" (\"id\") VALUES (1);\n", List.of(), null, CANNOT_TELL),
                new Case("pg: DROP INDEX IF EXISTS of an index that never existed + UPDATE", pg, List.of(),
                        "DROP INDEX IF EXISTS \"User_nick_idx\";\nUPDATE \"Missing\" SET \"x\" = 1;\n", List.of(), null, CANNOT_TELL),
                new Case("mariadb: sshPort VARCHAR(10) for INT NOT NULL DEFAULT 22", my, List.of("ALTER TABLE `User` ADD COLUMN `sshPort` VARCHAR(10)"),
                        sshPort, List.of(), null, REFUSE_SHAPE),
                new Case("mariadb: sshPort INT NULL for INT NOT NULL DEFAULT 22", my, List.of("ALTER TABLE `User` ADD COLUMN `sshPort` INT NULL"),
                        sshPort, List.of(), null, REFUSE_SHAPE),
                new Case("mariadb: sshPort made by hand exactly as migration.sql makes it", my, List.of(sshPort.replace(";\n", "")), sshPort, List.of(),
                        null, "applied"),
                new Case("mariadb: MODIFY ... DEFAULT 22 failed, then fixed by hand with DEFAULT 2222", my,
                        List.of("ALTER TABLE `User` ADD COLUMN `sshPort` INT NULL"), "ALTER TABLE `User` MODIFY `sshPort` INT NOT NULL DEFAULT 22;\n",
                        List.of("UPDATE `User` SET `sshPort` = 2222", "ALTER TABLE `User` MODIFY `sshPort` INT NOT NULL DEFAULT 2222"), null,
                        "rolled-back"),
                new Case("mariadb: committed ADD COLUMN, then a failed INSERT", my, List.of(),
                        "ALTER TABLE `User` ADD COLUMN `x` INT NULL;\nINSERT INTO `Missing` (`id`) VALUES (1);\n", List.of(), null, UNPROVABLE),
                new Case("mariadb: committed INSERT, then a failed ALTER (logs without the statement)", my, List.of(),
                        "INSERT INTO `User` (`name`) VALUES ('Carol');\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NOT NULL,\n"
                                + "    ADD UNIQUE INDEX `User_nick_key`(`nick`);\n", List.of(), null, CANNOT_TELL),
                new Case("mariadb: committed INSERT, then a failed ALTER (native engine's logs: query number 2)", my, List.of(),
                        "INSERT INTO `User` (`name`) VALUES ('Carol');\nALTER TABLE `User` ADD COLUMN `nick` VARCHAR(191) NOT NULL,\n"
                                + "    ADD UNIQUE INDEX `User_nick_key`(`nick`);\n", List.of(),
                        PrismaLogs.mysql(M, 1062, "Duplicate entry '' for key 'User_nick_key'", 2), "refuse: partly applied"),
                new Case("mariadb: ENUM column made by hand with other label case", my,
                        List.of("ALTER TABLE `User` ADD COLUMN `role` ENUM('user', 'admin') NOT NULL DEFAULT 'user'"),
                        "ALTER TABLE `User` ADD COLUMN `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER';\n", List.of(), null, REFUSE_SHAPE),
                new Case("mariadb: MODIFY to an ENUM, done by hand exactly", my, List.of("ALTER TABLE `User` ADD COLUMN `role` VARCHAR(10) NULL"),
                        "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER';\nINSERT INTO `Missing` (`id`) VALUES (1);\n",
                        List.of("UPDATE `User` SET `role` = 'USER'", "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER'"), null,
                        "applied", "ALTER TABLE `User` MODIFY `role` ENUM('USER', 'ADMIN') NOT NULL DEFAULT 'USER';\n"),
                new Case("pg: SET DATA TYPE TIMESTAMP(3) WITH TIME ZONE, done by hand", pg, List.of(),
                        "ALTER TABLE \"User\" ALTER COLUMN \"createdAt\" SET DATA TYPE TIMESTAMP(3) WITH TIME ZONE;\nINSERT INTO \"Missing\" VALUES (1);\n",
                        List.of("ALTER TABLE \"User\" ALTER COLUMN \"createdAt\" SET DATA TYPE TIMESTAMP(3) WITH TIME ZONE"), null, "applied",
                        "ALTER TABLE \"User\" ALTER COLUMN \"createdAt\" SET DATA TYPE TIMESTAMP(3) WITH TIME ZONE;\n"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void autoDecidesOnlyOnProof(Case c) throws Exception {
        try (TestDatabase db = TestDatabase.create(c.kind())) {
            Project project = Project.create(c.kind(), dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            for (String sql : c.before()) {
                if (sql.startsWith("-")) { // expected to fail (and to leave what it leaves)
                    try {
                        db.execute(sql.substring(1));
                    } catch (RuntimeException expected) {
                        // CREATE INDEX CONCURRENTLY over duplicates: the index stays, INVALID
                    }
                } else {
                    db.execute(sql);
                }
            }
            project.write(M, c.migration());
            Launch.Result deploy = project.prisma(db, "migrate", "deploy");
            assertEquals(1, deploy.exit(), "the deploy must fail and leave a failed row: " + deploy);
            for (String sql : c.after()) {
                db.execute(sql);
            }
            if (c.shipped() != null) {
                project.write(M, c.shipped()); // the next release ships migration.sql as it was finished by hand
            }
            if (c.logs() != null) {
                db.execute("UPDATE _prisma_migrations SET logs = '" + c.logs().replace("'", "''") + "' WHERE migration_name = '" + M + "'");
            }
            List<List<String>> rows = db.query("SELECT * FROM _prisma_migrations ORDER BY started_at, id");

            Launch.Result r = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            String decided = Stream.of("refuse: other shape", "refuse: cannot prove applied", "refuse: cannot tell", "refuse: partly applied",
                    "refuse: fails now", "refuse: trial inconclusive", "decided applied", "decided rolled-back")
                    .filter(r.stderr()::contains).findFirst().orElse("?").replace("decided ", "");
            System.out.println("PROOF-CASE " + c.name() + ": " + decided + " (exit " + r.exit() + ")");
            assertTrue(r.stderr().contains(c.decision().startsWith("refuse") ? c.decision() : "decided " + c.decision()), c.name() + ": " + r);
            if (c.decision().startsWith("refuse")) {
                assertEquals(4, r.exit(), r.toString());
                assertEquals(rows, db.query("SELECT * FROM _prisma_migrations ORDER BY started_at, id"), "a refusal writes nothing");
                if (c.decision().equals(REFUSE_SHAPE)) {
                    assertTrue(r.stderr().contains("exists with another shape"), "expected vs found is shown: " + r.stderr());
                }
            } else {
                assertEquals(0, r.exit(), r.toString());
                assertEquals(List.of(List.of("0")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL"));
            }
        }
    }

    /** verify.sql: Prisma ignores it (the checksum is migration.sql's), and auto takes it as the proof the catalog cannot give. */
    @org.junit.jupiter.api.Test
    void verifySqlProvesADataMigrationAppliedAndPrismaIgnoresIt() throws Exception {
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            project.write(M, "ALTER TABLE \"User\" ADD COLUMN \"nick\" TEXT;\nUPDATE \"User\" SET \"nick\" = lower(\"name\");\nINSERT INTO \"Missing\" VALUES (1);\n");
            Path verify = project.migrations().resolve(M).resolve("verify.sql");
            Files.writeString(verify, "-- every user has a nick\nSELECT NOT EXISTS (SELECT 1 FROM \"User\" WHERE \"nick\" IS NULL)\n");
            assertEquals(1, project.prisma(db, "migrate", "deploy").exit());
            // a person finishes it by hand
            db.execute("ALTER TABLE \"User\" ADD COLUMN \"nick\" TEXT", "UPDATE \"User\" SET \"nick\" = lower(\"name\")");
            db.execute("UPDATE \"User\" SET \"nick\" = NULL WHERE \"id\" = 1");
            Launch.Result no = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            System.out.println("PROOF-CASE pg: verify.sql returns false: " + (no.stderr().contains("refuse: cannot prove applied") ? "refuse: cannot prove applied" : "?")
                    + " (exit " + no.exit() + ")");
            assertEquals(4, no.exit(), no.toString());
            assertTrue(no.stderr().contains("verify.sql does not confirm it"), no.stderr());
            db.execute("UPDATE \"User\" SET \"nick\" = 'alice' WHERE \"id\" = 1");
            Launch.Result yes = project.launch(db).env("MIGRATION_RESOLVE_STRATEGY", "auto").run("migrate");
            System.out.println("PROOF-CASE pg: verify.sql returns true: " + (yes.stderr().contains("decided applied") ? "applied" : "?") + " (exit " + yes.exit() + ")");
            assertEquals(0, yes.exit(), yes.toString());
            assertTrue(yes.stderr().contains("verify.sql returns true"), yes.stderr());
            Launch.Result status = project.prisma(db, "migrate", "status");
            assertEquals(0, status.exit(), "Prisma reads no verify.sql and its checksum is migration.sql's: " + status);
            assertTrue(status.stdout().contains("Database schema is up to date!"), status.toString());
        }
    }
}
