package dev.prismalauncher.database;

import java.sql.SQLException;

/**
 * Read-only questions about the live schema, for MIGRATION_RESOLVE_STRATEGY=auto's evidence. One
 * implementation per database, next to its Dialect; every value is bound, and each query is
 * bounded by the timeout the catalog was made with.
 */
public interface Catalog {

    /** The schema unqualified names live in: PostgreSQL the URL's schema, MySQL the database. */
    String defaultSchema() throws SQLException;

    boolean tableExists(String schema, String table) throws SQLException;

    /** The column, or null if the table has no such column. */
    Column column(String schema, String table, String column) throws SQLException;

    /**
     * @param type as the database prints it (PostgreSQL format_type, MySQL COLUMN_TYPE)
     * @param defaultValue the default expression as stored, null if none
     */
    record Column(boolean nullable, String type, String defaultValue) {}

    /** Whether any row holds NULL in the column (stops at the first; bounded by the query timeout). */
    boolean holdsNull(String schema, String table, String column) throws SQLException;

    /** A constraint of that name on the table; name null asks for the primary key. */
    boolean constraintExists(String schema, String table, String name) throws SQLException;

    /** An index of that name (on the table, where the database scopes index names to tables). */
    boolean indexExists(String schema, String table, String name) throws SQLException;

    boolean enumExists(String schema, String name) throws SQLException;

    boolean enumValueExists(String schema, String name, String value) throws SQLException;

    boolean extensionExists(String name) throws SQLException;

    boolean schemaExists(String name) throws SQLException;

    /** Whether this database can trial a script in a transaction (PostgreSQL: DDL is transactional). */
    boolean canTrial();
}
