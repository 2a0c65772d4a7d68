package dev.prismalauncher.prisma;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the database Prisma names ({@link DatasourceLine}) is the one the launcher inspected:
 * provider, database, schema and server, each compared the way both sides mean it. The database
 * name is percent-decoded (Prisma prints the URL's path as is, the launcher holds it decoded, as the
 * engine does); a host compares without regard to case, an IPv6 host by address ({@code [::1]} is
 * {@code [0:0:0:0:0:0:0:1]}); a port Prisma does not print is the default port, which the engine
 * uses then. What Prisma does not name cannot be compared, and is said so; everything it names must
 * agree.
 */
final class DatasourceCheck {

    /** The outcome: the same database, another one, or a line that names too little to tell. */
    sealed interface Verdict permits Same, Different, Unknown {}

    /** @param notes what could not be compared (not named by Prisma) */
    record Same(List<String> notes) implements Verdict {}

    /** @param differences each field that differs, both values */
    record Different(String prisma, String launcher, List<String> differences) implements Verdict {}

    record Unknown(String why) implements Verdict {}

    private DatasourceCheck() {}

    static Verdict check(DatasourceLine line, DatabaseUrl url) {
        String launcher = describe(url);
        List<String> differences = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String expectedProvider = url.provider() == Provider.POSTGRESQL ? "PostgreSQL" : "MySQL";
        if (!line.provider().equals(expectedProvider)) {
            differences.add("provider " + line.provider() + " vs " + expectedProvider);
            return new Different(line.named(), launcher, differences);
        }
        if (!line.rest().isEmpty()) {
            return new Unknown("Prisma's line has a part the launcher cannot read: " + line.rest());
        }
        if (line.database() == null && line.schema() == null && line.schemas() == null && line.location() == null && line.adapter() == null) {
            return new Unknown("Prisma names no database: its URL is one node cannot parse (a Unix-socket URL without a host,"
                    + " e.g. postgresql://user@/db?host=/socket; write localhost as the host to have it checked)");
        }
        if (line.database() == null) {
            differences.add("database: Prisma names none, the launcher uses \"" + url.database() + "\"");
        } else if (!percentDecoded(line.database()).equals(url.database())) {
            differences.add("database \"" + percentDecoded(line.database()) + "\" vs \"" + url.database() + "\"");
        }
        if (url.provider() == Provider.POSTGRESQL) {
            if (line.schemas() != null) {
                notes.add("Prisma lists its datasource's schemas (" + line.schemas() + ") instead of the URL's schema, which is not compared");
            } else if (line.schema() == null) {
                differences.add("schema: Prisma names none, the launcher uses \"" + url.schema() + "\"");
            } else if (!line.schema().equals(url.schema())) {
                differences.add("schema \"" + line.schema() + "\" vs \"" + url.schema() + "\"");
            }
        } else if (line.schema() != null) {
            differences.add("schema \"" + line.schema() + "\": MySQL has none");
        }
        if (line.adapter() != null) {
            notes.add("Prisma connects through the driver adapter " + line.adapter() + " and names no server; the server is not compared");
        } else if (line.location() == null) {
            notes.add("Prisma names no server (its URL has no host); the server is not compared");
        } else {
            String expected = location(url);
            if (!sameLocation(line.location(), url)) {
                differences.add("server \"" + line.location() + "\" vs \"" + expected + "\"");
            }
        }
        return differences.isEmpty() ? new Same(notes) : new Different(line.named(), launcher, differences);
    }

    /** The launcher's database in the words of Prisma's line (the database decoded). */
    static String describe(DatabaseUrl url) {
        StringBuilder b = new StringBuilder(url.provider() == Provider.POSTGRESQL ? "PostgreSQL" : "MySQL");
        b.append(" database \"").append(url.database()).append('"');
        if (url.provider() == Provider.POSTGRESQL) {
            b.append(", schema \"").append(url.schema()).append('"');
        }
        return b.append(" at \"").append(location(url)).append('"').toString();
    }

    private static String location(DatabaseUrl url) {
        String socket = socket(url);
        return socket != null ? "unix:" + socket : url.hostAndPort();
    }

    /** The MySQL socket the engine uses (quaint: the last {@code socket=}); PostgreSQL's host= is never printed by Prisma. */
    private static String socket(DatabaseUrl url) {
        String socket = url.provider() == Provider.MYSQL ? url.parameter("socket") : null;
        return socket == null || socket.isEmpty() ? null : socket;
    }

    private static boolean sameLocation(String printed, DatabaseUrl url) {
        String socket = socket(url);
        if (printed.startsWith("unix:")) {
            return printed.substring("unix:".length()).equals(socket);
        }
        if (socket != null) {
            return false; // Prisma would have named the socket
        }
        String host = printed;
        String port = null;
        if (printed.startsWith("[")) {
            int close = printed.indexOf(']');
            if (close < 0) {
                return false;
            }
            host = printed.substring(0, close + 1);
            String tail = printed.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    return false;
                }
                port = tail.substring(1);
            }
        } else {
            int colon = printed.lastIndexOf(':');
            if (colon >= 0) {
                host = printed.substring(0, colon);
                port = printed.substring(colon + 1);
            }
        }
        int portNumber;
        if (port == null) {
            portNumber = url.provider().defaultPort(); // the URL names none: the engine uses the default
        } else if (port.matches("[0-9]{1,5}")) {
            portNumber = Integer.parseInt(port);
        } else {
            return false;
        }
        return portNumber == url.port() && sameHost(host, url.host());
    }

    /** Host names without regard to case (DNS ignores it); IPv6 literals by address. */
    static boolean sameHost(String printed, String host) {
        if (printed.startsWith("[") && printed.endsWith("]")) {
            if (!host.contains(":")) {
                return false;
            }
            try {
                return InetAddress.ofLiteral(printed.substring(1, printed.length() - 1)).equals(InetAddress.ofLiteral(host));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return !host.contains(":") && printed.equalsIgnoreCase(host);
    }

    /** %XX sequences as UTF-8 bytes ('+' stays a plus: this is a path); a '%' not followed by two hex digits stays. */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (bytes[i] == '%' && hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
