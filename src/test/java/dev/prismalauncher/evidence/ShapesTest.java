package dev.prismalauncher.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Catalog;
import dev.prismalauncher.evidence.Ddl.Name;
import dev.prismalauncher.evidence.Evidence.Found;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's shapes as pure functions: what the parser reads of each form (its spec), and each
 * comparison given what the catalog returned. EvidenceTest and ProofIT check the same against the
 * real servers' catalogs.
 */
class ShapesTest {
    private static final Effect P = Effect.PRESENT;
    private static final Effect A = Effect.ABSENT;
    private static final Effect C = Effect.CONFLICT;
    private static final Effect N = Effect.NO_EVIDENCE;
    private static final Name USER = new Name(null, "User");

    private static Ddl pg(String sql) {
        return StatementParser.parse(sql, Provider.POSTGRESQL).getFirst();
    }

    private static Ddl my(String sql) {
        return StatementParser.parse(sql, Provider.MYSQL).getFirst();
    }

    // --- what the parser reads ---

    @Test
    void createTableReadsColumnsAndItsNamedParts() {
        Ddl.CreateTable t = (Ddl.CreateTable) pg("CREATE TABLE \"Post\" (\n \"id\" SERIAL NOT NULL,\n \"title\" VARCHAR(191) NOT NULL DEFAULT 'x',\n"
                + " \"at\" TIMESTAMP(3) WITH TIME ZONE,\n CONSTRAINT \"Post_pkey\" PRIMARY KEY (\"id\")\n)");
        assertEquals(List.of(new Ddl.ColumnSpec("id", "SERIAL", true, null, false, List.of()),
                new Ddl.ColumnSpec("title", "VARCHAR(191)", true, "'x'", false, List.of()),
                new Ddl.ColumnSpec("at", "TIMESTAMP(3) WITH TIME ZONE", false, null, false, List.of())), t.spec().columns());
        assertEquals(List.of(new Ddl.AddConstraint(new Name(null, "Post"), "Post_pkey", "PRIMARY KEY",
                new Ddl.ConstraintSpec(List.of("id"), null, null, null, null, null, false, List.of()))), t.spec().parts());
        assertEquals(List.of(), t.spec().uncompared());
        Ddl.CreateTable m = (Ddl.CreateTable) my("CREATE TABLE `T` (`id` INTEGER NOT NULL AUTO_INCREMENT, `role` ENUM('USER', 'ADMIN') NOT NULL"
                + " DEFAULT 'USER', UNIQUE INDEX `T_role_key`(`role`), PRIMARY KEY (`id`)) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        assertEquals(new Ddl.ColumnSpec("id", "INTEGER", true, null, true, List.of()), m.spec().columns().get(0));
        assertEquals(new Ddl.ColumnSpec("role", "ENUM('USER','ADMIN')", true, "'USER'", false, List.of()), m.spec().columns().get(1),
                "a type with commas inside its parentheses is read whole");
        assertEquals(new Ddl.CreateIndex(new Name(null, "T"), "T_role_key", true, new Ddl.IndexSpec(null, List.of("role"), null, List.of())),
                m.spec().parts().get(0));
        assertEquals("PRIMARY KEY", ((Ddl.AddConstraint) m.spec().parts().get(1)).kind());
        assertEquals(List.of("an unnamed UNIQUE item"), ((Ddl.CreateTable) pg("CREATE TABLE t (a int, UNIQUE (a))")).spec().uncompared());
        assertEquals(List.of("table options (PARTITION ...)"), ((Ddl.CreateTable) pg("CREATE TABLE t (a int) PARTITION BY RANGE (a)")).spec().uncompared());
        assertNull(((Ddl.CreateTable) pg("CREATE TABLE t AS SELECT 1")).spec(), "CREATE TABLE AS: the name only, which proves nothing");
        Ddl.CreateTable inline = (Ddl.CreateTable) pg("CREATE TABLE t (id SERIAL PRIMARY KEY, c TEXT COLLATE \"C\")");
        assertEquals(new Ddl.ColumnSpec("id", "SERIAL", true, null, false, List.of()), inline.spec().columns().getFirst());
        assertEquals(null, ((Ddl.AddConstraint) inline.spec().parts().getFirst()).name(), "an inline PRIMARY KEY: the table's primary key");
        assertEquals(List.of("COLLATE"), inline.spec().columns().get(1).uncompared());
    }

    @Test
    void columnsReadTheirTypeNullabilityDefaultAndWhatIsNotCompared() {
        assertEquals(new Ddl.ColumnSpec("sshPort", "INT", true, "22", false, List.of()), ((Ddl.AddColumn) my("ALTER TABLE `S` ADD COLUMN `sshPort` INT NOT NULL DEFAULT 22")).spec());
        assertEquals(new Ddl.ColumnSpec("c", "DOUBLE PRECISION", false, null, false, List.of()), ((Ddl.AddColumn) pg("ALTER TABLE t ADD COLUMN c DOUBLE PRECISION NULL")).spec());
        assertEquals(new Ddl.ColumnSpec("c", "TEXT", false, null, false, List.of()), ((Ddl.AddColumn) pg("ALTER TABLE t ADD COLUMN c TEXT DEFAULT NULL")).spec(),
                "DEFAULT NULL is no default");
        assertEquals(new Ddl.ColumnSpec("c", "TEXT[]", true, "ARRAY[]::TEXT[]", false, List.of()),
                ((Ddl.AddColumn) pg("ALTER TABLE t ADD COLUMN c TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[]")).spec());
        assertEquals(new Ddl.ColumnSpec("u", "DATETIME(3)", true, null, false, List.of("ON")),
                ((Ddl.AddColumn) my("ALTER TABLE t ADD COLUMN u DATETIME(3) NOT NULL ON UPDATE CURRENT_TIMESTAMP(3)")).spec());
        assertEquals(new Ddl.ColumnSpec("g", "INT", false, null, false, List.of("GENERATED", "AS")),
                ((Ddl.AddColumn) pg("ALTER TABLE t ADD COLUMN g INT GENERATED ALWAYS AS (1) STORED")).spec());
        assertEquals(new Ddl.ColumnSpec("n", "VARCHAR(10)", true, "'a'", false, List.of("CHARACTER")),
                ((Ddl.ModifyColumn) my("ALTER TABLE t MODIFY n VARCHAR(10) CHARACTER SET latin1 NOT NULL DEFAULT 'a'")).spec());
        assertEquals(new Ddl.ModifyColumn(new Name(null, "t"), "r", "ENUM('A','B')", true), my("ALTER TABLE t MODIFY r ENUM('A', 'B') NOT NULL").identity(),
                "issue 18: MODIFY's type is read past the commas inside ENUM(...)");
    }

    @Test
    void indexesReadTheirMethodKeysAndPredicate() {
        assertEquals(new Ddl.IndexSpec(null, List.of("a", "b DESC", "c NULLS FIRST"), null, List.of()),
                ((Ddl.CreateIndex) pg("CREATE INDEX i ON t (a ASC, b DESC, c NULLS FIRST)")).spec());
        assertEquals(new Ddl.IndexSpec(null, List.of("b DESC"), null, List.of()),
                ((Ddl.CreateIndex) pg("CREATE INDEX i ON t (b DESC NULLS FIRST)")).spec(), "a direction's default NULLS is not written");
        assertEquals(new Ddl.IndexSpec("gin", null, null, List.of("a key that is an expression or has an operator class")),
                ((Ddl.CreateIndex) pg("CREATE INDEX i ON t USING GIN (\"data\" jsonb_path_ops)")).spec());
        assertEquals(new Ddl.IndexSpec(null, null, null, List.of("a key that is an expression or has an operator class")),
                ((Ddl.CreateIndex) pg("CREATE INDEX i ON t ((lower(a)))")).spec());
        assertEquals(new Ddl.IndexSpec(null, List.of("a"), "\"deleted\" IS NULL", List.of()),
                ((Ddl.CreateIndex) pg("CREATE UNIQUE INDEX i ON t (a) WHERE \"deleted\" IS NULL")).spec());
        assertEquals(new Ddl.IndexSpec(null, List.of("a"), null, List.of("INCLUDE")), ((Ddl.CreateIndex) pg("CREATE INDEX i ON t (a) INCLUDE (b)")).spec());
        assertEquals(new Ddl.IndexSpec(null, List.of("name(191)", "b DESC"), null, List.of()),
                ((Ddl.CreateIndex) my("CREATE INDEX `i` ON `t`(`name`(191), `b` DESC)")).spec());
        assertEquals(new Ddl.IndexSpec("FULLTEXT", List.of("body"), null, List.of()), ((Ddl.CreateIndex) my("CREATE FULLTEXT INDEX `i` ON `t`(`body`)")).spec());
        assertEquals(new Ddl.IndexSpec("FULLTEXT", List.of("body"), null, List.of()),
                ((Ddl.CreateIndex) my("ALTER TABLE `t` ADD FULLTEXT INDEX `i`(`body`)")).spec());
        assertInstanceOf(Ddl.Conditional.class, pg("CREATE INDEX IF NOT EXISTS i ON t (a)"));
    }

    @Test
    void constraintsReadTheirColumnsReferencesActionsCheckAndValidity() {
        assertEquals(new Ddl.ConstraintSpec(List.of("authorId"), new Name(null, "User"), List.of("id"), "RESTRICT", "CASCADE", null, false, List.of()),
                ((Ddl.AddConstraint) pg("ALTER TABLE \"Post\" ADD CONSTRAINT \"f\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE")).spec());
        assertEquals(new Ddl.ConstraintSpec(List.of("a"), new Name("s", "u"), null, "SET NULL", "NO ACTION", null, true, List.of()),
                ((Ddl.AddConstraint) pg("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES s.u ON DELETE SET NULL ON UPDATE NO ACTION NOT VALID")).spec());
        assertEquals(new Ddl.ConstraintSpec(null, null, null, null, null, "\"n\">=0", false, List.of()),
                ((Ddl.AddConstraint) pg("ALTER TABLE t ADD CONSTRAINT c CHECK (\"n\" >= 0)")).spec());
        assertEquals(List.of("DEFERRABLE"), ((Ddl.AddConstraint) pg("ALTER TABLE t ADD CONSTRAINT u UNIQUE (a) DEFERRABLE")).spec().uncompared());
        assertEquals(List.of("a"), ((Ddl.AddConstraint) my("ALTER TABLE `t` ADD CONSTRAINT `u` UNIQUE INDEX `u`(`a`)")).spec().columns());
    }

    @Test
    void ifExistsFormsAndSetAreMarked() {
        assertInstanceOf(Ddl.Conditional.class, pg("CREATE EXTENSION IF NOT EXISTS \"citext\""));
        assertInstanceOf(Ddl.Conditional.class, pg("DROP INDEX IF EXISTS \"i\""));
        assertInstanceOf(Ddl.Conditional.class, pg("ALTER TABLE t ADD COLUMN IF NOT EXISTS c INT"));
        assertInstanceOf(Ddl.Conditional.class, pg("ALTER TABLE IF EXISTS t ADD COLUMN c INT"));
        assertInstanceOf(Ddl.Conditional.class, my("DROP TABLE IF EXISTS `t`"));
        assertInstanceOf(Ddl.AddColumn.class, pg("ALTER TABLE t ADD COLUMN c INT"));
        assertEquals(new Ddl.Session("SET"), my("SET FOREIGN_KEY_CHECKS = 0"));
    }

    // --- the comparisons ---

    @Test
    void conditionalFormsProveOnlyAbsence() {
        Ddl.Conditional d = new Ddl.Conditional(new Ddl.CreateExtension("citext"));
        assertEquals(N, Evidence.conditional(d, new Found(P, "extension citext exists")).effect());
        assertTrue(Evidence.conditional(d, new Found(P, "extension citext exists")).why().contains("may predate the migration"));
        assertEquals(A, Evidence.conditional(d, new Found(A, "x")).effect());
        assertEquals(C, Evidence.conditional(d, new Found(C, "x")).effect());
        assertEquals(N, Evidence.conditional(d, new Found(N, "x")).effect());
    }

    @Test
    void anIndexIsPresentOnlyWithItsWholeShape() {
        Ddl.CreateIndex unique = (Ddl.CreateIndex) pg("CREATE UNIQUE INDEX \"User_email_key\" ON \"User\"(\"email\")");
        Catalog.Index same = new Catalog.Index("User", true, false, "btree", List.of("email"), null, true, "CREATE UNIQUE INDEX ...");
        assertEquals(P, Evidence.indexFound(unique, same, true, false).effect());
        assertEquals(A, Evidence.indexFound(unique, null, true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", false, false, "btree", List.of("email"), null, true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", true, false, "btree", List.of("email"), null, false, "d"), true, false).effect(),
                "INVALID");
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("Post", true, false, "btree", List.of("email"), null, true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", true, false, "hash", List.of("email"), null, true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", true, false, "btree", List.of("email DESC"), null, true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", true, false, "btree", List.of("email", "id"), null, true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(unique, new Catalog.Index("User", true, false, "btree", List.of("email"), "(id > 0)", true, "d"), true, false).effect());
        assertEquals(N, Evidence.indexFound(unique, same, true, true).effect(), "a later statement changes it");
        Ddl.CreateIndex partial = (Ddl.CreateIndex) pg("CREATE INDEX i ON \"User\" (\"email\") WHERE \"deleted\" IS NULL");
        assertEquals(P, Evidence.indexFound(partial, new Catalog.Index("User", false, false, "btree", List.of("email"), "(deleted IS NULL)", true, "d"), true, false).effect());
        assertEquals(C, Evidence.indexFound(partial, new Catalog.Index("User", false, false, "btree", List.of("email"), "(deleted IS NOT NULL)", true, "d"), true, false).effect());
        Ddl.CreateIndex expression = (Ddl.CreateIndex) pg("CREATE INDEX i ON \"User\" ((lower(\"email\")))");
        assertEquals(N, Evidence.indexFound(expression, new Catalog.Index("User", false, false, "btree", java.util.Arrays.asList((String) null), null, true, "d"),
                true, false).effect());
        Ddl.CreateIndex mysql = (Ddl.CreateIndex) my("CREATE INDEX `i` ON `User`(`name`)");
        assertEquals(P, Evidence.indexFound(mysql, new Catalog.Index("User", false, false, "BTREE", List.of("name"), null, true, "d"), false, false).effect());
        assertEquals(C, Evidence.indexFound(mysql, new Catalog.Index("User", false, false, "BTREE", List.of("name(10)"), null, true, "d"), false, false).effect());
        Found shown = Evidence.indexFound(unique, new Catalog.Index("User", false, false, "btree", List.of("email"), null, true,
                "CREATE INDEX \"User_email_key\" ON public.\"User\" USING btree (email)"), true, false);
        assertEquals("index User_email_key exists with another shape: found CREATE INDEX \"User_email_key\" ON public.\"User\" USING btree (email),"
                + " expected UNIQUE, found not unique", shown.why());
    }

    @Test
    void aConstraintIsPresentOnlyWithItsDefinitionValidated() {
        Ddl.AddConstraint fk = (Ddl.AddConstraint) pg("ALTER TABLE \"Post\" ADD CONSTRAINT \"f\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\") ON DELETE RESTRICT ON UPDATE CASCADE");
        Catalog.Constraint same = new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "User", List.of("id"), "RESTRICT", "CASCADE", null, true, false, "d");
        assertEquals(P, Evidence.constraintFound(fk, same, true, false).effect());
        assertEquals(A, Evidence.constraintFound(fk, null, true, false).effect());
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "User", List.of("id"), "CASCADE", "CASCADE",
                null, true, false, "d"), true, false).effect());
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "User", List.of("id"), "RESTRICT", "NO ACTION",
                null, true, false, "d"), true, false).effect());
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "User", List.of("id"), "RESTRICT", "CASCADE",
                null, false, false, "d"), true, false).effect(), "NOT VALID");
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "Person", List.of("id"), "RESTRICT", "CASCADE",
                null, true, false, "d"), true, false).effect());
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("other"), "public", "User", List.of("id"), "RESTRICT", "CASCADE",
                null, true, false, "d"), true, false).effect());
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "public", "User", List.of("id"), "RESTRICT", "CASCADE",
                null, true, true, "d"), true, false).effect(), "DEFERRABLE");
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("UNIQUE", List.of("authorId"), null, null, List.of(), null, null, null, true, false, "d"),
                true, false).effect());
        // MySQL: RESTRICT and NO ACTION are one; PostgreSQL: they are not
        Ddl.AddConstraint unsaid = (Ddl.AddConstraint) pg("ALTER TABLE \"Post\" ADD CONSTRAINT \"f\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\")");
        Catalog.Constraint restrict = new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "db", "User", List.of("id"), "RESTRICT", "RESTRICT", null, true, false, "d");
        assertEquals(P, Evidence.constraintFound(unsaid, restrict, false, false).effect());
        assertEquals(C, Evidence.constraintFound(unsaid, restrict, true, false).effect());
        Ddl.AddConstraint check = (Ddl.AddConstraint) pg("ALTER TABLE t ADD CONSTRAINT c CHECK (\"n\" >= 0)");
        assertEquals(P, Evidence.constraintFound(check, new Catalog.Constraint("CHECK", List.of("n"), null, null, List.of(), null, null, "(n >= 0)", true, false, "d"), true, false).effect());
        assertEquals(C, Evidence.constraintFound(check, new Catalog.Constraint("CHECK", List.of("n"), null, null, List.of(), null, null, "(n >= 1)", true, false, "d"), true, false).effect());
        Ddl.AddConstraint notValid = (Ddl.AddConstraint) pg("ALTER TABLE t ADD CONSTRAINT c CHECK (\"n\" >= 0) NOT VALID");
        assertEquals(P, Evidence.constraintFound(notValid, new Catalog.Constraint("CHECK", List.of("n"), null, null, List.of(), null, null, "(n >= 0)", false, false, "d"), true, false).effect());
        assertEquals(N, Evidence.constraintFound(check, new Catalog.Constraint("CHECK", List.of("n"), null, null, List.of(), null, null, "(n >= 1)", true, false, "d"), true, true).effect(),
                "a later statement changes it");
    }

    @Test
    void anEnumIsPresentOnlyWithItsLabelsInOrder() {
        Ddl.CreateEnum role = (Ddl.CreateEnum) pg("CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN')");
        assertEquals(List.of("USER", "ADMIN"), role.labels());
        Evidence.Later none = Evidence.Later.NONE;
        assertEquals(P, Evidence.enumFound(role, List.of("USER", "ADMIN"), none).effect());
        assertEquals(A, Evidence.enumFound(role, null, none).effect());
        assertEquals(C, Evidence.enumFound(role, List.of("ADMIN", "USER"), none).effect());
        assertEquals(C, Evidence.enumFound(role, List.of("USER"), none).effect());
        assertEquals(C, Evidence.enumFound(role, List.of("USER", "ADMIN", "OWNER"), none).effect());
        Evidence.Later adds = new Evidence.Later(Map.of("enum:Role", Set.of("labels")));
        assertEquals(P, Evidence.enumFound(role, List.of("USER", "OWNER", "ADMIN"), adds).effect(), "a later ADD VALUE may put labels between");
        assertEquals(C, Evidence.enumFound(role, List.of("ADMIN", "OWNER", "USER"), adds).effect());
    }

    @Test
    void aLaterStatementOfTheSameMigrationExcusesWhatItChanges() {
        Ddl.AddColumn add = (Ddl.AddColumn) pg("ALTER TABLE \"User\" ADD COLUMN \"email\" TEXT");
        Catalog.Column notNull = new Catalog.Column(false, "text", null);
        assertEquals(C, Evidence.addedColumn(add, notNull, true, Evidence.Later.NONE).effect());
        List<Evidence.Parsed> script = List.of(new Evidence.Parsed(1, "ADD", List.of(add)),
                new Evidence.Parsed(2, "UPDATE", List.of(new Ddl.Data("UPDATE"))),
                new Evidence.Parsed(3, "SET NOT NULL", List.of(new Ddl.AlterColumn(USER, "email", Ddl.ColumnChange.SET_NOT_NULL, null))));
        Evidence.Later later = Evidence.Later.after(script, 0);
        assertTrue(later.changes("User.email", "nullability"));
        assertEquals(P, Evidence.addedColumn(add, notNull, true, later).effect());
        assertEquals(C, Evidence.addedColumn(add, new Catalog.Column(false, "integer", null), true, later).effect(), "its type is still compared");
        assertTrue(Evidence.Later.after(script, 2).touched().isEmpty(), "nothing after the last statement");
        assertTrue(Evidence.Later.after(List.of(new Evidence.Parsed(1, "a", List.of(add)), new Evidence.Parsed(2, "pk", List.of(pg(
                "ALTER TABLE \"User\" ADD CONSTRAINT \"User_pkey\" PRIMARY KEY (\"email\")")))), 0).changes("User.email", "nullability"),
                "a primary key makes its columns NOT NULL");
    }

    @Test
    void defaultsWithCastsAsPostgresStoresThem() {
        assertTrue(TypeNames.sameDefault("ARRAY['a'::text]", "ARRAY['a']::TEXT[]"), "one trailing cast to the column's type");
        assertTrue(TypeNames.sameDefault("'{}'::jsonb", "'{}'::JSONB"));
        assertTrue(!TypeNames.sameDefault("ARRAY['b'::text]", "ARRAY['a']::TEXT[]"));
        assertTrue(!TypeNames.sameDefault("'a'::text", "'a'::text::x"), "two casts written: the value may change");
    }

    @Test
    void aSerialColumnIsAnIntegerWithItsSequenceDefault() {
        Ddl.ColumnSpec serial = new Ddl.ColumnSpec("id", "SERIAL", false, null, false, List.of());
        assertEquals(List.of(), Evidence.columnDifferences(serial, new Catalog.Column(false, "integer", "nextval('\"T_id_seq\"'::regclass)"), true, Set.of()));
        assertEquals(List.of("default expected nextval(...) (SERIAL), found none"),
                Evidence.columnDifferences(serial, new Catalog.Column(false, "integer", null), true, Set.of()));
        assertEquals(List.of("type expected SERIAL, found bigint"),
                Evidence.columnDifferences(serial, new Catalog.Column(false, "bigint", "nextval('s'::regclass)"), true, Set.of()));
        assertEquals(List.of("expected NOT NULL, found NULL"),
                Evidence.columnDifferences(serial, new Catalog.Column(true, "integer", "nextval('s'::regclass)"), true, Set.of()));
        assertEquals(List.of("found identity always, not in migration.sql"), Evidence.columnDifferences(
                new Ddl.ColumnSpec("id", "INTEGER", true, null, false, List.of()), new Catalog.Column(false, "integer", null, "identity always"), true, Set.of()));
        assertEquals(List.of("type geometry(Point, 4326) cannot be compared (found geometry(Point,4326))"), Evidence.columnDifferences(
                new Ddl.ColumnSpec("d", "geometry(Point, 4326)", false, null, false, List.of()), new Catalog.Column(true, "geometry(Point,4326)", null), true, Set.of()));
    }

    @Test
    void mysqlTheFailingStatementsBoundsAndAllInertScripts() {
        List<String> lines = List.of("S1", "S2", "S3");
        // the row names the last statement: everything before it must be shown undone
        Evidence.Facts last = new Evidence.Facts(lines, List.of(A, A, A), List.of(false, false, false), 3, null);
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.MYSQL, last, false, false, () -> null).decision());
        Evidence.Facts lastData = new Evidence.Facts(lines, List.of(N, A, A), List.of(false, false, false), 3, null);
        assertEquals(Decision.MIXED, Evidence.decide("m", Provider.MYSQL, lastData, false, false, () -> null).decision());
        // a number out of range is no number: inferred from the first statement instead
        for (int wrong : new int[] {0, 4, -1}) {
            Evidence.Facts out = new Evidence.Facts(lines, List.of(N, A, A), List.of(false, false, false), wrong, null);
            assertEquals(Decision.CANNOT_TELL, Evidence.decide("m", Provider.MYSQL, out, false, false, () -> null).decision(), "query number " + wrong);
        }
        Evidence.Facts first = new Evidence.Facts(lines, List.of(A, N, A), List.of(false, false, false), 1, null);
        assertEquals(Decision.ROLLED_BACK, Evidence.decide("m", Provider.MYSQL, first, false, false, () -> null).decision());
        assertTrue(Evidence.decide("m", Provider.MYSQL, first, false, false, () -> null).reasons().getFirst()
                .contains("Prisma's failed row names statement 1 (S1) as the one that failed"));
        Evidence.Facts inertThenAbsent = new Evidence.Facts(List.of("SET", "SET", "ALTER"), List.of(N, N, A), List.of(true, true, false), null, null);
        assertTrue(Evidence.decide("m", Provider.MYSQL, inertThenAbsent, false, false, () -> null).reasons().getFirst()
                .contains("statement 3 (ALTER) is the first to change anything"));
    }

    @Test
    void refusalsNameAtMostFiveStatements() {
        List<String> lines = List.of("S1", "S2", "S3", "S4", "S5", "S6", "S7");
        Evidence.Facts six = new Evidence.Facts(lines, List.of(P, N, N, N, N, N, N), java.util.Collections.nCopies(7, false), null, null);
        String reason = Evidence.decide("m", Provider.POSTGRESQL, six, true, false, () -> null).reasons().getFirst();
        assertTrue(reason.contains("statement 6 (S6) and 1 more"), reason);
        Evidence.Facts five = new Evidence.Facts(lines.subList(0, 6), List.of(P, N, N, N, N, N), java.util.Collections.nCopies(6, false), null, null);
        String shown = Evidence.decide("m", Provider.POSTGRESQL, five, true, false, () -> null).reasons().getFirst();
        assertTrue(shown.contains("statement 6 (S6) (data changes") && !shown.contains("more"), shown);
    }

    @Test
    void mysqlAutoIncrementAndTypesWithoutPostgresRules() {
        Ddl.ColumnSpec auto = new Ddl.ColumnSpec("id", "INT", true, null, true, List.of());
        Ddl.ColumnSpec plain = new Ddl.ColumnSpec("id", "INT", true, null, false, List.of());
        assertEquals(List.of(), Evidence.columnDifferences(auto, new Catalog.Column(false, "int(11)", null, "auto_increment"), false, Set.of()));
        assertEquals(List.of("expected AUTO_INCREMENT, found none"), Evidence.columnDifferences(auto, new Catalog.Column(false, "int(11)", null), false, Set.of()));
        assertEquals(List.of("found AUTO_INCREMENT, not in migration.sql"),
                Evidence.columnDifferences(plain, new Catalog.Column(false, "int(11)", null, "auto_increment"), false, Set.of()));
        assertEquals(List.of("found on update current_timestamp(3), not in migration.sql"), Evidence.columnDifferences(
                new Ddl.ColumnSpec("u", "DATETIME(3)", true, null, false, List.of()), new Catalog.Column(false, "datetime(3)", null, "on update current_timestamp(3)"),
                false, Set.of()));
        assertEquals(List.of("type expected SERIAL, found bigint(20) unsigned"), Evidence.columnDifferences(new Ddl.ColumnSpec("s", "SERIAL", true, null, false,
                List.of()), new Catalog.Column(false, "bigint(20) unsigned", null), false, Set.of()), "SERIAL is PostgreSQL's rule only");
        assertEquals(List.of("type null cannot be compared (found text)"), Evidence.columnDifferences(new Ddl.ColumnSpec("t", null, false, null, false, List.of()),
                new Catalog.Column(true, "text", null), true, Set.of()));
    }

    @Test
    void mysqlDefaultsKeysAndActionsAsInformationSchemaPrintsThem() {
        assertTrue(TypeNames.sameMySqlDefault("-1", "-1"));
        assertTrue(!TypeNames.sameMySqlDefault("1", "-1"));
        assertTrue(TypeNames.sameMySqlDefault("1", "true"));
        assertTrue(!TypeNames.sameMySqlDefault("0", "true"));
        assertTrue(TypeNames.sameMySqlDefault("current_timestamp()", "CURRENT_TIMESTAMP"), "MariaDB prints CURRENT_TIMESTAMP with parentheses");
        assertTrue(!TypeNames.sameMySqlDefault("current_timestamp(3)", "CURRENT_TIMESTAMP(6)"));
        assertTrue(!TypeNames.sameMySqlDefault("uuid()", "now()"));
        Ddl.AddConstraint fk = (Ddl.AddConstraint) my("ALTER TABLE `Post` ADD CONSTRAINT `f` FOREIGN KEY (`authorId`) REFERENCES `User`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE");
        Catalog.Constraint noAction = new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "db", "User", List.of("id"), "NO ACTION", "CASCADE", null, true, false, "d");
        assertEquals(P, Evidence.constraintFound(fk, noAction, false, false).effect(), "MySQL: RESTRICT is NO ACTION");
        assertEquals(C, Evidence.constraintFound(fk, noAction, true, false).effect(), "PostgreSQL: it is not");
        assertEquals(C, Evidence.constraintFound(fk, new Catalog.Constraint("FOREIGN KEY", List.of("authorId"), "db", "User", List.of("uid"), "RESTRICT", "CASCADE",
                null, true, false, "d"), false, false).effect(), "other referenced columns");
        Ddl.AddConstraint unique = (Ddl.AddConstraint) my("ALTER TABLE `User` ADD CONSTRAINT `u` UNIQUE (`name`(191))");
        Catalog.Constraint byName = new Catalog.Constraint("UNIQUE", List.of("name"), null, null, List.of(), null, null, null, true, false, "d");
        assertEquals(P, Evidence.constraintFound(unique, byName, false, false).effect(), "a prefix length is the index's, not the constraint's columns");
        assertEquals(C, Evidence.constraintFound(unique, byName, true, false).effect());
        List<Evidence.Parsed> script = List.of(new Evidence.Parsed(1, "a", List.of(pg("ALTER TABLE t ADD CONSTRAINT c CHECK (n > 0)"))),
                new Evidence.Parsed(2, "b", List.of(pg("ALTER TABLE t ADD CONSTRAINT c CHECK (n > 1)"))));
        assertTrue(Evidence.Later.after(script, 0).changes("constraint:t.c", "all"), "a later ADD CONSTRAINT of that name");
    }
}
