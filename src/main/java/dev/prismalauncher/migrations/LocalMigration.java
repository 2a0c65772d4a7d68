package dev.prismalauncher.migrations;

import java.nio.file.Path;

/**
 * One folder of the migrations directory.
 *
 * @param script migration.sql's bytes, exactly as on disk (the checksum is over these)
 */
public record LocalMigration(String name, Path directory, byte[] script) {

    public String checksum() {
        return Checksum.of(script);
    }

    public boolean matches(String storedChecksum) {
        return Checksum.matches(script, storedChecksum);
    }
}
