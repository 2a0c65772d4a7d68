package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.evidence.Ddl.ColumnChange;
import dev.prismalauncher.evidence.Ddl.Name;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser at the edges of each form (StatementParserTest has the forms Prisma generates): the
 * optional words (IF [NOT] EXISTS, CONCURRENTLY, ONLY, COLUMN), the words a form requires, how
 * a clause ends, quoting and strings, and input that ends early. A statement read as another
 * form would have auto look for the wrong thing in the catalog.
 */
class StatementParserEdgesTest {
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

    private static List<Ddl> unknown(String why) {
        return List.of(new Ddl.Unknown(why));
    }

    @Test
    void optionalWordsAreSkipped() {
        assertEquals(List.of(new Ddl.CreateIndex(new Name("s", "t"), "i", true)), pg("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON ONLY \"s\".\"t\" (\"a\")"));
        assertEquals(List.of(new Ddl.DropTable(n("a")), new Ddl.DropTable(new Name("s", "b"))), pg("DROP TABLE IF EXISTS \"a\", \"s\".\"b\" CASCADE"));
        assertEquals(List.of(new Ddl.DropIndex(null, new Name("s", "i"))), pg("DROP INDEX CONCURRENTLY IF EXISTS \"s\".\"i\";"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("Role"), "X")), pg("ALTER TYPE \"Role\" ADD VALUE IF NOT EXISTS 'X'"));
        assertEquals(List.of(new Ddl.RenameIndex(null, n("a"), "b")), pg("ALTER INDEX IF EXISTS \"a\" RENAME TO \"b\""));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false)), pg("ALTER TABLE IF EXISTS ONLY \"t\" * ADD COLUMN IF NOT EXISTS \"c\" INT"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false)), pg("ALTER TABLE \"t\" ADD \"c\" INT"));
        assertEquals(List.of(new Ddl.DropConstraint(n("t"), "c", null), new Ddl.DropColumn(n("t"), "d")),
                pg("ALTER TABLE \"t\" DROP CONSTRAINT IF EXISTS \"c\" CASCADE, DROP COLUMN IF EXISTS \"d\" CASCADE"));
        assertEquals(List.of(new Ddl.DropColumn(n("t"), "d")), pg("ALTER TABLE \"t\" DROP \"d\""));
        assertEquals(List.of(new Ddl.CreateExtension("citext")), pg("CREATE EXTENSION citext"));
        assertEquals(List.of(new Ddl.CreateSchema("s")), pg("CREATE SCHEMA \"s\""));
        assertEquals(List.of(new Ddl.CreateTable(n("t"))), pg("CREATE TABLE IF NOT EXISTS \"t\" (a int)"));
        assertEquals(List.of(new Ddl.DropIndex(n("t"), n("i"))), my("DROP INDEX IF EXISTS `i` ON `t`"));
    }

    @Test
    void aMissingRequiredWordIsNotTheForm() {
        assertEquals(unknown("not understood: expected AS"), pg("CREATE TYPE \"R\" ENUM ('a')"));
        assertEquals(unknown("not understood: expected ENUM"), pg("CREATE TYPE \"R\" AS RANGE (subtype = int)"));
        assertEquals(unknown("not understood: expected ON"), pg("CREATE INDEX \"i\" \"t\" (\"a\")"));
        assertEquals(unknown("not understood: expected ON"), my("DROP INDEX `i` `t`"));
        assertEquals(unknown("not understood: expected NOT"), pg("CREATE TABLE IF EXISTS \"t\" (a int)"));
        assertEquals(unknown("not understood: expected EXISTS"), pg("DROP TABLE IF \"t\""));
        assertEquals(unknown("not understood: expected VALUE"), pg("ALTER TYPE \"R\" ADD 'x'"));
        assertEquals(unknown("not understood: expected ADD"), pg("ALTER TYPE \"R\" RENAME TO \"S\""));
        assertEquals(unknown("not understood: expected RENAME"), pg("ALTER INDEX \"a\" SET TABLESPACE x"));
        assertEquals(unknown("not understood: expected TO"), pg("ALTER INDEX \"a\" RENAME \"b\""));
        assertEquals(unknown("not understood: expected TABLE"), pg("ALTER VIEW \"v\" RENAME TO \"w\""));
        assertEquals(unknown("not understood: expected KEY"), pg("ALTER TABLE \"t\" ADD PRIMARY (\"id\")"));
        assertEquals(unknown("not understood: expected KEY"), pg("ALTER TABLE \"t\" ADD CONSTRAINT \"p\" PRIMARY (\"id\")"));
        assertEquals(unknown("not understood: expected KEY"), pg("ALTER TABLE \"t\" ADD CONSTRAINT \"f\" FOREIGN (\"a\") REFERENCES \"u\"(\"id\")"));
        assertEquals(unknown("not understood: constraint kind"), pg("ALTER TABLE \"t\" ADD CONSTRAINT \"x\" EXCLUDE USING gist (a WITH &&)"));
        assertEquals(unknown("not understood: expected KEY"), my("ALTER TABLE `t` DROP FOREIGN `f`"));
        assertEquals(unknown("not understood: expected KEY"), my("ALTER TABLE `t` DROP PRIMARY"));
        assertEquals(unknown("not understood: expected TO"), pg("ALTER TABLE \"t\" RENAME COLUMN \"a\" \"b\""));
        assertEquals(unknown("not understood: expected TO"), my("ALTER TABLE `t` RENAME INDEX `a` `b`"));
        assertEquals(unknown("not understood: expected TYPE"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DATA VARCHAR(3)"));
        assertEquals(unknown("not understood: expected NULL"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET NOT"));
        assertEquals(unknown("not understood: expected NULL"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP NOT"));
        assertEquals(unknown("not understood: expected DEFAULT"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" DROP IDENTITY"));
        assertEquals(unknown("not understood: expected TO"), my("RENAME TABLE `a` `b`"));
        assertEquals(unknown("not understood: expected a string"), pg("ALTER TYPE \"R\" ADD VALUE X"));
    }

    @Test
    void formsTheEvidenceDoesNotReadAreUnknownWithTheirReason() {
        assertEquals(unknown("a CREATE form the evidence does not understand"), pg("CREATE SEQUENCE s"));
        assertEquals(unknown("a CREATE form the evidence does not understand"), my("CREATE SCHEMA s"));
        assertEquals(unknown("a DROP form the evidence does not understand"), pg("DROP TYPE \"Role\""));
        assertEquals(unknown("not a statement form the evidence understands"), pg("RENAME TABLE a TO b"));
        assertEquals(unknown("not a statement form the evidence understands"), pg("'x'"));
        assertEquals(unknown("not a statement form the evidence understands"), my("GRANT ALL ON t TO u"));
        assertEquals(unknown("empty"), pg(";"));
        assertEquals(unknown("empty"), pg("  "));
        assertEquals(List.of(new Ddl.RenameIndex(n("t"), n("a"), "b")), my("ALTER TABLE `t` RENAME KEY `a` TO `b`"));
        assertEquals(unknown("unexpected 'a'"), pg("ALTER TABLE \"t\" RENAME CONSTRAINT \"a\" TO \"b\""), "unknown either way; the clause's reason is lost");
        assertEquals(unknown("unexpected 'STATISTICS'"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET STATISTICS 100"));
        assertEquals(unknown("unexpected 'RESTART'"), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" RESTART"));
        assertEquals(List.of(new Ddl.Unknown("ALTER COLUMN SET form not understood")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET"));
        assertEquals(List.of(new Ddl.Unknown("ALTER COLUMN form not understood")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\""));
        assertEquals(List.of(new Ddl.Unknown("an ALTER TABLE clause the evidence does not understand"), new Ddl.AddColumn(n("t"), "c", false)),
                pg("ALTER TABLE \"t\" ENABLE ROW LEVEL SECURITY, ADD COLUMN \"c\" INT"));
        assertEquals(unknown("unexpected 'extra'"), my("DROP INDEX `i` ON `t` extra"));
        assertEquals(unknown("unexpected 'extra'"), pg("DROP INDEX \"i\" extra"));
        assertEquals(unknown("unexpected 'x'"), my("RENAME TABLE `a` TO `b` x"));
        assertEquals(unknown("unexpected 'x'"), pg("ALTER INDEX \"a\" RENAME TO \"b\" x"));
        assertEquals(List.of(new Ddl.TransactionControl("COMMIT")), pg("commit"));
        assertEquals(List.of(new Ddl.TransactionControl("START")), my("start transaction"));
        assertEquals(List.of(new Ddl.Data("WITH")), pg("with x as (select 1) insert into t select * from x"));
        assertEquals(List.of(new Ddl.Data("TRUNCATE")), pg("TRUNCATE \"t\""));
    }

    @Test
    void mysqlIndexAndKeyClauses() {
        assertEquals(List.of(new Ddl.AddConstraint(n("t"), "u", "UNIQUE")), my("ALTER TABLE `t` ADD CONSTRAINT `u` UNIQUE INDEX (`a`)"));
        assertEquals(List.of(new Ddl.AddConstraint(n("t"), "u", "UNIQUE")), my("ALTER TABLE `t` ADD CONSTRAINT `u` UNIQUE KEY (`a`)"));
        assertEquals(List.of(new Ddl.AddConstraint(n("t"), "u", "UNIQUE")), pg("ALTER TABLE \"t\" ADD CONSTRAINT \"u\" UNIQUE (\"a\")"));
        assertEquals(List.of(new Ddl.CreateIndex(n("t"), "i", false)), my("ALTER TABLE `t` ADD INDEX `i`(`a`)"));
        assertEquals(List.of(new Ddl.CreateIndex(n("t"), "k", false)), my("ALTER TABLE `t` ADD KEY `k`(`a`)"));
        assertEquals(List.of(new Ddl.CreateIndex(n("t"), "u", true)), my("ALTER TABLE `t` ADD UNIQUE `u`(`a`)"));
        assertEquals(List.of(new Ddl.CreateIndex(n("t"), "f", false)), my("ALTER TABLE `t` ADD FULLTEXT INDEX `f`(`a`)"));
        assertEquals(List.of(new Ddl.CreateIndex(n("t"), "s", false)), my("ALTER TABLE `t` ADD SPATIAL KEY `s`(`g`)"));
        assertEquals(List.of(new Ddl.DropIndex(n("t"), n("k"))), my("ALTER TABLE `t` DROP KEY `k`"));
        assertEquals(List.of(new Ddl.RenameTable(n("a"), "b")), my("ALTER TABLE `a` RENAME AS `b`"));
        assertEquals(List.of(new Ddl.RenameTable(n("a"), "b")), my("ALTER TABLE `a` RENAME `b`"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "unique", false)), pg("ALTER TABLE \"t\" ADD UNIQUE (\"a\")"),
                "PostgreSQL has no ADD UNIQUE INDEX: read as a column (Prisma never writes it)");
    }

    @Test
    void howAClauseEndsAndWhatItSaysAboutNull() {
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false), new Ddl.AddColumn(n("t"), "d", true)),
                pg("ALTER TABLE \"t\" ADD COLUMN \"c\" INT CHECK (\"c\" IS NOT NULL), ADD COLUMN \"d\" INT NOT NULL"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "id", true)), pg("ALTER TABLE \"t\" ADD COLUMN \"id\" SERIAL PRIMARY KEY"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false)), pg("ALTER TABLE \"t\" ADD COLUMN \"c\" INT NOT"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false)), pg("ALTER TABLE \"t\" ADD COLUMN \"c\" INT PRIMARY"));
        assertEquals(List.of(new Ddl.AddColumn(n("t"), "c", false), new Ddl.AddColumn(n("t"), "d", false)),
                pg("ALTER TABLE \"t\" ADD COLUMN \"c\" NUMERIC(10, 2) DEFAULT (1, 2), ADD COLUMN \"d\" INT"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "VARCHAR(10)", false)), my("ALTER TABLE `t` MODIFY COLUMN `c` VARCHAR(10) NULL DEFAULT 'x'"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "INTEGER", true), new Ddl.DropColumn(n("t"), "d")),
                my("ALTER TABLE `t` MODIFY `c` INTEGER NOT NULL AUTO_INCREMENT, DROP COLUMN `d`"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "DATETIME(3)", false)), my("ALTER TABLE `t` MODIFY `c` DATETIME(3) ON UPDATE CURRENT_TIMESTAMP(3)"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "VARCHAR(191)", true)), my("ALTER TABLE `t` MODIFY `c` VARCHAR(191) COLLATE utf8mb4_bin NOT NULL"));
        assertEquals(List.of(new Ddl.ChangeColumn(n("t"), "a", "b", "TEXT", false)), my("ALTER TABLE `t` CHANGE COLUMN `a` `b` TEXT COMMENT 'x' FIRST"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "INT", false)), my("ALTER TABLE `t` MODIFY `c` INT AFTER `b`"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "INT", true)), my("ALTER TABLE `t` MODIFY `c` INT PRIMARY KEY"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "INT", false)), my("ALTER TABLE `t` MODIFY `c` INT UNIQUE"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "VARCHAR(3)", false)), my("ALTER TABLE `t` MODIFY `c` VARCHAR(3) CHARACTER SET utf8mb4"));
    }

    @Test
    void postgresTypesAndDefaultsAsWritten() {
        assertEquals(List.of(alter("c", ColumnChange.TYPE, "VARCHAR(10)")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE VARCHAR(10) COLLATE \"C\""));
        // a word before USING keeps its space (TypeNames strips it)
        assertEquals(List.of(alter("c", ColumnChange.TYPE, "DOUBLE PRECISION "), alter("d", ColumnChange.DROP_DEFAULT, null)),
                pg("ALTER TABLE \"t\" ALTER \"c\" SET DATA TYPE DOUBLE PRECISION USING (\"c\"::double precision), ALTER \"d\" DROP DEFAULT"));
        assertEquals(List.of(alter("c", ColumnChange.TYPE, "\"s\".\"Role\"[]")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE \"s\".\"Role\"[]"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "coalesce(1,2)"), alter("d", ColumnChange.DROP_DEFAULT, null)),
                pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT coalesce(1, 2), ALTER COLUMN \"d\" DROP DEFAULT"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "nextval('t_c_seq'::regclass)")),
                pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT nextval('t_c_seq'::regclass)"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "'it''s'")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT 'it''s'"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "\"x\"")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT \"x\""));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "CURRENT_TIMESTAMP")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT CURRENT_TIMESTAMP"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "now()AT TIME ZONE'utc'")),
                pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT now() AT TIME ZONE 'utc'"));
    }

    private static Ddl alter(String column, ColumnChange change, String value) {
        return new Ddl.AlterColumn(n("t"), column, change, value);
    }

    @Test
    void stringsQuotesAndDollarQuoting() {
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "it's")), pg("ALTER TYPE \"R\" ADD VALUE E'it\\'s'"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "a\\b")), pg("ALTER TYPE \"R\" ADD VALUE 'a\\b'"), "no backslash escapes in a plain string");
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "it's")), pg("ALTER TYPE \"R\" ADD VALUE 'it''s'"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "x")), pg("ALTER TYPE \"R\" ADD VALUE e'x'"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "it's")), pg("ALTER TYPE \"R\" ADD VALUE e'it\\'s'"));
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "abc\\")), pg("ALTER TYPE \"R\" ADD VALUE E'abc\\"), "a backslash at the very end stays");
        assertEquals(List.of(new Ddl.AddEnumValue(n("R"), "abc")), pg("ALTER TYPE \"R\" ADD VALUE 'abc"), "an unterminated string runs to the end");
        assertEquals(unknown("not understood: expected a string"), pg("ALTER TYPE \"R\" ADD VALUE E 'x'"), "E and the string apart: not an escape string");
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "'a''b'")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $$a'b$$"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "'a$$b'")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $q$a$$b$q$"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "'open'")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $$open"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "$1")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $1"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "$")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "'v'")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT $_x$v$_x$"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "1:")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT 1:"));
        assertEquals(List.of(alter("c", ColumnChange.SET_DEFAULT, "x[1:2]")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" SET DEFAULT x[1:2]"));
        assertEquals(List.of(alter("c", ColumnChange.TYPE, "TEXT")), pg("ALTER TABLE \"t\" ALTER COLUMN \"c\" TYPE TEXT"));
        assertEquals(List.of(new Ddl.CreateTable(n("a\"b"))), pg("CREATE TABLE \"a\"\"b\" (x int)"));
        assertEquals(List.of(new Ddl.CreateTable(n("a`b"))), my("CREATE TABLE `a``b` (x int)"));
        assertEquals(List.of(new Ddl.CreateTable(n("open"))), pg("CREATE TABLE \"open"), "an unterminated name runs to the end");
        assertEquals(unknown("not understood: expected a name, found 't'"), my("CREATE TABLE \"t\""), "MySQL: a double-quoted word is a string, not a name");
        assertEquals(List.of(new Ddl.CreateTable(n("MixedCase"))), my("CREATE TABLE MixedCase (x int)"), "MySQL keeps the case");
        assertEquals(List.of(new Ddl.CreateTable(n("t$1"))), pg("CREATE TABLE t$1 (x int)"));
        assertEquals(List.of(new Ddl.ModifyColumn(n("t"), "c", "ENUM('it''s')", false)), my("ALTER TABLE `t` MODIFY `c` ENUM('it\\'s')"),
                "MySQL strings know backslashes");
    }

    @Test
    void inputThatEndsEarly() {
        assertEquals(unknown("not understood: unexpected end"), pg("ALTER TABLE \"t\" RENAME"));
        assertEquals(unknown("not understood: unexpected end"), pg("ALTER TABLE"));
        assertEquals(unknown("not understood: unexpected end"), my("RENAME TABLE `a` TO"));
        assertEquals(List.of(new Ddl.RenameTable(n("t"), "a")), pg("ALTER TABLE \"t\" RENAME \"a\""));
        assertEquals(List.of(new Ddl.RenameColumn(n("t"), "a", "b")), pg("ALTER TABLE \"t\" RENAME \"a\" TO \"b\""));
        assertEquals(List.of(new Ddl.RenameColumn(n("t"), "a", "b")), pg("ALTER TABLE t RENAME a TO b"));
        assertEquals(List.of(new Ddl.RenameTable(n("t"), "b")), pg("ALTER TABLE \"t\" RENAME TO \"b\""));
        assertEquals(unknown("not understood: expected a name, found '('"), pg("CREATE TABLE (x int)"));
        assertEquals(List.of(new Ddl.CreateTable(n("t"))), pg("CREATE TABLE \"t\";"));
    }
}
