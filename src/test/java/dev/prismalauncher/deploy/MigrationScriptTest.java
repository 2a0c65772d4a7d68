package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.migrations.Checksum;
import dev.prismalauncher.migrations.LocalMigration;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** migration.sql as the engine runs it: node's text, Prisma's checksum, a bounded size, P3015 when missing. */
class MigrationScriptTest {
    @TempDir
    Path dir;

    private LocalMigration migration(byte[] content) throws IOException {
        Path folder = Files.createDirectories(dir.resolve("20250101000000_m"));
        Files.write(folder.resolve("migration.sql"), content);
        return new LocalMigration("20250101000000_m", folder, folder.resolve("migration.sql"));
    }

    @Test
    void validUtf8IsTakenAsItIsAndHashedAsPrismaHashesIt() throws IOException {
        byte[] raw = "CREATE TABLE \"café\" (id INT); -- 😀\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        MigrationScript s = MigrationScript.read(migration(raw));
        assertEquals("CREATE TABLE \"café\" (id INT); -- 😀\r\n", s.text());
        assertEquals(Checksum.of(raw), s.checksum());
        assertEquals(raw.length, s.bytes());
    }

    /** Invalid bytes read as node reads them: one U+FFFD per maximal invalid sequence (WHATWG). */
    @Test
    void invalidUtf8ReadsAsNodeReadsIt() throws IOException {
        byte[] raw = {'a', (byte) 0xC3, 'b', (byte) 0xE2, (byte) 0x82, 'c', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'd', (byte) 0xF4, (byte) 0x90};
        assertEquals("a\uFFFDb\uFFFDc\uFFFD\uFFFD\uFFFDd\uFFFD\uFFFD", MigrationScript.read(migration(raw)).text());
    }

    @Test
    void aScriptOverTheLimitIsRefusedBeforeAnythingIsWritten() throws IOException {
        LocalMigration m = migration(new byte[0]);
        try (RandomAccessFile f = new RandomAccessFile(m.script().toFile(), "rw")) {
            f.setLength(MigrationScript.LIMIT + 1); // sparse: nothing is read before the size is checked
        }
        LauncherException e = assertThrows(LauncherException.class, () -> MigrationScript.read(m));
        assertEquals(ExitCode.DEPLOY_FAILED, e.exitCode());
        assertTrue(e.getMessage().contains("more than the JDBC engine's limit of 16777216 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("DEPLOY_ENGINE=prisma"), e.getMessage());
    }

    @Test
    void aFolderWithoutMigrationSqlIsPrismasP3015() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("20250101000000_empty"));
        LauncherException e = assertThrows(LauncherException.class,
                () -> MigrationScript.read(new LocalMigration("20250101000000_empty", folder, null)));
        assertEquals(ExitCode.DEPLOY_FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("P3015: Could not find the migration file at " + folder.resolve("migration.sql")), e.getMessage());
    }
}
