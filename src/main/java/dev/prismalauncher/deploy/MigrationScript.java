package dev.prismalauncher.deploy;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.migrations.Checksum;
import dev.prismalauncher.migrations.LocalMigration;
import java.io.IOException;
import java.nio.file.Files;

/**
 * One migration.sql as the engine runs it: the text Prisma's CLI reads (node's UTF-8 decoding) and
 * its checksum as Prisma records it.
 *
 * <p>Held whole, as Prisma holds it (the CLI reads it into a string, the engine gets it over
 * JSON-RPC, PostgreSQL receives it as one query): the simple protocol has no way to stream one
 * query. So the size is bounded: {@link #LIMIT} keeps the peak (file bytes, the decoded string,
 * the driver's encoded copy: about four times the file for non-ASCII text) well inside the
 * launcher's 128 MiB heap, and under MariaDB's default max_allowed_packet (16 MiB), past which the
 * server would refuse the query anyway.
 */
public record MigrationScript(String name, String text, String checksum, long bytes) {
    /** 16 MiB. Prisma's own schema engine accepts larger scripts; DEPLOY_ENGINE=prisma is the way out. */
    public static final long LIMIT = 16L * 1024 * 1024;

    public static MigrationScript read(LocalMigration migration) {
        if (!migration.hasScript()) {
            // what the engine answers when it has to apply a folder without migration.sql
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "P3015: Could not find the migration file at "
                    + migration.directory().resolve("migration.sql") + ". Please delete the directory or restore the migration file."
                    + " Nothing was applied for " + migration.name());
        }
        try {
            long size = Files.size(migration.script());
            if (size > LIMIT) {
                throw new LauncherException(ExitCode.DEPLOY_FAILED, migration.script() + " is " + size + " bytes, more than the JDBC"
                        + " engine's limit of " + LIMIT + " bytes (16 MiB: a script reaches the database as one query, held whole in"
                        + " memory). Nothing was applied for " + migration.name() + ". Split the migration, or deploy it with"
                        + " DEPLOY_ENGINE=prisma");
            }
            byte[] raw = Files.readAllBytes(migration.script());
            return new MigrationScript(migration.name(), Checksum.text(raw), Checksum.of(raw), raw.length);
        } catch (IOException e) {
            throw new LauncherException(ExitCode.DEPLOY_FAILED, "cannot read " + migration.script() + ": " + e.getMessage()
                    + "; nothing was applied for " + migration.name());
        }
    }
}
