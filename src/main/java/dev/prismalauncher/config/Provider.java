package dev.prismalauncher.config;

import java.util.Locale;

/** The databases the launcher speaks to, named as Prisma names them in migration_lock.toml. */
public enum Provider {
    POSTGRESQL("postgresql", 5432),
    MYSQL("mysql", 3306);

    private final String prismaName;
    private final int defaultPort;

    Provider(String prismaName, int defaultPort) {
        this.prismaName = prismaName;
        this.defaultPort = defaultPort;
    }

    public String prismaName() {
        return prismaName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The provider of a URL scheme, or null when the scheme is not one we support. */
    static Provider ofScheme(String scheme) {
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "postgresql", "postgres" -> POSTGRESQL;
            case "mysql" -> MYSQL;
            default -> null;
        };
    }
}
