package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.Secrets;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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

    /**
     * Every query parameter name Prisma's engines read, on either database (quaint
     * {@code connector/postgres/url.rs} and {@code connector/mysql/url.rs}: {@code for (k, v) in
     * url.query_pairs() { match k.as_ref() { "schema" => … } }}). Quaint matches them by exact,
     * case-sensitive name, decodes values as a form ({@code +} is a space), lets the last one win
     * and ignores any other name. A known name in another case ({@code SCHEMA}) is therefore ignored
     * by Prisma: we refuse it rather than read it differently. Add new names here.
     */
    static final Set<String> PRISMA_PARAMETERS = Set.of(
            // PostgreSQL
            "schema", "host", "sslmode", "sslcert", "sslidentity", "sslpassword", "sslaccept", "pgbouncer",
            "statement_cache_size", "connection_limit", "socket_timeout", "connect_timeout", "pool_timeout",
            "max_connection_lifetime", "max_idle_connection_lifetime", "application_name", "channel_binding", "options",
            // MySQL
            "socket", "prefer_socket",
            // Prisma Client / schema engine
            "schema_disable_advisory_lock", "single_use_connections");

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
        // From here on no message quotes any part of the text: until it has parsed cleanly we cannot
        // tell the password from the rest (postgresql://app:2024?Winter@host/db has its '@' in the query).
        String rest = trimmed.substring(colon + 3);
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw LauncherException.usage(variable + " contains a control character; remove it (percent-encoding it is refused too)");
            }
        }
        if (rest.indexOf('#') >= 0) {
            // A '#' in a password turns the rest into a "fragment" and the password's tail into the host.
            throw LauncherException.usage(variable + " contains '#'; a database URL has no fragment, so it is part of the user"
                    + " or password: percent-encode it as %23");
        }
        int authorityEnd = indexOfAny(rest, "/?");
        String authority = rest.substring(0, authorityEnd);
        String afterAuthority = rest.substring(authorityEnd);
        if (afterAuthority.indexOf('@') >= 0 || authority.indexOf('@') != authority.lastIndexOf('@')) {
            throw LauncherException.usage(variable + " does not parse cleanly: an '@' follows the host or appears twice, so the user"
                    + " or password probably holds an unencoded '@', '/', '?' or ':'; percent-encode them (%40, %2F, %3F, %3A)");
        }
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);

        String user = null;
        String password = null;
        if (userInfo != null) {
            int sep = userInfo.indexOf(':');
            if (sep >= 0) {
                String rawPassword = userInfo.substring(sep + 1);
                Secrets.register(rawPassword); // before decoding can fail: the message must not carry it
                password = decode(variable, "password", rawPassword, false);
                Secrets.register(password);
            }
            user = decode(variable, "user", sep < 0 ? userInfo : userInfo.substring(0, sep), false);
        }

        String host;
        String portText = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || !hostPort.substring(1, close).matches("[0-9A-Fa-f:.]+")) {
                throw LauncherException.usage(variable + " has a malformed IPv6 host: write it as [::1]");
            }
            host = hostPort.substring(1, close);
            String tail = hostPort.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw LauncherException.usage(variable + " has something after the IPv6 host that is not :port");
                }
                portText = tail.substring(1);
            }
        } else {
            int sep = hostPort.lastIndexOf(':');
            host = sep < 0 ? hostPort : hostPort.substring(0, sep);
            portText = sep < 0 ? null : hostPort.substring(sep + 1);
            if (!host.matches("[A-Za-z0-9._-]*")) {
                throw LauncherException.usage(variable + " has a host name with characters a host name cannot hold; if the user or"
                        + " password holds '@', ':', '/', '?' or '#', percent-encode them (%40, %3A, %2F, %3F, %23)");
            }
        }
        int port = provider.defaultPort();
        if (portText != null && !portText.isEmpty()) {
            port = portText.matches("[0-9]{1,5}") ? Integer.parseInt(portText) : -1;
            if (port < 1 || port > 65535) {
                throw LauncherException.usage(variable + " has a port that is not a number from 1 to 65535"
                        + " (an unencoded ':' in the password can look like one: percent-encode it as %3A)");
            }
        }

        String path = afterAuthority;
        String rawQuery = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            rawQuery = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String database = decode(variable, "database name", path.startsWith("/") ? path.substring(1) : path, false);
        if (database.contains("/")) {
            throw LauncherException.usage(variable + " has a path with more than one segment; the path is the database name only");
        }
        if (database.isEmpty()) {
            if (provider == Provider.MYSQL) {
                throw LauncherException.usage(variable + " names no database: add it as the path, e.g. mysql://user:password@host:3306/mydb");
            }
            database = "postgres"; // Prisma's default for PostgreSQL
        }
        Map<String, String> parameters = query(variable, rawQuery);
        if (host.isEmpty()) {
            if (!parameters.containsKey("host") && !parameters.containsKey("socket")) {
                throw LauncherException.usage(variable + " names no host (expected " + scheme + "://user:password@host:port/database);"
                        + " if the user or password holds '@', ':', '/' or '#', percent-encode them (%40, %3A, %2F, %23)");
            }
            host = "localhost"; // quaint's default when a Unix socket (host= / socket=) names the server
        }
        return new DatabaseUrl(variable, provider, host, port, database, user, password, parameters);
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return s.length();
    }

    /** Exact-case names, form-decoded values, last one wins: quaint's rules (see PRISMA_PARAMETERS). */
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
            String key = decode(variable, "parameter name", eq < 0 ? pair : pair.substring(0, eq), true);
            boolean secret = isSecretParameter(key);
            if (secret && eq >= 0) {
                Secrets.register(pair.substring(eq + 1)); // before any refusal or decoding can fail, as for the password
            }
            if (!PRISMA_PARAMETERS.contains(key) && PRISMA_PARAMETERS.contains(key.toLowerCase(Locale.ROOT))) {
                throw LauncherException.usage(variable + " has the parameter '" + key + "'; Prisma reads parameter names exactly"
                        + " as written and would ignore it: write it as '" + key.toLowerCase(Locale.ROOT) + "'");
            }
            String value = eq < 0 ? "" : decode(variable, "parameter " + key, pair.substring(eq + 1), true);
            if (secret) {
                Secrets.register(value); // the bare value: Prisma or a driver may print it without its name
            }
            out.remove(key); // the last one wins, and is listed where it stands
            out.put(key, value);
        }
        return out;
    }

    /**
     * A parameter whose value is a secret: {@code sslpassword} (the TLS identity's password), and
     * any other name ending in "password" a user may add ({@code password=} in the query), in any case.
     */
    static boolean isSecretParameter(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith("password");
    }

    /**
     * Percent-decoding as Prisma does it; in the query {@code +} is a space (a form, as the url
     * crate's {@code query_pairs}), elsewhere a literal plus. A NUL is refused: the drivers would
     * cut the value there (or worse), and no database name, user or option holds one.
     */
    private static String decode(String variable, String what, String raw, boolean form) {
        String decoded;
        try {
            decoded = URLDecoder.decode(form ? raw : raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw LauncherException.usage(variable + " has a malformed percent-encoding in the " + what
                    + " (a '%' not followed by two hex digits); write a literal '%' as %25");
        }
        if (decoded.indexOf('\0') >= 0) {
            throw LauncherException.usage(variable + " has a NUL character (%00) in the " + what + "; remove it");
        }
        return decoded;
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
