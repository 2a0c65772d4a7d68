package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
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

    static int socketTimeout(DatabaseUrl url) {
        int seconds = seconds(url, "socket_timeout", DEFAULT_SOCKET_TIMEOUT);
        return seconds == 0 ? DEFAULT_SOCKET_TIMEOUT : seconds;
    }

    static void refuseUnknown(DatabaseUrl url, Set<String> known) {
        for (String key : url.parameters().keySet()) {
            if (!known.contains(key) && !POOL_ONLY.contains(key)) {
                throw LauncherException.usage(url.variable() + " has the parameter '" + key + "', which prisma-launcher does not"
                        + " understand for " + url.provider().prismaName() + "; supported: " + String.join(", ", known.stream().sorted().toList()));
            }
        }
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
