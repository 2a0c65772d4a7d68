package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** PostgreSQL's catalog questions (pg_catalog); the rolled-back trial is evidence/Trial. */
final class PostgresCatalog extends CatalogQueries {
    private static final String RELATION = " FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE n.nspname = ? AND c.relname = ?";

    private final String schema;

    PostgresCatalog(Connection connection, String schema, Duration queryTimeout) {
        super(connection, queryTimeout);
        this.schema = schema;
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
    public List<String> columns(String schema, String table) throws SQLException {
        return strings("SELECT a.attname FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p')"
                + " ORDER BY a.attnum", schema, table);
    }

    @Override
    public Column column(String schema, String table, String column) throws SQLException {
        try (PreparedStatement s = prepare("SELECT a.attnotnull, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid),"
                + " CASE a.attidentity WHEN 'a' THEN 'identity always' WHEN 'd' THEN 'identity by default'"
                + " ELSE CASE WHEN a.attgenerated <> '' THEN 'generated' ELSE '' END END"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE n.nspname = ? AND c.relname = ? AND a.attname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND c.relkind IN ('r', 'p')", schema, table, column);
                ResultSet r = s.executeQuery()) {
            return r.next() ? new Column(!r.getBoolean(1), r.getString(2), r.getString(3), r.getString(4)) : null;
        }
    }

    @Override
    public Constraint constraint(String schema, String table, String name) throws SQLException {
        String sql = "SELECT k.contype, k.convalidated, k.condeferrable, pg_get_constraintdef(k.oid),"
                + " ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY x(num, ord)"
                + "   JOIN pg_catalog.pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = x.num ORDER BY x.ord)::text[],"
                + " fn.nspname, fc.relname,"
                + " ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY x(num, ord)"
                + "   JOIN pg_catalog.pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = x.num ORDER BY x.ord)::text[],"
                + " k.confdeltype, k.confupdtype, CASE WHEN k.contype = 'c' THEN pg_get_expr(k.conbin, k.conrelid) END"
                + " FROM pg_catalog.pg_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
                + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_catalog.pg_class fc ON fc.oid = k.confrelid LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = ?";
        try (PreparedStatement s = name == null ? prepare(sql + " AND k.contype = 'p'", schema, table)
                : prepare(sql + " AND k.conname = ?", schema, table, name);
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            String kind = switch (r.getString(1)) {
                case "p" -> "PRIMARY KEY";
                case "u" -> "UNIQUE";
                case "f" -> "FOREIGN KEY";
                case "c" -> "CHECK";
                case "x" -> "EXCLUDE";
                default -> "TRIGGER";
            };
            return new Constraint(kind, strings(r, 5), r.getString(6), r.getString(7), strings(r, 8), action(r.getString(9)),
                    action(r.getString(10)), r.getString(11), r.getBoolean(2), r.getBoolean(3), r.getString(4));
        }
    }

    private static List<String> strings(ResultSet r, int column) throws SQLException {
        java.sql.Array a = r.getArray(column);
        return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
    }

    private static String action(String code) {
        return code == null ? null : switch (code) {
            case "a" -> "NO ACTION";
            case "r" -> "RESTRICT";
            case "c" -> "CASCADE";
            case "n" -> "SET NULL";
            case "d" -> "SET DEFAULT";
            default -> null; // not a foreign key (a blank)
        };
    }

    @Override
    public Index index(String schema, String table, String name) throws SQLException {
        long oid;
        Index head;
        try (PreparedStatement s = prepare("SELECT c.oid, tc.relname, i.indisunique, i.indisprimary, am.amname,"
                + " pg_get_expr(i.indpred, i.indrelid), i.indisvalid AND i.indisready, pg_get_indexdef(c.oid)"
                + RELATION.replace(" WHERE", " JOIN pg_catalog.pg_index i ON i.indexrelid = c.oid JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid"
                        + " JOIN pg_catalog.pg_am am ON am.oid = c.relam WHERE")
                + " AND c.relkind IN ('i', 'I')", schema, name);
                ResultSet r = s.executeQuery()) {
            if (!r.next()) {
                return null;
            }
            oid = r.getLong(1);
            head = new Index(r.getString(2), r.getBoolean(3), r.getBoolean(4), r.getString(5), List.of(), r.getString(6), r.getBoolean(7),
                    r.getString(8));
        }
        List<String> keys = new ArrayList<>();
        try (PreparedStatement s = prepare("SELECT a.attname, i.indoption[k.ord - 1], opc.opcdefault, opc.opcname"
                + " FROM pg_catalog.pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(num, ord)"
                + " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num AND k.num <> 0"
                + " LEFT JOIN pg_catalog.pg_opclass opc ON opc.oid = i.indclass[k.ord - 1]"
                + " WHERE i.indexrelid = ? AND k.ord <= i.indnkeyatts ORDER BY k.ord")) {
            s.setLong(1, oid);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String column = r.getString(1);
                    int option = r.getInt(2);
                    boolean desc = (option & 1) != 0;
                    boolean nullsFirst = (option & 2) != 0;
                    keys.add(column == null ? null : column + (desc ? " DESC" : "")
                            + (nullsFirst != desc ? (nullsFirst ? " NULLS FIRST" : " NULLS LAST") : "")
                            + (r.getBoolean(3) ? "" : " " + r.getString(4)));
                }
            }
        }
        return new Index(head.table(), head.unique(), head.primary(), head.method(), keys, head.predicate(), head.valid(), head.definition());
    }

    @Override
    public List<String> enumLabels(String schema, String name) throws SQLException {
        if (!enumExists(schema, name)) {
            return null;
        }
        return strings("SELECT e.enumlabel FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace"
                + " JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = ? AND t.typname = ? ORDER BY e.enumsortorder", schema, name);
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
}
