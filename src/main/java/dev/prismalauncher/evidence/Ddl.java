package dev.prismalauncher.evidence;

/**
 * What one statement (or one clause of an ALTER TABLE) does to the schema, in the forms Prisma
 * generates. Names are as the database stores them (PostgreSQL folds unquoted names to lower case).
 */
public sealed interface Ddl {

    /** A possibly schema-qualified name; schema null means the connection's default. */
    record Name(String schema, String name) {
        @Override
        public String toString() {
            return schema == null ? name : schema + "." + name;
        }
    }

    record CreateTable(Name table) implements Ddl {}

    record DropTable(Name table) implements Ddl {}

    record RenameTable(Name from, String to) implements Ddl {}

    record AddColumn(Name table, String column, boolean notNull) implements Ddl {}

    record DropColumn(Name table, String column) implements Ddl {}

    enum ColumnChange { SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT, TYPE }

    /** PostgreSQL ALTER COLUMN; value is the type or the default expression as written, else null. */
    record AlterColumn(Name table, String column, ColumnChange change, String value) implements Ddl {}

    record RenameColumn(Name table, String from, String to) implements Ddl {}

    /** name null: MySQL's unnamed PRIMARY KEY. kind: PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK. */
    record AddConstraint(Name table, String name, String kind) implements Ddl {}

    record DropConstraint(Name table, String name, String kind) implements Ddl {}

    /** table null only where the database does not say (never for Prisma's CREATE INDEX). */
    record CreateIndex(Name table, String name, boolean unique) implements Ddl {}

    /** PostgreSQL: table null, the index's schema in name; MySQL: DROP INDEX name ON table. */
    record DropIndex(Name table, Name name) implements Ddl {}

    record RenameIndex(Name table, Name from, String to) implements Ddl {}

    record CreateEnum(Name type) implements Ddl {}

    record AddEnumValue(Name type, String value) implements Ddl {}

    record CreateExtension(String name) implements Ddl {}

    record CreateSchema(String name) implements Ddl {}

    /** MySQL MODIFY [COLUMN] (and CHANGE with the same name): type as written. */
    record ModifyColumn(Name table, String column, String type, boolean notNull) implements Ddl {}

    /** MySQL CHANGE [COLUMN] old new type. */
    record ChangeColumn(Name table, String from, String to, String type, boolean notNull) implements Ddl {}

    /** INSERT, UPDATE, DELETE, SELECT...: no evidence of whether it ran. */
    record Data(String verb) implements Ddl {}

    /** BEGIN, COMMIT, ...: no evidence, and the trial must never run it (a COMMIT would make it real). */
    record TransactionControl(String verb) implements Ddl {}

    record Unknown(String why) implements Ddl {}
}
