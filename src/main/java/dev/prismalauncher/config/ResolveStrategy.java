package dev.prismalauncher.config;

import dev.prismalauncher.LauncherException;
import java.util.Locale;

/** What to do with a failed migration, named after `prisma migrate resolve`'s two flags. */
public enum ResolveStrategy {
    /** Leave failed migrations alone and stop with exit 4. */
    NONE("none"),
    /** As `prisma migrate resolve --rolled-back`: the migration is retried by the next deploy. */
    ROLLED_BACK("rolled-back"),
    /** As `prisma migrate resolve --applied`: recorded as applied without running it again. */
    APPLIED("applied"),
    /** Decide per failed migration from the database's evidence; refuse (exit 4) unless it is conclusive. */
    AUTO("auto");

    private final String label;

    ResolveStrategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ResolveStrategy parse(String source, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (ResolveStrategy s : values()) {
            if (s.label.equals(v)) {
                return s;
            }
        }
        throw LauncherException.usage(source + "='" + value + "' is not a strategy: use none, rolled-back or applied, or auto to decide from the database's evidence");
    }
}
