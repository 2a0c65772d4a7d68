package dev.prismalauncher.database;

import java.sql.SQLException;
import java.util.List;

/**
 * Read-only questions about the live schema, for MIGRATION_RESOLVE_STRATEGY=auto's evidence. One
 * implementation per database, next to its Dialect; every value is bound, and each query is
 * bounded by the timeout the catalog was made with. Shapes are returned as the catalog renders
 * them, so that the evidence compares what a statement would have produced with what is there.
 */
public interface Catalog {

    /** The schema unqualified names live in: PostgreSQL the URL's schema, MySQL the database. */
    String defaultSchema() throws SQLException;

    boolean tableExists(String schema, String table) throws SQLException;

    /** The table's columns' names in order (empty when there is no such table). */
    List<String> columns(String schema, String table) throws SQLException;

    /** The column, or null if the table has no such column. */
    Column column(String schema, String table, String column) throws SQLException;

    /**
     * @param type as the database prints it (PostgreSQL format_type, MySQL COLUMN_TYPE)
     * @param defaultValue the default expression as stored, null if none
     * @param extra identity or generation: PostgreSQL "identity always", "identity by default",
     *     "generated"; MySQL/MariaDB the EXTRA column lower-cased ("auto_increment", ...); "" for none
     */
    record Column(boolean nullable, String type, String defaultValue, String extra) {
        public Column(boolean nullable, String type, String defaultValue) {
            this(nullable, type, defaultValue, "");
        }
    }

    /** A constraint of that name on the table; name null asks for the primary key. */
    boolean constraintExists(String schema, String table, String name) throws SQLException;

    /** The constraint of that name on the table (name null: the primary key), or null. */
    Constraint constraint(String schema, String table, String name) throws SQLException;

    /**
     * A constraint as the catalog renders it.
     *
     * @param kind PRIMARY KEY, UNIQUE, FOREIGN KEY, CHECK (or another word for other kinds)
     * @param columns the key's columns in order (PRIMARY KEY, UNIQUE, FOREIGN KEY)
     * @param onDelete the action as written in SQL (NO ACTION, RESTRICT, CASCADE, SET NULL, SET DEFAULT)
     * @param check CHECK's expression as the catalog prints it
     * @param validated false for PostgreSQL's NOT VALID
     * @param definition the whole definition as the catalog prints it, for messages
     */
    record Constraint(String kind, List<String> columns, String referencedSchema, String referencedTable, List<String> referencedColumns,
            String onDelete, String onUpdate, String check, boolean validated, boolean deferrable, String definition) {}

    /** An index of that name (on the table, where the database scopes index names to tables). */
    boolean indexExists(String schema, String table, String name) throws SQLException;

    /** The index of that name (PostgreSQL: in the schema; MySQL: on the table), or null. */
    Index index(String schema, String table, String name) throws SQLException;

    /**
     * An index as the catalog renders it.
     *
     * @param table the table it is on
     * @param method PostgreSQL's access method (btree, gin, ...); MySQL's INDEX_TYPE (BTREE, FULLTEXT, ...)
     * @param keys each key: the column (null for an expression), " DESC" when descending,
     *     " NULLS FIRST|LAST" when not the direction's default, MySQL's prefix "(n)", and a
     *     non-default operator class after a space
     * @param predicate a partial index's predicate as the catalog prints it, null if none
     * @param valid false for PostgreSQL's INVALID index (a failed CREATE INDEX CONCURRENTLY)
     */
    record Index(String table, boolean unique, boolean primary, String method, List<String> keys, String predicate, boolean valid,
            String definition) {}

    boolean enumExists(String schema, String name) throws SQLException;

    /** The enum's labels in their order, or null when there is no such enum. */
    List<String> enumLabels(String schema, String name) throws SQLException;

    boolean enumValueExists(String schema, String name, String value) throws SQLException;

    boolean extensionExists(String name) throws SQLException;

    boolean schemaExists(String name) throws SQLException;

    /** Whether this database can trial a script in a transaction (PostgreSQL: DDL is transactional). */
    boolean canTrial();

    /**
     * This catalog, with {@code check} run on every failed query by {@link #lost}: the session's own
     * ({@link Database#catalog}) throws exit 3 naming the phase when the session is gone, for a lost
     * session is not "no evidence".
     */
    default Catalog whenLost(java.util.function.Consumer<SQLException> check) {
        return this;
    }

    /** Throws if {@code e} means the session is lost (see {@link #whenLost}); else returns. */
    default void lost(SQLException e) {}
}
