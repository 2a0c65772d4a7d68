package dev.prismalauncher.prisma;

/**
 * The line in which Prisma names the database it is about to use, before it starts its schema
 * engine. Its forms, from the CLI bundles (7.10.1 {@code build/cli.js}, 6.19.3 {@code build/index.js},
 * function printDatasource):
 *
 * <pre>
 * Datasource "db": PostgreSQL database "app", schema "public" at "db.internal:5432"
 * Datasource "db": PostgreSQL database "my%20db", schema "a b" at "[::1]:5432"
 * Datasource "db": MySQL database "shop" at "127.0.0.1"
 * Datasource "db": MySQL database "shop" at "unix:/run/mysqld/mysqld.sock"
 * Datasource "db": PostgreSQL database "app", schemas "auth, public" at "db:5432"
 * Datasource "db": PostgreSQL database "app", schema "public" using driver adapter "@prisma/adapter-pg"   (6.x)
 * Datasource "db": PostgreSQL database
 * </pre>
 *
 * The values come from node's WHATWG {@code new URL(url)} (getDatasourceInfo, uriToCredentials):
 * the database is {@code pathname.slice(1)}, still percent-encoded (spaces, quotes and non-ASCII
 * encoded); the schema is {@code searchParams.get("schema")} (the first one, form-decoded) or
 * "public"; the place is {@code unix:} + the MySQL {@code socket} parameter, else {@code hostname}
 * (IPv6 compressed, in brackets; other hosts as written) with {@code :port} only when the URL writes
 * a port (leading zeros dropped). A URL that node cannot parse (e.g. {@code user@} with no host)
 * leaves only the provider. PostgreSQL's {@code host=} socket parameter is never shown.
 *
 * @param database as printed (percent-encoded); null when not named
 * @param schema PostgreSQL's schema; null when not named
 * @param schemas the datasource block's {@code schemas} list as printed, instead of the schema; null otherwise
 * @param location host[:port] or unix:path; null when not named
 * @param adapter Prisma 6's driver adapter, named instead of the location; null otherwise
 * @param rest what could not be read (a format this parser does not know); empty when all was read
 */
record DatasourceLine(String text, String name, String provider, String database, String schema, String schemas,
        String location, String adapter, String rest) {

    static final String PREFIX = "Datasource \"";

    /** The line's fields, or null when it is not a datasource line. ANSI colour codes are ignored. */
    static DatasourceLine parse(String raw) {
        String s = withoutAnsi(raw).stripTrailing();
        if (!s.startsWith(PREFIX)) {
            return null;
        }
        int nameEnd = s.indexOf("\": ", PREFIX.length());
        if (nameEnd < 0) {
            return null;
        }
        int providerEnd = s.indexOf(" database", nameEnd + 3);
        if (providerEnd < 0) {
            return null;
        }
        String name = s.substring(PREFIX.length(), nameEnd);
        String provider = s.substring(nameEnd + 3, providerEnd);
        String rest = s.substring(providerEnd + " database".length());
        String database = null;
        if (rest.startsWith(" \"")) {
            int end = rest.indexOf('"', 2); // a percent-encoded path holds no quote
            if (end < 0) {
                return new DatasourceLine(s, name, provider, null, null, null, null, null, rest);
            }
            database = rest.substring(2, end);
            rest = rest.substring(end + 1);
        }
        // the tail is read from the end: a schema may hold anything, quotes included
        String location = null;
        String adapter = null;
        String adapterTail = " using driver adapter \"";
        int a = rest.lastIndexOf(adapterTail);
        int at = rest.lastIndexOf(" at \"");
        if (a >= 0 && quotedToEnd(rest, a + adapterTail.length())) {
            adapter = rest.substring(a + adapterTail.length(), rest.length() - 1);
            rest = rest.substring(0, a);
        } else if (at >= 0 && quotedToEnd(rest, at + 5)) {
            location = rest.substring(at + 5, rest.length() - 1);
            rest = rest.substring(0, at);
        }
        String schema = null;
        String schemas = null;
        if (rest.startsWith(", schemas \"") && rest.endsWith("\"") && rest.length() >= 12) {
            schemas = rest.substring(11, rest.length() - 1);
            rest = "";
        } else if (rest.startsWith(", schema \"") && rest.endsWith("\"") && rest.length() >= 11) {
            schema = rest.substring(10, rest.length() - 1);
            rest = "";
        }
        return new DatasourceLine(s, name, provider, database, schema, schemas, location, adapter, rest);
    }

    /** Whether the text from {@code start} to the end is a value and its closing quote, with no other quote. */
    private static boolean quotedToEnd(String s, int start) {
        return s.endsWith("\"") && s.length() - 1 >= start && s.indexOf('"', start) == s.length() - 1;
    }

    /** Prisma dims the line where colours are on (a TTY, FORCE_COLOR): CSI sequences are dropped. */
    static String withoutAnsi(String s) {
        if (s.indexOf('\u001b') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u001b' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
                int j = i + 2;
                while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == ';')) {
                    j++;
                }
                i = j; // the final letter
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    /** What Prisma named, without the "Datasource "db": " prefix. */
    String named() {
        return text.substring(PREFIX.length() + name.length() + 3);
    }
}
