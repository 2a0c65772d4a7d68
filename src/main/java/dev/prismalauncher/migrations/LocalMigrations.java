package dev.prismalauncher.migrations;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The local migrations folder read as Prisma reads it: every sub-directory is a migration, sorted
 * by name in byte order, each holding migration.sql; migration_lock.toml names the provider.
 */
public record LocalMigrations(Path directory, String lockProvider, Map<String, LocalMigration> byName) {
    private static final Pattern PROVIDER = Pattern.compile("(?m)^\\s*provider\\s*=\\s*\"([^\"]*)\"");

    public LocalMigrations {
        byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    public static LocalMigrations read(Path directory, Provider provider) {
        if (!Files.isDirectory(directory)) {
            throw LauncherException.usage("migrations folder " + directory.toAbsolutePath() + " does not exist;"
                    + " run from the app's root or set PRISMA_MIGRATIONS_DIR (--migrations-dir)");
        }
        String lockProvider = readLockProvider(directory);
        if (lockProvider != null && !lockProvider.equals(provider.prismaName())
                && !(provider == Provider.POSTGRESQL && lockProvider.equals("cockroachdb"))) {
            throw LauncherException.usage(directory.resolve("migration_lock.toml") + " says provider = \"" + lockProvider
                    + "\" but the database URL is " + provider.prismaName()
                    + "; point DATABASE_URL at the database these migrations were made for");
        }
        List<Path> folders;
        try (Stream<Path> entries = Files.list(directory)) {
            folders = new ArrayList<>(entries.filter(Files::isDirectory).toList());
        } catch (IOException e) {
            throw LauncherException.usage("cannot read migrations folder " + directory + ": " + e.getMessage());
        }
        // Prisma sorts by name; byte order of the UTF-8 names, not locale order.
        folders.sort((a, b) -> Arrays.compareUnsigned(bytes(a), bytes(b)));
        Map<String, LocalMigration> byName = new LinkedHashMap<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            checkName(folder, name);
            Path sql = folder.resolve("migration.sql");
            if (!Files.isRegularFile(sql)) {
                throw LauncherException.usage("migration folder " + folder + " has no migration.sql;"
                        + " every folder in the migrations directory must be a Prisma migration");
            }
            try {
                byName.put(name, new LocalMigration(name, folder, Files.readAllBytes(sql)));
            } catch (IOException e) {
                throw LauncherException.usage("cannot read " + sql + ": " + e.getMessage());
            }
        }
        return new LocalMigrations(directory, lockProvider, byName);
    }

    /** Names Prisma never generates and a SQL-pasting script would choke on are refused up front. */
    private static void checkName(Path folder, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '\\' || Character.isISOControl(c)) {
                throw LauncherException.usage("migration folder name " + folder.getFileName().toString().replaceAll("\\p{Cntrl}", "?")
                        + " contains a quote, backslash or control character; Prisma never creates such names: rename the folder"
                        + " (and its row in _prisma_migrations, if any) to letters, digits and underscores");
            }
        }
        if (name.length() > 255) {
            throw LauncherException.usage("migration folder name " + name + " is longer than the 255 characters"
                    + " _prisma_migrations.migration_name can hold");
        }
    }

    private static String readLockProvider(Path directory) {
        Path lock = directory.resolve("migration_lock.toml");
        if (!Files.isRegularFile(lock)) {
            return null;
        }
        try {
            Matcher m = PROVIDER.matcher(Files.readString(lock, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw LauncherException.usage("cannot read " + lock + ": " + e.getMessage());
        }
    }

    private static byte[] bytes(Path p) {
        return p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public LocalMigration get(String name) {
        return byName.get(name);
    }
}
