package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.config.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two listing orders Prisma has had. Up to 6.5 the engine sorted folder names with Rust's
 * {@code str::cmp}, the byte order of their UTF-8; coreutils' {@code sort} under LC_ALL=C is the
 * same order, and is the oracle here. From 6.6 the CLI sorts with localeCompare ({@link PrismaOrder},
 * checked against node in PrismaOrderTest and against the CLI bundles' own function in Prisma6IT).
 */
class MigrationRulesTest {
    static final List<String> NAMES = List.of("1_init", "10_users", "2_alpha", "2_Zeta", "2_zeta", "2-beta", "2.beta",
            "20250101000000_init", "20250101000000_Init", "20250101000000 init", "a", "A", "é", "e", "E", "ß", "ss", "z", "Ω",
            "中", "\uFFFD", "\uE000x", "\uD83D\uDE00_emoji", "\uD800\uDC00", "x~y", "x$y", "résumé", "resume");

    @TempDir
    Path dir;

    @Test
    void upTo65TheOrderIsByteOrderAsCoreutilsSortsIt() throws Exception {
        assertEquals(cSort(NAMES), MigrationRules.ENGINE_LISTED.sort(NAMES));
        List<String> random = randomNames(2000);
        assertEquals(cSort(random), MigrationRules.ENGINE_LISTED.sort(random));
    }

    @Test
    void codePointOrderIsNotUtf16Order() {
        // U+E000 sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 (String.compareTo)
        assertTrue("\uE000".compareTo("\uD83D\uDE00") > 0);
        assertTrue(MigrationRules.compareCodePoints("\uE000", "\uD83D\uDE00") < 0);
        assertEquals(List.of("a", "ab", "b"), MigrationRules.ENGINE_LISTED.sort(List.of("b", "ab", "a")));
    }

    @Test
    void from66TheOrderIsLocaleCompare() {
        assertEquals(PrismaOrder.sort(NAMES), MigrationRules.CLI_LISTED.sort(NAMES));
        List<String> issue = List.of("2_Zeta", "10_users", "2_alpha", "1_init");
        assertEquals(List.of("1_init", "10_users", "2_alpha", "2_Zeta"), MigrationRules.CLI_LISTED.sort(issue));
        assertEquals(List.of("10_users", "1_init", "2_Zeta", "2_alpha"), MigrationRules.ENGINE_LISTED.sort(issue));
    }

    @Test
    void theFolderIsReadWithTheInstalledVersionsOrderAndTheSameEntries() throws IOException {
        for (String name : List.of("2_Zeta", "10_users", "2_alpha", "1_init", "real")) {
            Files.createDirectories(dir.resolve(name));
            Files.writeString(dir.resolve(name).resolve("migration.sql"), "SELECT 1;");
        }
        Files.createSymbolicLink(dir.resolve("0_linked"), dir.resolve("real")); // no version follows links
        Files.writeString(dir.resolve("0_file"), "");
        LocalMigrations six = LocalMigrations.read(dir, Provider.POSTGRESQL, MigrationRules.ENGINE_LISTED);
        LocalMigrations seven = LocalMigrations.read(dir, Provider.POSTGRESQL, MigrationRules.CLI_LISTED);
        assertEquals(List.of("10_users", "1_init", "2_Zeta", "2_alpha", "real"), six.names());
        assertEquals(List.of("1_init", "10_users", "2_alpha", "2_Zeta", "real"), seven.names());
        assertEquals(seven.names(), LocalMigrations.read(dir, Provider.POSTGRESQL).names(), "without a version: 7.10.1's rules");
        assertNotEquals(six.names(), seven.names());
    }

    private static List<String> randomNames(int n) {
        Random random = new Random(7);
        String alphabet = "0123456789_-. abcxyzABCXYZ~$éÉßΩ中\uE000";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            int length = 1 + random.nextInt(8);
            for (int j = 0; j < length; j++) {
                if (random.nextInt(20) == 0) {
                    b.appendCodePoint(0x1F600 + random.nextInt(40));
                } else {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            names.add(b.toString());
        }
        return names;
    }

    /** coreutils sort in the C locale: plain byte comparison. */
    private List<String> cSort(List<String> names) throws Exception {
        Path in = Files.write(dir.resolve("names.txt"), names, StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder("sort", in.toString());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
