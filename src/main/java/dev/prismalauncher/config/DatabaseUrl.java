package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.Secrets;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A Prisma connection URL ({@code postgresql://user:pass@host:5432/db?schema=app}) taken apart.
 * User and password are percent-decoded; the password is registered with {@link Secrets} the
 * moment it is parsed and never appears in {@link #toString()}. Translating the parameters to
 * JDBC is each dialect's business.
 *
 * @param variable the environment variable or flag it came from, for error messages
 */
public record DatabaseUrl(
        String variable,
        Provider provider,
        String host,
        int port,
        String database,
        String user,
        String password,
        Map<String, String> parameters) {

    public DatabaseUrl {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    public static DatabaseUrl parse(String variable, String text) {
        if (text == null || text.isBlank()) {
            throw LauncherException.usage(variable + " is not set: give the database URL Prisma uses,"
                    + " e.g. postgresql://user:password@host:5432/db?schema=public");
        }
        String trimmed = text.strip();
        int colon = trimmed.indexOf("://");
        if (colon <= 0) {
            throw LauncherException.usage(variable + " is not a URL (expected scheme://user:password@host:port/database)");
        }
        String scheme = trimmed.substring(0, colon);
        Provider provider = Provider.ofScheme(scheme);
        if (provider == null) {
            throw LauncherException.usage(variable + " has the scheme '" + scheme + ":' which prisma-launcher does not support;"
                    + " use postgresql://, postgres:// or mysql://"
                    + (scheme.startsWith("prisma") ? " (for Prisma Accelerate/Postgres set MIGRATE_DATABASE_URL to the direct database URL)" : ""));
        }
        URI uri = toUri(variable, trimmed);
        if (uri.getRawFragment() != null) {
            // A '#' in a password turns the rest into a "fragment" and the password's tail into the host:
            // refuse, and print no part of it.
            throw LauncherException.usage(variable + " contains '#'; a database URL has no fragment, so it is part of the user"
                    + " or password: percent-encode it as %23");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw LauncherException.usage(variable + " names no host (expected " + scheme + "://user:password@host:port/database);"
                    + " if the user or password holds '@', ':', '/' or '#', percent-encode them (%40, %3A, %2F, %23)");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() == -1 ? provider.defaultPort() : uri.getPort();

        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int sep = userInfo.indexOf(':');
            user = decode(variable, sep < 0 ? userInfo : userInfo.substring(0, sep));
            if (sep >= 0) {
                password = decode(variable, userInfo.substring(sep + 1));
                Secrets.register(password);
                Secrets.register(userInfo.substring(sep + 1));
            }
        }

        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(variable, path.startsWith("/") ? path.substring(1) : path);
        if (database.contains("/")) {
            throw LauncherException.usage(variable + " has a path with more than one segment; the path is the database name only");
        }
        if (database.isEmpty()) {
            if (provider == Provider.MYSQL) {
                throw LauncherException.usage(variable + " names no database: add it as the path, e.g. mysql://user:password@host:3306/mydb");
            }
            database = "postgres"; // Prisma's default for PostgreSQL
        }
        return new DatabaseUrl(variable, provider, host, port, database, user, password, query(variable, uri.getRawQuery()));
    }

    private static URI toUri(String variable, String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            // The message would quote the URL, password included: say where, not what.
            throw LauncherException.usage(variable + " is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + "); percent-encode special characters in the user and password, e.g. '@' as %40, '#' as %23, '/' as %2F");
        }
    }

    private static Map<String, String> query(String variable, String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(variable, eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
            String value = eq < 0 ? "" : decode(variable, pair.substring(eq + 1));
            out.put(key, value);
        }
        return out;
    }

    private static String decode(String variable, String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LauncherException.usage(variable + " has a malformed percent-encoding (a '%' not followed by two hex digits);"
                    + " write a literal '%' as %25");
        }
    }

    public String parameter(String name) {
        return parameters.get(name);
    }

    /** PostgreSQL's schema: {@code ?schema=} or {@code public}, as Prisma does. */
    public String schema() {
        String schema = parameters.get("schema");
        return schema == null || schema.isEmpty() ? "public" : schema;
    }

    /** host:port with IPv6 literals bracketed, as URLs want them. */
    public String hostAndPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same server, user and parameters, another database (e.g. a maintenance database to create this one from). */
    public DatabaseUrl withDatabase(String other) {
        return new DatabaseUrl(variable, provider, host, port, other, user, password, parameters);
    }

    /** The URL without its password, safe for logs. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(provider.prismaName()).append("://");
        if (user != null) {
            b.append(user);
            if (password != null) {
                b.append(':').append(Secrets.MASK);
            }
            b.append('@');
        }
        b.append(hostAndPort()).append('/').append(database);
        if (provider == Provider.POSTGRESQL) {
            b.append("?schema=").append(schema());
        }
        return b.toString();
    }
}
