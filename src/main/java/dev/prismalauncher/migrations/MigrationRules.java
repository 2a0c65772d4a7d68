package dev.prismalauncher.migrations;

import java.util.ArrayList;
import java.util.List;

/**
 * How the installed Prisma lists the migrations folder, where versions differ. Everything else the
 * launcher reads from the folder is the same from Prisma 2 to 7.10.1: an entry counts when it is
 * itself a directory (a symlink is not followed: node's {@code Dirent.isDirectory()} in the CLI,
 * Rust's {@code DirEntry::file_type().is_dir()} in the engine), and migration_lock.toml is parsed by
 * the engine's {@code read_provider_from_lock_file} in both eras.
 *
 * <p>The order is what changed. Up to 6.5 the schema engine listed the folder itself
 * ({@code migrations_directory.rs}: {@code entries.sort_by(|a, b| a.migration_name().cmp(b.migration_name()))},
 * byte order of the UTF-8 names). From 6.6 the CLI lists it ({@code listMigrations}:
 * {@code readdir(dir, {withFileTypes: true})}, {@code filter(d => d.isDirectory())},
 * {@code sort((a, b) => a.path.localeCompare(b.path))}) and hands the list to the engine, which keeps
 * that order; 6.19.3 and 7.10.1 have the same function.
 */
public enum MigrationRules {
    /** Prisma 6.6 and later (7.10.1 included): the CLI's listMigrations, {@link PrismaOrder}. */
    CLI_LISTED("listed by the CLI, in localeCompare order (Prisma 6.6 and later)") {
        @Override
        public List<String> sort(Iterable<String> names) {
            return PrismaOrder.sort(names);
        }
    },
    /** Prisma 6.5 and earlier: the engine's list_migrations, byte order of the UTF-8 names. */
    ENGINE_LISTED("listed by the schema engine, in byte order (Prisma 6.5 and earlier)") {
        @Override
        public List<String> sort(Iterable<String> names) {
            List<String> out = new ArrayList<>();
            names.forEach(out::add);
            out.sort(MigrationRules::compareCodePoints);
            return out;
        }
    };

    private final String description;

    MigrationRules(String description) {
        this.description = description;
    }

    /** The names in the order this Prisma applies them. */
    public abstract List<String> sort(Iterable<String> names);

    public String description() {
        return description;
    }

    /**
     * UTF-8 byte order is code point order; String.compareTo compares UTF-16 units, which puts
     * U+E000..U+FFFF after the supplementary planes.
     */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
