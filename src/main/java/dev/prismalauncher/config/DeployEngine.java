package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.util.Locale;

/** Who applies pending migrations: Prisma's CLI (the default), or the launcher itself over JDBC. */
public enum DeployEngine {
    /** `prisma migrate deploy`, as a child process. */
    PRISMA("prisma"),
    /** The launcher, with Prisma 7.10.1's schema-engine semantics, starting no Node or Prisma process. */
    JDBC("jdbc");

    private final String label;

    DeployEngine(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static DeployEngine parse(String source, String value) {
        if (value == null || value.isBlank()) {
            return PRISMA;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (DeployEngine e : values()) {
            if (e.label.equals(v)) {
                return e;
            }
        }
        throw LauncherException.usage(source + "='" + value + "' is not a deploy engine: use prisma (the default: `prisma migrate deploy`)"
                + " or jdbc (the launcher applies the migrations itself, no Node or Prisma needed)");
    }
}
