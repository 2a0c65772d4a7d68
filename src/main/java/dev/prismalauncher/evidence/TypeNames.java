package dev.prismalauncher.evidence;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Column types as Prisma writes them, normalised to what each catalog prints, so they compare. */
final class TypeNames {
    private static final Map<String, String> PG = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("integer", "integer"),
            Map.entry("bigint", "bigint"), Map.entry("int8", "bigint"), Map.entry("smallint", "smallint"), Map.entry("int2", "smallint"),
            Map.entry("text", "text"), Map.entry("boolean", "boolean"), Map.entry("bool", "boolean"),
            Map.entry("double precision", "double precision"), Map.entry("float8", "double precision"),
            Map.entry("real", "real"), Map.entry("float4", "real"), Map.entry("jsonb", "jsonb"), Map.entry("json", "json"),
            Map.entry("uuid", "uuid"), Map.entry("bytea", "bytea"), Map.entry("date", "date"), Map.entry("xml", "xml"),
            Map.entry("citext", "citext"), Map.entry("inet", "inet"), Map.entry("money", "money"));
    private static final Pattern SIZED = Pattern.compile("([a-z ]+?)\\s*\\(([0-9, ]+)\\)\\s*(.*)");

    /** PostgreSQL: format_type's spelling, quotes dropped; null when unknown. */
    static String postgres(String written) {
        if (written == null) {
            return null;
        }
        String s = written.strip();
        String array = "";
        while (s.endsWith("[]")) {
            array += "[]";
            s = s.substring(0, s.length() - 2).strip();
        }
        if (s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1).replace("\"\"", "\"") + array; // an enum or other named type
        }
        s = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (PG.containsKey(s)) {
            return PG.get(s) + array;
        }
        Matcher m = SIZED.matcher(s);
        String base = m.matches() ? m.group(1).strip() : s;
        String size = m.matches() ? "(" + m.group(2).replace(" ", "") + ")" : "";
        String rest = m.matches() ? m.group(3).strip() : "";
        String out = switch (base) {
            case "varchar", "character varying" -> "character varying" + size;
            case "char", "character" -> "character" + size;
            case "decimal", "numeric" -> "numeric" + size;
            case "timestamp", "timestamp without time zone" -> rest.isEmpty() || rest.equals("without time zone") ? "timestamp" + size + " without time zone" : null;
            case "timestamptz", "timestamp with time zone" -> "timestamp" + size + " with time zone";
            case "time", "time without time zone" -> "time" + size + " without time zone";
            case "timetz", "time with time zone" -> "time" + size + " with time zone";
            case "bit", "varbit", "bit varying" -> base + size;
            default -> s.matches("[a-z_][a-z0-9_]*") ? s : null; // a lower-case named type (an enum)
        };
        return out == null ? null : out + array;
    }

    private static final Pattern INT_WIDTH = Pattern.compile("^(tinyint|smallint|mediumint|int|bigint)\\(\\d+\\)(.*)$");

    /** MySQL/MariaDB: COLUMN_TYPE's spelling; null when unknown. */
    static String mysql(String written) {
        if (written == null) {
            return null;
        }
        String s = written.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").replace(" (", "(");
        if (s.equals("boolean") || s.equals("bool")) {
            return "tinyint(1)";
        }
        if (s.startsWith("integer")) {
            s = "int" + s.substring("integer".length());
        }
        if (s.equals("tinyint(1)")) {
            return s;
        }
        Matcher m = INT_WIDTH.matcher(s);
        if (m.matches()) {
            s = m.group(1) + m.group(2);
        }
        if (s.equals("json")) {
            return "longtext"; // MariaDB stores JSON as LONGTEXT
        }
        return s.isEmpty() ? null : s.replace(", ", ",");
    }

    /** A stored PostgreSQL default against the expression written: 'x' is stored as 'x'::text, and so on. */
    static boolean sameDefault(String stored, String written) {
        if (written == null) {
            return false;
        }
        String a = stored.strip();
        String b = written.strip();
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        int cast = a.lastIndexOf("::");
        if (cast > 0 && a.substring(0, cast).equalsIgnoreCase(b)) {
            return true;
        }
        return cast > 0 && a.startsWith("(") && a.substring(1, cast).replace(")", "").equalsIgnoreCase(b);
    }

    private TypeNames() {}
}
