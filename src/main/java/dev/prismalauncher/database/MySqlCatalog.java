package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MySQL's and MariaDB's catalog questions (information_schema). No trial: MySQL commits every DDL
 * statement on its own, so a transaction cannot take it back.
 */
final class MySqlCatalog extends CatalogQueries {
    private String database;

    MySqlCatalog(Connection connection, Duration queryTimeout) {
        super(connection, queryTimeout);
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
    public List<String> columns(String schema, String table) throws SQLException {
        return strings("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION", schema, table);
    }

    @Override
    public Column column(String schema, String table, String column) throws SQLException {
        try (PreparedStatement s = prepare("SELECT IS_NULLABLE, COLUMN_TYPE, COLUMN_DEFAULT, EXTRA FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?", schema, table, column);
                ResultSet r = s.executeQuery()) {
            return r.next() ? new Column("YES".equals(r.getString(1)), r.getString(2), r.getString(3),
                    r.getString(4) == null ? "" : r.getString(4).strip().toLowerCase(Locale.ROOT)) : null;
        }
    }

    @Override
    public Constraint constraint(String schema, String table, String name) throws SQLException {
        String constraint = name == null ? "PRIMARY" : name;
        String kind;
        try (PreparedStatement s = prepare("SELECT CONSTRAINT_TYPE FROM information_schema.TABLE_CONSTRAINTS"
                + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?", schema, table, constraint);
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            kind = r.getString(1);
        }
        List<String> columns = new ArrayList<>();
        List<String> referenced = new ArrayList<>();
        String referencedSchema = null;
        String referencedTable = null;
        try (PreparedStatement s = prepare("SELECT COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME"
                + " FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?"
                + " ORDER BY ORDINAL_POSITION", schema, table, constraint);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                columns.add(r.getString(1));
                referencedSchema = r.getString(2);
                referencedTable = r.getString(3);
                if (r.getString(4) != null) {
                    referenced.add(r.getString(4));
                }
            }
        }
        String onDelete = null;
        String onUpdate = null;
        if (kind.equals("FOREIGN KEY")) {
            try (PreparedStatement s = prepare("SELECT DELETE_RULE, UPDATE_RULE FROM information_schema.REFERENTIAL_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = ?", schema, table, constraint);
                    ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    onDelete = r.getString(1);
                    onUpdate = r.getString(2);
                }
            }
        }
        String check = null;
        if (kind.equals("CHECK")) {
            // MySQL's CHECK_CONSTRAINTS has no table column (names are per schema); MariaDB's names are per table
            try (PreparedStatement s = prepare("SELECT DISTINCT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                    + " WHERE CONSTRAINT_SCHEMA = ? AND CONSTRAINT_NAME = ?", schema, constraint);
                    ResultSet r = s.executeQuery()) {
                check = r.next() ? r.getString(1) : null;
                if (r.next()) {
                    check = null; // two tables' checks of that name: not this one's for sure
                }
            }
        }
        String definition = kind + (columns.isEmpty() ? "" : " (" + String.join(", ", columns) + ")")
                + (referencedTable == null ? "" : " REFERENCES " + referencedTable + " (" + String.join(", ", referenced) + ")"
                        + " ON DELETE " + onDelete + " ON UPDATE " + onUpdate)
                + (check == null ? "" : " (" + check + ")");
        return new Constraint(kind, columns, referencedSchema, referencedTable, referenced, onDelete, onUpdate, check, true, false, definition);
    }

    @Override
    public Index index(String schema, String table, String name) throws SQLException {
        try (PreparedStatement s = prepare("SELECT NON_UNIQUE, INDEX_TYPE, COLUMN_NAME, SUB_PART, COLLATION FROM information_schema.STATISTICS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = ? ORDER BY SEQ_IN_INDEX", schema, table, name);
                ResultSet r = s.executeQuery()) {
            boolean unique = false;
            String method = null;
            List<String> keys = new ArrayList<>();
            while (r.next()) {
                unique = r.getInt(1) == 0;
                method = r.getString(2);
                String column = r.getString(3);
                String prefix = r.getString(4);
                keys.add(column == null ? null : column + (prefix == null ? "" : "(" + prefix + ")") + ("D".equals(r.getString(5)) ? " DESC" : ""));
            }
            if (keys.isEmpty()) {
                return null;
            }
            String definition = (unique ? "UNIQUE " : "") + "INDEX " + name + " USING " + method + " (" + String.join(", ", keys.stream()
                    .map(k -> k == null ? "(expression)" : k).toList()) + ")";
            return new Index(table, unique, "PRIMARY".equals(name), method, keys, null, true, definition);
        }
    }

    @Override
    public List<String> enumLabels(String schema, String name) {
        throw new UnsupportedOperationException("MySQL has no enum types");
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
}
