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
            case "varchar", "character varying" -> rest.isEmpty() ? "character varying" + size : null;
            case "char", "character", "bpchar" -> rest.isEmpty() ? "character" + (size.isEmpty() ? "(1)" : size) : null; // CHAR alone is character(1)
            case "decimal", "numeric" -> rest.isEmpty() ? "numeric" + size : null;
            case "timestamp", "time" -> rest.isEmpty() || rest.equals("without time zone") ? base + size + " without time zone"
                    : rest.equals("with time zone") ? base + size + " with time zone" : null; // TIMESTAMP(3) WITH TIME ZONE
            case "timestamp without time zone", "time without time zone" -> rest.isEmpty() ? base.substring(0, base.indexOf(' ')) + size + " without time zone" : null;
            case "timestamptz", "timestamp with time zone" -> rest.isEmpty() ? "timestamp" + size + " with time zone" : null;
            case "timetz", "time with time zone" -> rest.isEmpty() ? "time" + size + " with time zone" : null;
            case "bit" -> rest.isEmpty() ? "bit" + (size.isEmpty() ? "(1)" : size) : null; // BIT alone is bit(1)
            case "varbit", "bit varying" -> rest.isEmpty() ? "bit varying" + size : null; // format_type never prints varbit
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
        String s = lowerOutsideQuotes(written.strip()).replaceAll("\\s+", " ").replace(" (", "(");
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
        return s.isEmpty() ? null : s.replace(", ", ",").replace(" ,", ",");
    }

    /** ENUM('USER','ADMIN'): the words fold, the labels do not ('user' is another label). */
    private static String lowerOutsideQuotes(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // '' inside a label toggles twice: still inside
            }
            b.append(quoted || c == '\'' ? c : Character.toLowerCase(c));
        }
        return b.toString();
    }

    /**
     * A stored PostgreSQL default (pg_get_expr) against the expression written: compared token by
     * token, casts dropped ('x' is stored as 'x'::text) and wrapping parentheses too; words fold to
     * lower case as PostgreSQL folds them, strings and quoted names are compared exactly ('abc' is
     * not 'ABC').
     */
    static boolean sameDefault(String stored, String written) {
        if (written == null || stored == null) {
            return false;
        }
        return sameExpression(stored, written, true);
    }

    /**
     * An expression as the catalog stores it against one as written (pg: PostgreSQL's quoting
     * rules, else MySQL's): the same tokens, or the same once the stored one's casts are dropped
     * (the catalog adds casts; a cast written stays, for it may change the value).
     */
    static boolean sameExpression(String stored, String written, boolean pg) {
        java.util.List<StatementParser.Token> wt = StatementParser.tokens(written, pg);
        java.util.List<String> w = normal(wt, false);
        java.util.List<StatementParser.Token> s = StatementParser.tokens(stored, pg);
        java.util.List<String> bare = normal(s, true);
        // one cast written at the very end (ARRAY['a']::TEXT[], stored as ARRAY['a'::text]) is the column's own type: it changes no value
        return normal(s, false).equals(w) || bare.equals(w) || trailingCastOnly(wt) && bare.equals(normal(wt, true));
    }

    private static boolean trailingCastOnly(java.util.List<StatementParser.Token> t) {
        int cast = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isSymbol("::")) {
                if (cast >= 0) {
                    return false;
                }
                cast = i;
            }
        }
        return cast > 0 && skipType(t, cast + 1) == t.size();
    }

    private static java.util.List<String> normal(java.util.List<StatementParser.Token> tokens, boolean dropCasts) {
        java.util.List<StatementParser.Token> out = new java.util.ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            StatementParser.Token t = tokens.get(i);
            if (dropCasts && t.isSymbol("::")) {
                i = skipType(tokens, i + 1) - 1;
                continue;
            }
            out.add(t);
        }
        while (out.size() >= 2 && out.getFirst().isSymbol("(") && closes(out)) {
            out = out.subList(1, out.size() - 1);
        }
        return out.stream().map(t -> switch (t.kind()) {
            case WORD -> "n:" + t.text().toLowerCase(Locale.ROOT); // an unquoted name or keyword: folded
            case QUOTED -> "n:" + t.text();
            case STRING -> "s:" + t.text();
            default -> "o:" + t.text();
        }).toList();
    }

    /** Whether the first "(" closes at the last token. */
    private static boolean closes(java.util.List<StatementParser.Token> t) {
        int depth = 0;
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i).isSymbol("(")) {
                depth++;
            } else if (t.get(i).isSymbol(")")) {
                depth--;
                if (depth == 0) {
                    return i == t.size() - 1;
                }
            }
        }
        return false;
    }

    private static final java.util.Set<String> TYPE_WORDS = java.util.Set.of("varying", "precision", "with", "without", "time", "zone");

    /** Past a cast's type: a name (schema-qualified), more type words, a size, array brackets. */
    private static int skipType(java.util.List<StatementParser.Token> t, int i) {
        if (i < t.size() && t.get(i).kind() != StatementParser.Token.Kind.SYMBOL) {
            i++;
        }
        while (i + 1 < t.size() && t.get(i).isSymbol(".") && t.get(i + 1).kind() != StatementParser.Token.Kind.SYMBOL) {
            i += 2;
        }
        while (i < t.size() && t.get(i).kind() == StatementParser.Token.Kind.WORD && TYPE_WORDS.contains(t.get(i).text().toLowerCase(Locale.ROOT))) {
            i++;
        }
        if (i < t.size() && t.get(i).isSymbol("(")) {
            while (i < t.size() && !t.get(i).isSymbol(")")) {
                i++;
            }
            i++;
        }
        while (i + 1 < t.size() && t.get(i).isSymbol("[") && t.get(i + 1).isSymbol("]")) {
            i += 2;
        }
        return i;
    }

    /**
     * A MySQL/MariaDB COLUMN_DEFAULT against the default written. MariaDB prints a string default
     * quoted ('abc') and MySQL bare (abc); numbers compare by value (22 is not 2222); functions fold
     * (now() is current_timestamp()); booleans are 1 and 0.
     */
    static boolean sameMySqlDefault(String stored, String written) {
        if (stored == null || stored.equalsIgnoreCase("NULL")) {
            return written == null;
        }
        if (written == null) {
            return false;
        }
        java.util.List<StatementParser.Token> w = StatementParser.tokens(written, false);
        String storedValue = stored.length() >= 2 && stored.startsWith("'") && stored.endsWith("'")
                ? stored.substring(1, stored.length() - 1).replace("''", "'").replace("\\'", "'") : stored;
        if (w.size() == 1 && w.getFirst().kind() == StatementParser.Token.Kind.STRING) {
            return storedValue.equals(w.getFirst().text());
        }
        String number = w.size() == 1 && w.getFirst().kind() == StatementParser.Token.Kind.NUMBER ? w.getFirst().text()
                : w.size() == 2 && w.getFirst().isSymbol("-") && w.get(1).kind() == StatementParser.Token.Kind.NUMBER ? "-" + w.get(1).text()
                : w.size() == 1 && w.getFirst().is("true") ? "1" : w.size() == 1 && w.getFirst().is("false") ? "0" : null;
        if (number != null) {
            try {
                return new java.math.BigDecimal(number).compareTo(new java.math.BigDecimal(storedValue)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return function(written).equals(function(stored));
    }

    private static String function(String s) {
        String f = s.toLowerCase(Locale.ROOT).replaceAll("\\s+", "");
        f = f.replaceFirst("^now\\(", "current_timestamp(");
        return f.equals("current_timestamp") ? "current_timestamp()" : f;
    }

    private TypeNames() {}
}
