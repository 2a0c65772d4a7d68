package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * MySQL's and MariaDB's catalog questions (information_schema). No trial: MySQL commits every DDL
 * statement on its own, so a transaction cannot take it back.
 */
final class MySqlCatalog implements Catalog {
    private final Connection connection;
    private final int timeoutSeconds;
    private String database;

    MySqlCatalog(Connection connection, Duration queryTimeout) {
        this.connection = connection;
        this.timeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
    }

    @Override
    public String defaultSchema() throws SQLException {
        if (database == null) {
            try (PreparedStatement s = prepare("SELECT DATABASE()"); ResultSet r = s.executeQuery()) {
                r.next();
                database = r.getString(1);
            }
        }
        return database;
    }

    @Override
    public boolean tableExists(String schema, String table) throws SQLException {
        return exists("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'",
                schema, table);
    }

    @Override
    public Column column(String schema, String table, String column) throws SQLException {
        try (PreparedStatement s = prepare("SELECT IS_NULLABLE, COLUMN_TYPE, COLUMN_DEFAULT FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?", schema, table, column);
                ResultSet r = s.executeQuery()) {
            return r.next() ? new Column("YES".equals(r.getString(1)), r.getString(2), r.getString(3)) : null;
        }
    }

    @Override
    public boolean holdsNull(String schema, String table, String column) throws SQLException {
        // The one place identifiers are spliced: a table and column cannot be bound. Backticks doubled.
        String sql = "SELECT EXISTS (SELECT 1 FROM " + quote(schema) + "." + quote(table) + " WHERE " + quote(column) + " IS NULL)";
        try (PreparedStatement s = prepare(sql); ResultSet r = s.executeQuery()) {
            return r.next() && r.getBoolean(1);
        }
    }

    static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in an identifier");
        }
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public boolean constraintExists(String schema, String table, String name) throws SQLException {
        String base = "SELECT 1 FROM information_schema.TABLE_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?";
        return name == null ? exists(base + " AND CONSTRAINT_TYPE = 'PRIMARY KEY'", schema, table)
                : exists(base + " AND CONSTRAINT_NAME = ?", schema, table, name);
    }

    @Override
    public boolean indexExists(String schema, String table, String name) throws SQLException {
        return exists("SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ?",
                schema, table, name);
    }

    @Override
    public boolean enumExists(String schema, String name) {
        throw new UnsupportedOperationException("MySQL has no enum types");
    }

    @Override
    public boolean enumValueExists(String schema, String name, String value) {
        throw new UnsupportedOperationException("MySQL has no enum types");
    }

    @Override
    public boolean extensionExists(String name) {
        throw new UnsupportedOperationException("MySQL has no extensions");
    }

    @Override
    public boolean schemaExists(String name) throws SQLException {
        return exists("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?", name);
    }

    @Override
    public boolean canTrial() {
        return false;
    }

    private PreparedStatement prepare(String sql, String... values) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setQueryTimeout(timeoutSeconds);
        for (int i = 0; i < values.length; i++) {
            s.setString(i + 1, values[i]);
        }
        return s;
    }

    private boolean exists(String sql, String... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values); ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }
}
