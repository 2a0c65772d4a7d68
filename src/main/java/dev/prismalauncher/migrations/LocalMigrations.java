package dev.prismalauncher.migrations;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local migrations folder read as Prisma 7 reads it (the CLI's listMigrations, the engine's
 * migrations_directory.rs): every entry that is a directory itself (a symlink is not followed)
 * is a migration, sorted in {@link PrismaOrder} (or as older Prisma sorts: {@link MigrationRules}); migration_lock.toml's first line starting with
 * {@code provider} names the provider. Scripts are not read here: see {@link LocalMigration}.
 */
public record LocalMigrations(Path directory, String lockProvider, Map<String, LocalMigration> byName) {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");
    /** What the engine reports when the lock file has no provider line. */
    static final String PROVIDER_NOT_FOUND = "<PROVIDER NOT FOUND>";
    /** Prisma writes three lines; more than this much of a lock file is not read (memory stays bounded). */
    private static final int LOCK_FILE_LIMIT = 1 << 20;

    public LocalMigrations {
        byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    /** The folder as Prisma 7.10.1 lists it. */
    public static LocalMigrations read(Path directory, Provider provider) {
        return read(directory, provider, MigrationRules.CLI_LISTED);
    }

    /** The folder as the installed Prisma lists it ({@link MigrationRules}: the order differs up to 6.5). */
    public static LocalMigrations read(Path directory, Provider provider, MigrationRules rules) {
        // Stricter than Prisma, which deploys nothing and succeeds: an image that forgot to copy
        // prisma/ would otherwise start unmigrated.
        if (!Files.isDirectory(directory)) {
            throw LauncherException.usage("migrations folder " + directory.toAbsolutePath() + " does not exist;"
                    + " run from the app's root or set PRISMA_MIGRATIONS_DIR (--migrations-dir)");
        }
        String lockProvider = readLockProvider(directory);
        // error_on_changed_provider: an exact comparison with the connector's name; no lock file, no check
        if (lockProvider != null && !lockProvider.equals(provider.prismaName())) {
            throw LauncherException.usage("P3019: the datasource provider `" + provider.prismaName() + "` does not match the one"
                    + " specified in " + directory.resolve("migration_lock.toml") + ", `" + lockProvider + "`; prisma migrate deploy"
                    + " refuses this too. The file must have a line exactly `provider = \"" + provider.prismaName() + "\"`"
                    + " (at the start of the line, double quotes), or DATABASE_URL points at the wrong kind of database");
        }
        List<String> names = new ArrayList<>();
        Map<String, Path> folders = new LinkedHashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                checkDecodable(entry, name);
                // Dirent.isDirectory(): a symlink is not a directory, whatever it points to
                if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    names.add(name);
                    folders.put(name, entry);
                } else if (Files.isSymbolicLink(entry) && Files.isDirectory(entry)) {
                    log.warn("{} is a symbolic link; Prisma does not follow links in the migrations folder, so it is not a migration:"
                            + " copy the folder instead", printable(entry.toString()));
                }
            }
        } catch (IOException e) {
            throw LauncherException.usage("cannot read migrations folder " + directory + ": " + e.getMessage());
        }
        Map<String, LocalMigration> byName = new LinkedHashMap<>();
        for (String name : rules.sort(names)) {
            Path folder = folders.get(name);
            warnAboutName(folder, name);
            Path sql = folder.resolve("migration.sql");
            boolean hasScript = Files.isRegularFile(sql);
            if (!hasScript) {
                log.warn("{} has no migration.sql: fine if it is already applied (Prisma ignores it then),"
                        + " but prisma migrate deploy fails if it has to apply it", printable(folder.toString()));
            }
            byName.put(name, new LocalMigration(name, folder, hasScript ? sql : null));
        }
        return new LocalMigrations(directory, lockProvider, byName);
    }

    /**
     * The JVM decodes file names with the locale's charset; without LANG that is ASCII and "café"
     * reads as "caf\uFFFD\uFFFD", a name no row has, so every start would deploy and then find it
     * still pending (exit 5). Node reads it right, so refuse up front, naming the fix.
     */
    private static void checkDecodable(Path entry, String name) {
        String charset = System.getProperty("sun.jnu.encoding", "UTF-8");
        if (name.indexOf('\uFFFD') >= 0 && !charset.equalsIgnoreCase("UTF-8") && !charset.equalsIgnoreCase("UTF8")) {
            throw LauncherException.usage("cannot read the name of " + printable(entry.toString()) + ": it is not ASCII and the"
                    + " locale's file-name charset is " + charset + " (LANG/LC_ALL unset?); set LANG=C.UTF-8 in the image");
        }
    }

    /** Prisma accepts any folder name (values are bound); names it never generates get a warning. */
    private static void warnAboutName(Path folder, String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '\'' || c == '"' || c == '`' || c == '\\' || Character.isISOControl(c)) {
                log.warn("migration folder name {} contains a quote, backslash or control character; Prisma accepts it,"
                        + " but tools that paste names into SQL or logs may not", printable(name));
                return;
            }
        }
        if (name.length() > 255) {
            log.warn("migration folder name {} is longer than the 255 characters _prisma_migrations.migration_name holds;"
                    + " prisma migrate deploy fails if it has to apply it", printable(name));
        }
    }

    /** A name for a log line: control characters escaped, so a name cannot forge log lines. */
    static String printable(String s) {
        return dev.prismalauncher.log.LogText.printable(s);
    }

    /**
     * read_provider_from_lock_file: null without a lock file; else the first line (split at LF, a
     * trailing CR dropped, as Rust's str::lines) that starts with "provider", with every leading
     * "provider = " and all surrounding double quotes trimmed; PROVIDER_NOT_FOUND if none.
     */
    static String readLockProvider(Path directory) {
        Path lock = directory.resolve("migration_lock.toml");
        if (!Files.exists(lock)) {
            return null;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = Files.newInputStream(lock)) {
            byte[] text = Checksum.decodedUtf8(in, LOCK_FILE_LIMIT);
            for (int i = 0; i <= text.length; i++) {
                if (i == text.length || text[i] == '\n') {
                    String l = line.toString(StandardCharsets.UTF_8);
                    if (i < text.length && l.endsWith("\r")) {
                        l = l.substring(0, l.length() - 1);
                    }
                    if (l.startsWith("provider")) {
                        return providerValue(l);
                    }
                    line.reset();
                } else {
                    line.write(text[i]);
                }
            }
            return PROVIDER_NOT_FOUND;
        } catch (IOException e) {
            // Prisma reads an unreadable lock file as none at all
            return null;
        }
    }

    static String providerValue(String line) {
        String v = line;
        while (v.startsWith("provider = ")) {
            v = v.substring("provider = ".length());
        }
        int start = 0;
        int end = v.length();
        while (start < end && v.charAt(start) == '"') {
            start++;
        }
        while (end > start && v.charAt(end - 1) == '"') {
            end--;
        }
        return v.substring(start, end);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public LocalMigration get(String name) {
        return byName.get(name);
    }
}
