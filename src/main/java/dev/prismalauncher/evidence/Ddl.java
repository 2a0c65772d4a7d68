package dev.prismalauncher.evidence;

import java.util.List;

/**
 * What one statement (or one clause of an ALTER TABLE) does to the schema, in the forms Prisma
 * generates. Names are as the database stores them (PostgreSQL folds unquoted names to lower case).
 * Forms that create something carry its expected shape (a spec), compared with what the catalog
 * renders: a name alone is never proof.
 */
public sealed interface Ddl {

    /** The statement's target without its expected shape (what it touches, not what it makes). */
    default Ddl identity() {
        return this;
    }

    /** A possibly schema-qualified name; schema null means the connection's default. */
    record Name(String schema, String name) {
        @Override
        public String toString() {
            return schema == null ? name : schema + "." + name;
        }
    }

    /**
     * A column as written. type is the type words as written; defaultValue the default expression
     * as written (null: none); uncompared names what the evidence cannot compare (GENERATED,
     * COLLATE, inline REFERENCES/CHECK...), which makes the column's presence unprovable.
     */
    record ColumnSpec(String name, String type, boolean notNull, String defaultValue, boolean autoIncrement, List<String> uncompared) {
        public ColumnSpec {
            uncompared = List.copyOf(uncompared);
        }
    }

    /**
     * The columns as written, in order; parts: its named keys, constraints and (MySQL) indexes, as
     * the clauses that would add them; uncompared: table options and items the evidence does not compare.
     */
    record TableSpec(List<ColumnSpec> columns, List<Ddl> parts, List<String> uncompared) {
        public TableSpec {
            columns = List.copyOf(columns);
            parts = List.copyOf(parts);
            uncompared = List.copyOf(uncompared);
        }
    }

    record CreateTable(Name table, TableSpec spec) implements Ddl {
        public CreateTable(Name table) {
            this(table, null);
        }

        @Override
        public Ddl identity() {
            return new CreateTable(table);
        }
    }

    record DropTable(Name table) implements Ddl {}

    record RenameTable(Name from, String to) implements Ddl {}

    record AddColumn(Name table, String column, boolean notNull, ColumnSpec spec) implements Ddl {
        public AddColumn(Name table, String column, boolean notNull) {
            this(table, column, notNull, null);
        }

        @Override
        public Ddl identity() {
            return new AddColumn(table, column, notNull);
        }
    }

    record DropColumn(Name table, String column) implements Ddl {}

    enum ColumnChange { SET_NOT_NULL, DROP_NOT_NULL, SET_DEFAULT, DROP_DEFAULT, TYPE }

    /** PostgreSQL ALTER COLUMN; value is the type or the default expression as written, else null. */
    record AlterColumn(Name table, String column, ColumnChange change, String value) implements Ddl {}

    record RenameColumn(Name table, String from, String to) implements Ddl {}

    /**
     * A constraint as written: columns (PRIMARY KEY, UNIQUE, FOREIGN KEY), the referenced table and
     * columns and ON DELETE / ON UPDATE actions (FOREIGN KEY), the expression's text (CHECK), and
     * whether it is NOT VALID; uncompared names the options the evidence does not compare.
     */
    record ConstraintSpec(List<String> columns, Name references, List<String> referencedColumns, String onDelete, String onUpdate,
            String check, boolean notValid, List<String> uncompared) {
        public ConstraintSpec {
            columns = columns == null ? null : List.copyOf(columns);
            referencedColumns = referencedColumns == null ? null : List.copyOf(referencedColumns);
            uncompared = List.copyOf(uncompared);
        }
    }

    /** name null: MySQL's unnamed PRIMARY KEY. kind: PRIMARY KEY, FOREIGN KEY, UNIQUE, CHECK. */
    record AddConstraint(Name table, String name, String kind, ConstraintSpec spec) implements Ddl {
        public AddConstraint(Name table, String name, String kind) {
            this(table, name, kind, null);
        }

        @Override
        public Ddl identity() {
            return new AddConstraint(table, name, kind);
        }
    }

    record DropConstraint(Name table, String name, String kind) implements Ddl {}

    /**
     * An index as written: method (null: the default, btree), its keys in order (a column, "DESC"
     * appended when descending, MySQL's prefix length as "(n)"; null when a key is an expression or
     * carries an operator class, which are not compared), its predicate's text (null: none).
     */
    record IndexSpec(String method, List<String> keys, String predicate, List<String> uncompared) {
        public IndexSpec {
            keys = keys == null ? null : List.copyOf(keys);
            uncompared = List.copyOf(uncompared);
        }
    }

    /** table null only where the database does not say (never for Prisma's CREATE INDEX). */
    record CreateIndex(Name table, String name, boolean unique, IndexSpec spec) implements Ddl {
        public CreateIndex(Name table, String name, boolean unique) {
            this(table, name, unique, null);
        }

        @Override
        public Ddl identity() {
            return new CreateIndex(table, name, unique);
        }
    }

    /** PostgreSQL: table null, the index's schema in name; MySQL: DROP INDEX name ON table. */
    record DropIndex(Name table, Name name) implements Ddl {}

    record RenameIndex(Name table, Name from, String to) implements Ddl {}

    /** labels null: not read (the identity only). */
    record CreateEnum(Name type, List<String> labels) implements Ddl {
        public CreateEnum {
            labels = labels == null ? null : List.copyOf(labels);
        }

        public CreateEnum(Name type) {
            this(type, null);
        }

        @Override
        public Ddl identity() {
            return new CreateEnum(type);
        }
    }

    record AddEnumValue(Name type, String value) implements Ddl {}

    record CreateExtension(String name) implements Ddl {}

    record CreateSchema(String name) implements Ddl {}

    /** MySQL MODIFY [COLUMN] (and CHANGE with the same name): type as written. */
    record ModifyColumn(Name table, String column, String type, boolean notNull, ColumnSpec spec) implements Ddl {
        public ModifyColumn(Name table, String column, String type, boolean notNull) {
            this(table, column, type, notNull, null);
        }

        @Override
        public Ddl identity() {
            return new ModifyColumn(table, column, type, notNull);
        }
    }

    /** MySQL CHANGE [COLUMN] old new type. */
    record ChangeColumn(Name table, String from, String to, String type, boolean notNull, ColumnSpec spec) implements Ddl {
        public ChangeColumn(Name table, String from, String to, String type, boolean notNull) {
            this(table, from, to, type, notNull, null);
        }

        @Override
        public Ddl identity() {
            return new ChangeColumn(table, from, to, type, notNull);
        }
    }

    /**
     * IF [NOT] EXISTS: the statement does nothing when its target's state was there already, so
     * the state proves only that it has not run (when the target is in the state it would change),
     * never that it has: that state may predate the migration.
     */
    record Conditional(Ddl inner) implements Ddl {
        @Override
        public Ddl identity() {
            return inner.identity();
        }
    }

    /** INSERT, UPDATE, DELETE, SELECT...: no evidence of whether it ran. */
    record Data(String verb) implements Ddl {}

    /** BEGIN, COMMIT, ...: no evidence, and the trial must never run it (a COMMIT would make it real). */
    record TransactionControl(String verb) implements Ddl {}

    /** SET (a session setting): changes nothing a re-run would change again (MySQL's rolled-back reasoning). */
    record Session(String verb) implements Ddl {}

    record Unknown(String why) implements Ddl {}
}
