package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.prismalauncher.LauncherException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which schema file names the direct connection, and how PRISMA_COMMAND splits, at their edges. */
class ConfigEdgesTest {
    @TempDir
    Path dir;

    private static final String DATASOURCE = "datasource db {\n  provider = \"postgresql\"\n  directUrl = env(\"DIRECT\")\n}\n";

    @Test
    void aSchemaUpToTheSizeLimitIsRead() throws IOException {
        Path file = Files.writeString(dir.resolve("schema.prisma"), DATASOURCE);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(16L << 20); // exactly the limit: NUL padding after the datasource
        }
        assertEquals(Optional.of("DIRECT"), PrismaSchema.directUrlVariable(file));
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((16L << 20) + 1);
        }
        assertEquals(Optional.empty(), PrismaSchema.directUrlVariable(file), "past the limit: not read");
    }

    @Test
    void commentsAndStrings() {
        assertEquals("url = \"a\\\"//b\" ", PrismaSchema.withoutComment("url = \"a\\\"//b\" // c"), "an escaped quote does not end the string");
        assertEquals("x /", PrismaSchema.withoutComment("x /"));
        assertEquals("x ", PrismaSchema.withoutComment("x //"));
        assertEquals("x / y", PrismaSchema.withoutComment("x / y"));
        assertEquals("", PrismaSchema.withoutComment("// all comment"));
    }

    @Test
    void aSchemaFolderReadsOnlyItsPrismaFilesAndTheSchemaFlagNeedsAValue() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("schema"));
        Files.writeString(folder.resolve("a.prisma.bak"), DATASOURCE.replace("DIRECT", "BACKUP"));
        Files.createDirectories(folder.resolve("dir.prisma"));
        Files.writeString(folder.resolve("b.prisma"), DATASOURCE);
        assertEquals(List.of(folder.resolve("b.prisma")), PrismaSchema.files(dir.resolve("migrations"), List.of("--schema=" + folder)));
        assertEquals(Optional.of("DIRECT"), PrismaSchema.directUrlVariable(dir.resolve("migrations"), List.of("--schema", folder.toString())));
        // a trailing --schema without a value names nothing: the default places are looked at (here: the folder beside migrations)
        assertEquals(List.of(folder.resolve("b.prisma")), PrismaSchema.files(dir.resolve("migrations"), List.of("--schema")));
        assertEquals(List.of(), PrismaSchema.files(dir.resolve("x/y/migrations"), List.of("--schema")));
    }

    @Test
    void prismaCommandWordsWithEscapes() {
        assertEquals(List.of("a\"b", "c\\d"), Values.words("PRISMA_COMMAND", "\"a\\\"b\" 'c\\d'"));
        assertEquals(List.of("ab\\"), Values.words("PRISMA_COMMAND", "ab\\"), "a trailing backslash stays");
        assertThrows(LauncherException.class, () -> Values.words("PRISMA_COMMAND", "\"a\\\""), "a backslash escapes the closing quote");
        assertEquals(List.of("a b"), Values.words("PRISMA_COMMAND", "a\\ b"));
        assertEquals("PRISMA_COMMAND has an unclosed \" quote", assertThrows(LauncherException.class,
                () -> Values.words("PRISMA_COMMAND", "\"a\\")).getMessage(), "a backslash at the very end inside double quotes");
        assertEquals(List.of(), Values.words("PRISMA_COMMAND", null));
        assertEquals(List.of(), Values.words("PRISMA_COMMAND", "  \t "));
        assertEquals("PRISMA_COMMAND has an unclosed \" quote",
                assertThrows(LauncherException.class, () -> Values.words("PRISMA_COMMAND", "\"open")).getMessage());
        assertEquals(List.of("x"), Values.words("X", new String("x".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)));
    }
}
