package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * DEPLOY_ENGINE=jdbc on MySQL/MariaDB, checked against Prisma's engine rules as its source states
 * them (flavour/mysql.rs, mysql/connection.rs, sql_migration_persistence.rs), since no Prisma
 * engine runs offline for MySQL here: umami's real MySQL history gives the rows and the schema that
 * the repository's stand-in (fake-prisma-mysql, written from the same rules) gives on a twin;
 * _prisma_migrations is Prisma's DDL; a failure is logged as Prisma logs it ("query number N"),
 * with the statements before it committed; Prisma's GET_LOCK is held while applying.
 */
class JdbcEngineMySqlIT {
    private static final Kind MY = Kind.MYSQL;

    @TempDir
    Path dir;

    /**
     * umami's MySQL history needs MySQL 8 from 05_add_visit_id on (BIN_TO_UUID); on MariaDB it stops
     * there, with Prisma's own engine too: umami-software/umami#3139 shows the logs Prisma wrote for
     * it, which are the oracle for ours here.
     */
    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void umamisMySqlHistoryEndsAsPrismasRulesSay() {
        Project project = Histories.project(MY, "umami-mysql", Histories.names("umami-mysql").size(), dir.resolve("p"));
        try (TestDatabase ours = TestDatabase.create(MY); TestDatabase twin = TestDatabase.create(MY)) {
            boolean mariadb = ours.query("SELECT VERSION()").getFirst().getFirst().contains("MariaDB");
            Launch.Result prisma = project.prisma(twin, "migrate", "deploy");
            Launch.Result r = project.launch(ours).env("DEPLOY_ENGINE", "jdbc").env("PRISMA_COMMAND", null).run("migrate");
            assertEquals(mariadb ? 1 : 0, prisma.exit(), prisma.toString());
            assertEquals(mariadb ? 5 : 0, r.exit(), r.toString());
            assertEquals(Histories.withoutLogs(Histories.rows(twin)), Histories.withoutLogs(Histories.rows(ours)));
            Histories.assertIdsAndTimes(ours);
            assertEquals(Histories.mysqlSchema(twin), Histories.mysqlSchema(ours));
            if (mariadb) {
                assertTrue(r.stderr().contains("migration 05_add_visit_id failed: database error 1305"), r.stderr());
                assertTrue(r.stderr().contains("at statement 2 (line 4): UPDATE `website_event` we JOIN"), r.stderr());
                String logs = ours.query("SELECT logs FROM _prisma_migrations WHERE finished_at IS NULL").getFirst().getFirst();
                // umami#3139, as Prisma's engine wrote it on a MariaDB (the database's name aside)
                assertEquals("A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more"
                        + " about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\n"
                        + "Migration name: 05_add_visit_id\n\nDatabase error code: 1305\n\nDatabase error:\nFUNCTION " + ours.name()
                        + ".BIN_TO_UUID does not exist\n\nPlease check the query number 2 from the migration file.\n\n", logs);
            }
        }
    }

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void theMigrationsTableIsPrismasOwn() {
        try (TestDatabase ours = TestDatabase.create(MY); TestDatabase reference = TestDatabase.create(MY)) {
            Project project = Project.create(MY, dir.resolve("p"));
            Launch.Result r = project.launch(ours).env("DEPLOY_ENGINE", "jdbc").run("migrate");
            assertEquals(0, r.exit(), r.toString());
            reference.execute(PrismaTable.ddl(MY, null));
            assertEquals(reference.query("SHOW CREATE TABLE _prisma_migrations"), ours.query("SHOW CREATE TABLE _prisma_migrations"));
        }
    }

    /** Statement 1 commits, statement 2 fails, statement 3 never runs; the logs say "query number 2" as Prisma's do. */
    @Test
    void aFailureIsLoggedByQueryNumberAndWhatCommittedStays() {
        try (TestDatabase ours = TestDatabase.create(MY)) {
            Project project = Project.create(MY, dir.resolve("p"));
            String name = "20250104000000_half";
            project.write(name, "CREATE TABLE `kept` (`id` INTEGER NOT NULL);\nINSERT INTO `nowhere` VALUES (1);\n"
                    + "CREATE TABLE `never` (`id` INTEGER NOT NULL);\n");
            Launch.Result r = project.launch(ours).env("DEPLOY_ENGINE", "jdbc").run("migrate");
            assertEquals(5, r.exit(), r.toString());
            assertTrue(r.stderr().contains("migration " + name + " failed: database error 1146"), r.stderr());
            assertTrue(r.stderr().contains("at statement 2 (line 2): INSERT INTO `nowhere` VALUES (1)"), r.stderr());
            assertTrue(r.stderr().contains("statements before the failing one stay applied"), r.stderr());
            String logs = ours.query("SELECT logs FROM _prisma_migrations WHERE migration_name = '" + name + "' AND finished_at IS NULL")
                    .getFirst().getFirst();
            assertEquals("A migration failed to apply. New migrations cannot be applied before the error is recovered from. Read more"
                    + " about how to resolve migration issues in a production database: https://pris.ly/d/migrate-resolve\n\nMigration name: "
                    + name + "\n\nDatabase error code: 1146\n\nDatabase error:\nTable '" + ours.name() + ".nowhere' doesn't exist\n\n"
                    + "Please check the query number 2 from the migration file.\n\n", logs);
            assertEquals(1, ours.query("SHOW TABLES LIKE 'kept'").size());
            assertEquals(0, ours.query("SHOW TABLES LIKE 'never'").size());
        }
    }

    @Test
    @DisabledIfSystemProperty(named = "launcher.command", matches = ".+")
    void prismasLockIsHeldWhileApplying() throws Exception {
        try (TestDatabase ours = TestDatabase.create(MY)) {
            Project project = Project.create(MY, dir.resolve("p"));
            project.write("20250104000000_slow", "SELECT SLEEP(3);\n");
            CompletableFuture<Launch.Result> run = CompletableFuture.supplyAsync(
                    () -> project.launch(ours).env("DEPLOY_ENGINE", "jdbc").run("migrate"));
            boolean held = false;
            for (int i = 0; i < 100 && !held && !run.isDone(); i++) {
                List<List<String>> slow = ours.query("SELECT IS_USED_LOCK('prisma_migrate'), (SELECT COUNT(*) FROM information_schema.processlist"
                        + " WHERE info LIKE 'SELECT SLEEP(3)%')");
                held = !slow.getFirst().getFirst().equals("NULL") && slow.getFirst().get(1).equals("1");
                Thread.sleep(50);
            }
            Launch.Result r = run.join();
            assertEquals(0, r.exit(), r.toString());
            assertTrue(held, "GET_LOCK('prisma_migrate') was not held while the script ran");
            assertEquals("NULL", ours.query("SELECT IS_USED_LOCK('prisma_migrate')").getFirst().getFirst(), "released afterwards");
        }
    }
}
