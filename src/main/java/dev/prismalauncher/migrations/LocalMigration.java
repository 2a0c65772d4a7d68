package dev.prismalauncher.migrations;

import java.nio.file.Path;

/**
 * One folder of the migrations directory. The script is never held in memory: its checksum is
 * streamed from disk when asked for (only `status` and the `applied` strategy need one).
 *
 * @param script the folder's migration.sql; null when the folder has none (Prisma proceeds if the
 *     migration is already applied, and fails if it has to apply it)
 */
public record LocalMigration(String name, Path directory, Path script) {

    public boolean hasScript() {
        return script != null;
    }

    public String checksum() {
        return Checksum.of(script);
    }

    /** Whether migration.sql still matches the stored checksum; false when there is no migration.sql. */
    public boolean matches(String storedChecksum) {
        return script != null && Checksum.matches(script, storedChecksum);
    }
}
