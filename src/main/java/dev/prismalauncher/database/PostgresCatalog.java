package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/** PostgreSQL's catalog questions (pg_catalog); the rolled-back trial is evidence/Trial. */
final class PostgresCatalog implements Catalog {
    private static final String RELATION = " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ?";

    private final Connection connection;
    private final String schema;
    private final int timeoutSeconds;

    PostgresCatalog(Connection connection, String schema, Duration queryTimeout) {
        this.connection = connection;
        this.schema = schema;
        this.timeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
    }

    @Override
    public String defaultSchema() {
        return schema;
    }

    @Override
    public boolean tableExists(String schema, String table) throws SQLException {
        return exists("SELECT 1" + RELATION + " AND c.relkind IN ('r', 'p')", schema, table);
    }

    @Override
    public Column column(String schema, String table, String column) throws SQLException {
        try (PreparedStatement s = prepare("SELECT a.attnotnull, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid)"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND c.relkind IN ('r', 'p')", schema, table, column);
                ResultSet r = s.executeQuery()) {
            return r.next() ? new Column(!r.getBoolean(1), r.getString(2), r.getString(3)) : null;
        }
    }

    @Override
    public boolean holdsNull(String schema, String table, String column) throws SQLException {
        // The one place identifiers are spliced: a table and column cannot be bound. Quoted, quotes doubled.
        String sql = "SELECT EXISTS (SELECT 1 FROM " + quote(schema) + "." + quote(table) + " WHERE " + quote(column) + " IS NULL)";
        try (PreparedStatement s = prepare(sql); ResultSet r = s.executeQuery()) {
            return r.next() && r.getBoolean(1);
        }
    }

    static String quote(String identifier) {
        if (identifier.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL in an identifier");
        }
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public boolean constraintExists(String schema, String table, String name) throws SQLException {
        String base = "SELECT 1 FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?";
        return name == null ? exists(base + " AND k.contype = 'p'", schema, table) : exists(base + " AND k.conname = ?", schema, table, name);
    }

    @Override
    public boolean indexExists(String schema, String table, String name) throws SQLException {
        // index names are unique per schema in PostgreSQL
        return exists("SELECT 1" + RELATION + " AND c.relkind IN ('i', 'I')", schema, name);
    }

    @Override
    public boolean enumExists(String schema, String name) throws SQLException {
        return exists("SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " WHERE n.nspname = ? AND t.typname = ? AND t.typtype = 'e'", schema, name);
    }

    @Override
    public boolean enumValueExists(String schema, String name, String value) throws SQLException {
        return exists("SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = ? AND t.typname = ? AND e.enumlabel = ?",
                schema, name, value);
    }

    @Override
    public boolean extensionExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = ?", name);
    }

    @Override
    public boolean schemaExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = ?", name);
    }

    @Override
    public boolean canTrial() {
        return true;
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
