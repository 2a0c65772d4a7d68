package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.Provider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock file's provider value at its edges, and what the folder's warnings print of a hostile name. */
class LocalMigrationsEdgesTest {
    @TempDir
    Path dir;

    @Test
    void theProviderValueLosesEveryLeadingPrefixAndSurroundingQuote() {
        assertEquals("postgresql", LocalMigrations.providerValue("provider = \"postgresql\""));
        assertEquals("postgresql", LocalMigrations.providerValue("provider = provider = postgresql"));
        assertEquals("", LocalMigrations.providerValue("provider = \"\""));
        assertEquals("", LocalMigrations.providerValue("provider = \""));
        assertEquals("", LocalMigrations.providerValue("provider = "));
        assertEquals("a\"b", LocalMigrations.providerValue("provider = \"\"a\"b\"\""));
        assertEquals("provider", LocalMigrations.providerValue("provider"));
    }

    @Test
    void aLockFileWithoutAFinalNewlineAndAnUnreadableOne() throws IOException {
        Files.writeString(dir.resolve("migration_lock.toml"), "# x\nprovider = \"mysql\"");
        assertEquals("mysql", LocalMigrations.readLockProvider(dir));
        Files.writeString(dir.resolve("migration_lock.toml"), "provider = \"mysql\"\r\n");
        assertEquals("mysql", LocalMigrations.readLockProvider(dir));
        Files.delete(dir.resolve("migration_lock.toml"));
        Files.createDirectory(dir.resolve("migration_lock.toml"));
        assertEquals(null, LocalMigrations.readLockProvider(dir), "unreadable: as if there were none, as Prisma reads it");
    }

    @Test
    void namesAreLoggedWithControlCharactersEscaped() throws IOException {
        assertEquals("a\\u000ab\\u001b[31m\\u007f", LocalMigrations.printable("a\nb\u001b[31m\u007f"));
        assertEquals("caf\u00e9 \u20ac", LocalMigrations.printable("caf\u00e9 \u20ac"));
        Files.createDirectories(dir.resolve("20250101000000_a\nINFO forged"));
        Files.createDirectories(dir.resolve("20250102000000_quote'd"));
        Files.writeString(Files.createDirectories(dir.resolve("20250104000000_" + "x".repeat(240))).resolve("migration.sql"), "");
        String err = stderr(() -> LocalMigrations.read(dir, Provider.POSTGRESQL));
        List<String> lines = err.lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("INFO forged")), err);
        assertTrue(err.contains("20250101000000_a\\u000aINFO forged contains a quote, backslash or control character"), err);
        assertTrue(err.contains("20250102000000_quote'd contains a quote"), err);
        assertTrue(!err.contains("20250104000000_" + "x".repeat(240) + " is longer"), "255 characters exactly is fine (longer names do not fit ext4 anyway)");
        assertEquals(4, lines.stream().filter(l -> l.startsWith("WARN")).count(), err); // two names, two folders without migration.sql
    }

    /** A name the JVM decoded with replacement characters (no UTF-8 locale) is refused, naming the fix. */
    @Test
    void aNameTheLocaleCannotDecodeIsRefused() throws Exception {
        // made by the shell from bytes, so that the JVM reads a U+FFFD in it whatever its own file-name charset
        Path undecodable = Files.createDirectories(dir.resolve("undecodable"));
        Process mkdir = new ProcessBuilder("sh", "-c", "mkdir \"$(printf '20250101000000_caf\\357\\277\\275')\"")
                .directory(undecodable.toFile()).inheritIO().start();
        assertEquals(0, mkdir.waitFor());
        Path plain = Files.createDirectories(dir.resolve("plain").resolve("20250102000000_plain"));
        String saved = System.getProperty("sun.jnu.encoding");
        try {
            System.setProperty("sun.jnu.encoding", "ANSI_X3.4-1968"); // what the JVM reports without LANG
            dev.prismalauncher.LauncherException e = org.junit.jupiter.api.Assertions.assertThrows(dev.prismalauncher.LauncherException.class,
                    () -> LocalMigrations.read(undecodable, Provider.POSTGRESQL));
            assertEquals(dev.prismalauncher.ExitCode.USAGE, e.exitCode());
            assertTrue(e.getMessage().contains("set LANG=C.UTF-8 in the image"), e.getMessage());
            assertEquals(1, LocalMigrations.read(plain.getParent(), Provider.POSTGRESQL).names().size(), "an ASCII name is fine in any locale");
            System.setProperty("sun.jnu.encoding", "UTF8");
            assertEquals(1, LocalMigrations.read(undecodable, Provider.POSTGRESQL).names().size(), "with UTF-8 the name is what it is");
        } finally {
            System.setProperty("sun.jnu.encoding", saved);
            // removed by the shell too: a JVM without a UTF-8 locale cannot name it to delete it
            new ProcessBuilder("rm", "-rf", undecodable.toString()).inheritIO().start().waitFor();
        }
    }

    private static String stderr(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            body.run();
        } finally {
            System.setErr(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
