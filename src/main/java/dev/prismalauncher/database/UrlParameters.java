package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** Checks of Prisma URL parameters shared by the dialects. */
final class UrlParameters {
    /** Prisma's connection-pool and engine tuning: meaningless for one short-lived JDBC connection. */
    static final Set<String> POOL_ONLY = Set.of(
            "connection_limit", "pool_timeout", "statement_cache_size", "max_connection_lifetime",
            "max_idle_connection_lifetime", "schema_disable_advisory_lock", "single_use_connections");

    /** Prisma's default connect_timeout, in seconds. */
    static final int DEFAULT_CONNECT_TIMEOUT = 5;

    /**
     * Without socket_timeout (or with 0) a reply is awaited this long, in seconds: our queries are
     * small and quick, so a longer silence means a partition (failover, a NAT dropping the flow),
     * and waiting without bound would hang the start.
     */
    static final int DEFAULT_SOCKET_TIMEOUT = 30;

    /** connect_timeout and socket_timeout, whole numbers of seconds where given (exit 2 otherwise). */
    static void checkTimeouts(DatabaseUrl url) {
        seconds(url, "connect_timeout", DEFAULT_CONNECT_TIMEOUT);
        seconds(url, "socket_timeout", 0);
    }

    static int socketTimeout(DatabaseUrl url) {
        int seconds = seconds(url, "socket_timeout", DEFAULT_SOCKET_TIMEOUT);
        return seconds == 0 ? DEFAULT_SOCKET_TIMEOUT : seconds;
    }

    /** A parameter naming a file or directory must name it absolutely: {@code what} says what it names. */
    static void requireAbsolutePath(DatabaseUrl url, String name, String what) {
        String path = url.parameter(name);
        if (path != null && !path.startsWith("/")) {
            throw LauncherException.usage(url.variable() + " has " + name + "=" + path + "; " + name + "= names " + what
                    + " and must be an absolute path");
        }
    }

    static void refuseUnknown(DatabaseUrl url, Set<String> known) {
        for (String key : url.parameters().keySet()) {
            if (!known.contains(key) && !POOL_ONLY.contains(key)) {
                throw LauncherException.usage(url.variable() + " has the parameter '" + key + "', which prisma-launcher does not"
                        + " understand for " + url.provider().prismaName() + "; supported: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
    }

    /** The URL's user and password as the driver's properties; either may be absent, or empty. */
    static Properties credentials(DatabaseUrl url) {
        Properties p = new Properties();
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        return p;
    }

    /** Sets a driver property where the URL gives a value. */
    static void put(Properties p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.setProperty(key, value);
        }
    }

    /** Prisma's sslaccept, lower-cased: strict, accept_invalid_certs, or "" when absent. */
    static String sslAccept(DatabaseUrl url) {
        String accept = url.parameters().getOrDefault("sslaccept", "").toLowerCase(Locale.ROOT);
        if (!Set.of("", "strict", "accept_invalid_certs").contains(accept)) {
            throw LauncherException.usage(url.variable() + " has sslaccept=" + accept + "; use strict or accept_invalid_certs");
        }
        return accept;
    }

    static int seconds(DatabaseUrl url, String name, int fallback) {
        String value = url.parameter(name);
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw LauncherException.usage(url.variable() + " has " + name + "=" + value + "; it must be a whole number of seconds");
        }
    }

    private UrlParameters() {}
}
