package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.Ddl.Name;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementParserTest {
    private static final Provider PG = Provider.POSTGRESQL;
    private static final Provider MY = Provider.MYSQL;

    private static List<Ddl> pg(String sql) {
        return StatementParser.parse(sql, PG).stream().map(Ddl::identity).toList(); // what each clause touches; shapes: StatementShapesTest
    }

    private static List<Ddl> my(String sql) {
        return StatementParser.parse(sql, MY).stream().map(Ddl::identity).toList();
    }

    private static Name n(String name) {
        return new Name(null, name);
    }

    @Test
    void postgresFormsPrismaGenerates() {
        assertEquals(List.of(new Ddl.CreateTable(n("User"))), pg("CREATE TABLE \"User\" (\n \"id\" SERIAL NOT NULL,\n CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\")\n);"));
        assertEquals(List.of(new Ddl.CreateTable(new Name("app", "User"))), pg("CREATE TABLE IF NOT EXISTS \"app\".\"User\" (id INT);"));
        assertEquals(List.of(new Ddl.AddColumn(n("User"), "email", true)), pg("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT NOT NULL;"));
        assertEquals(List.of(new Ddl.AddColumn(n("User"), "age", false), new Ddl.DropColumn(n("User"), "old")),
                pg("ALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER DEFAULT 0,\nDROP COLUMN \"old\";"));
        assertEquals(List.of(new Ddl.AlterColumn(n("User"), "name", Ddl.ColumnChange.SET_NOT_NULL, null),
                        new Ddl.AlterColumn(n("User"), "bio", Ddl.ColumnChange.DROP_NOT_NULL, null),
                        new Ddl.AlterColumn(n("User"), "n", Ddl.ColumnChange.SET_DEFAULT, "0"),
                        new Ddl.AlterColumn(n("User"), "m", Ddl.ColumnChange.DROP_DEFAULT, null),
                        new Ddl.AlterColumn(n("User"), "t", Ddl.ColumnChange.TYPE, "VARCHAR(191)"),
                        new Ddl.AlterColumn(n("User"), "r", Ddl.ColumnChange.TYPE, "\"Role\"")),
                pg("ALTER TABLE \"User\" ALTER COLUMN \"name\" SET NOT NULL, ALTER COLUMN \"bio\" DROP NOT NULL, ALTER COLUMN \"n\" SET DEFAULT 0,"
                        + " ALTER COLUMN \"m\" DROP DEFAULT, ALTER COLUMN \"t\" SET DATA TYPE VARCHAR(191), ALTER COLUMN \"r\" TYPE \"Role\" USING (\"r\"::text::\"Role\");"));
        assertEquals(List.of(new Ddl.AlterColumn(n("User"), "d", Ddl.ColumnChange.SET_DEFAULT, "'unknown'")),
                pg("ALTER TABLE \"User\" ALTER COLUMN \"d\" SET DEFAULT 'unknown';"));
        assertEquals(List.of(new Ddl.RenameColumn(n("User"), "a", "b")), pg("ALTER TABLE \"User\" RENAME COLUMN \"a\" TO \"b\";"));
        assertEquals(List.of(new Ddl.RenameTable(n("User"), "Person")), pg("ALTER TABLE \"User\" RENAME TO \"Person\";"));
        assertEquals(List.of(new Ddl.AddConstraint(n("Post"), "Post_authorId_fkey", "FOREIGN KEY")),
                pg("ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE;"));
        assertEquals(List.of(new Ddl.DropConstraint(n("Post"), "Post_pkey", null), new Ddl.AddConstraint(n("Post"), "Post_pkey", "PRIMARY KEY")),
                pg("ALTER TABLE \"Post\" DROP CONSTRAINT \"Post_pkey\",\nADD CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\", \"x\");"));
        assertEquals(List.of(new Ddl.AddConstraint(n("T"), "T_c", "CHECK")), pg("ALTER TABLE \"T\" ADD CONSTRAINT \"T_c\" CHECK (x > 0);"));
        assertEquals(List.of(new Ddl.CreateIndex(n("User"), "User_email_key", true)), pg("CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\");"));
        assertEquals(List.of(new Ddl.CreateIndex(n("Post"), "Post_authorId_idx", false)), pg("CREATE INDEX \"Post_authorId_idx\" ON \"Post\" USING GIN (\"authorId\");"));
        assertEquals(List.of(new Ddl.DropIndex(null, n("User_email_key"))), pg("DROP INDEX \"User_email_key\";"));
        assertEquals(List.of(new Ddl.RenameIndex(null, n("a_idx"), "b_idx")), pg("ALTER INDEX \"a_idx\" RENAME TO \"b_idx\";"));
        assertEquals(List.of(new Ddl.DropTable(n("Post"))), pg("DROP TABLE \"Post\";"));
        assertEquals(List.of(new Ddl.CreateEnum(n("Role"))), pg("CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN');"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("Role"), "OWNER")), pg("ALTER TYPE \"Role\" ADD VALUE 'OWNER';"));
        assertEquals(List.of(new Ddl.CreateExtension("pgcrypto")), pg("CREATE EXTENSION IF NOT EXISTS \"pgcrypto\";"));
        assertEquals(List.of(new Ddl.CreateSchema("app")), pg("CREATE SCHEMA IF NOT EXISTS \"app\";"));
        // unquoted names fold to lower case, as PostgreSQL does
        assertEquals(List.of(new Ddl.CreateTable(n("users"))), pg("create table Users (id int);"));
    }

    @Test
    void mysqlFormsPrismaGenerates() {
        assertEquals(List.of(new Ddl.CreateTable(n("User"))), my("CREATE TABLE `User` (\n `id` INTEGER NOT NULL AUTO_INCREMENT,\n PRIMARY KEY (`id`)\n) DEFAULT CHARACTER SET utf8mb4;"));
        assertEquals(List.of(new Ddl.AddColumn(n("Server"), "sshPort", true)), my("ALTER TABLE `Server` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22;"));
        assertEquals(List.of(new Ddl.AddColumn(n("User"), "email", true), new Ddl.CreateIndex(n("User"), "User_email_key", true)),
                my("ALTER TABLE `User` ADD COLUMN `email` VARCHAR(191) NOT NULL,\n    ADD UNIQUE INDEX `User_email_key`(`email`);"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("User"), "name", "VARCHAR(200)", true)), my("ALTER TABLE `User` MODIFY `name` VARCHAR(200) NOT NULL;"));
        assertEquals(List.of(new Ddl.ChangeColumn(n("User"), "a", "b", "INTEGER", false)), my("ALTER TABLE `User` CHANGE `a` `b` INTEGER NULL;"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("User"), "a", "DATETIME(3)", true)), my("ALTER TABLE `User` CHANGE COLUMN `a` `a` DATETIME(3) NOT NULL;"));
        assertEquals(List.of(new Ddl.RenameColumn(n("User"), "a", "b")), my("ALTER TABLE `User` RENAME COLUMN `a` TO `b`;"));
        assertEquals(List.of(new Ddl.RenameIndex(n("User"), n("a"), "b")), my("ALTER TABLE `User` RENAME INDEX `a` TO `b`;"));
        assertEquals(List.of(new Ddl.RenameTable(n("A"), "B"), new Ddl.RenameTable(n("C"), "D")), my("RENAME TABLE `A` TO `B`, `C` TO `D`;"));
        assertEquals(List.of(new Ddl.DropConstraint(n("Post"), "Post_authorId_fkey", "FOREIGN KEY")), my("ALTER TABLE `Post` DROP FOREIGN KEY `Post_authorId_fkey`;"));
        assertEquals(List.of(new Ddl.DropConstraint(n("Post"), null, "PRIMARY KEY"), new Ddl.AddConstraint(n("Post"), null, "PRIMARY KEY")),
                my("ALTER TABLE `Post` DROP PRIMARY KEY,\n ADD PRIMARY KEY (`id`, `x`);"));
        assertEquals(List.of(new Ddl.DropIndex(n("Post"), n("Post_authorId_idx"))), my("DROP INDEX `Post_authorId_idx` ON `Post`;"));
        assertEquals(List.of(new Ddl.DropIndex(n("Post"), n("i"))), my("ALTER TABLE `Post` DROP INDEX `i`;"));
        assertEquals(List.of(new Ddl.DropColumn(n("Post"), "x")), my("ALTER TABLE `Post` DROP COLUMN `x`;"));
        assertEquals(List.of(new Ddl.CreateIndex(n("Post"), "Post_authorId_idx", false)), my("CREATE INDEX `Post_authorId_idx` ON `Post`(`authorId`);"));
        assertEquals(List.of(new Ddl.DropTable(n("Post"))), my("DROP TABLE `Post`;"));
        // no enum types or extensions in MySQL: not a form, no evidence
        assertInstanceOf(Ddl.Unknown.class, my("CREATE TYPE x AS ENUM ('a');").getFirst());
    }

    @Test
    void dataTransactionControlAndUnknown() {
        assertEquals(List.of(new Ddl.Data("UPDATE")), pg("UPDATE \"User\" SET \"email\" = 'x';"));
        assertEquals(List.of(new Ddl.Data("INSERT")), my("INSERT INTO `User` VALUES (1);"));
        assertEquals(List.of(new Ddl.TransactionControl("COMMIT")), pg("COMMIT;"));
        assertEquals(List.of(new Ddl.TransactionControl("BEGIN")), pg("BEGIN"));
        assertInstanceOf(Ddl.Unknown.class, pg("CREATE VIEW v AS SELECT 1;").getFirst());
        assertInstanceOf(Ddl.Unknown.class, pg("ALTER TABLE \"User\" ENABLE ROW LEVEL SECURITY;").getFirst());
        assertInstanceOf(Ddl.Unknown.class, pg("CREATE TABLE").getFirst());
    }
}
