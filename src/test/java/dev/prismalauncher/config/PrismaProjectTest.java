package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The migrations folder as migrate deploy derives it (7.10.1's `ss` and schema lookup: migrations.path,
 * else beside --schema / the config's schema / schema.prisma / prisma/schema.prisma, a folder its own
 * root), and --config/--schema read from PRISMA_DEPLOY_ARGS as Prisma's arg parser reads them.
 */
class PrismaProjectTest {
    @TempDir
    Path dir;

    private Path root() throws IOException {
        return dir.toRealPath();
    }

    @Test
    void theMigrationsFolderAsMigrateDeployFindsIt() throws IOException {
        Path root = root();
        assertEquals(Path.of("prisma/migrations"), PrismaProject.migrationsDir(root, null, null, null), "nothing: Prisma's default");
        Files.createDirectories(root.resolve("prisma"));
        Files.writeString(root.resolve("prisma/schema.prisma"), "");
        assertEquals(Path.of("prisma/migrations"), PrismaProject.migrationsDir(root, null, null, null));
        Files.writeString(root.resolve("schema.prisma"), "");
        assertEquals(Path.of("migrations"), PrismaProject.migrationsDir(root, null, null, null), "schema.prisma is looked for first");
        assertEquals(Path.of("db/migrations"), PrismaProject.migrationsDir(root, "db/schema.prisma", null, null), "--schema, relative to cwd");
        Files.createDirectories(root.resolve("models"));
        assertEquals(Path.of("models/migrations"), PrismaProject.migrationsDir(root, "models", null, null), "a schema folder is its own root");
        assertEquals(Path.of("db/migrations"), PrismaProject.migrationsDir(root, "db/schema.prisma", root + "/other/schema.prisma", null),
                "--schema wins over the config's schema");
        assertEquals(Path.of("other/migrations"), PrismaProject.migrationsDir(root, null, root + "/other/schema.prisma", null));
        assertEquals(Path.of("m"), PrismaProject.migrationsDir(root, "db/schema.prisma", null, root + "/m"), "migrations.path wins");
        assertEquals(Path.of("/elsewhere/m"), PrismaProject.migrationsDir(root, null, null, "/elsewhere/m"), "outside cwd: absolute");
    }

    @Test
    void configAndSchemaAreReadFromTheDeployArguments() {
        assertEquals("a.ts", PrismaProject.argument(List.of("--config=a.ts"), "--config"));
        assertEquals("b.ts", PrismaProject.argument(List.of("--schema", "s", "--config", "b.ts"), "--config"));
        assertEquals("s", PrismaProject.argument(List.of("--schema", "s", "--config", "b.ts"), "--schema"));
        assertEquals("c.ts", PrismaProject.argument(List.of("--config=a.ts", "--config=c.ts"), "--config"), "the last one wins");
        assertNull(PrismaProject.argument(List.of("--configs=a.ts", "--config"), "--config"), "not a prefix, not without a value");
    }

    @Test
    void aConfigNamedByConfigIsTheOneRead() throws IOException {
        Path root = root();
        Files.writeString(root.resolve("prisma.config.ts"), "export default { migrations: { path: 'a' }, datasource: { url: 'postgresql://h/d' } }\n");
        Files.createDirectories(root.resolve("ops"));
        Files.writeString(root.resolve("ops/custom.ts"), "export default { migrations: { path: 'b' }, datasource: { url: 'postgresql://h/d' } }\n");
        PrismaProject found = PrismaProject.read(root, List.of(), Map.of(), false, true);
        assertEquals(Path.of("a"), found.migrationsDir());
        assertEquals(PrismaProject.Reading.STATIC, found.reading());
        PrismaProject named = PrismaProject.read(root, List.of("--config=ops/custom.ts"), Map.of(), false, true);
        assertEquals(Path.of("ops/b"), named.migrationsDir(), "relative to the config's folder");
        LauncherException missing = assertThrows(LauncherException.class,
                () -> PrismaProject.read(root, List.of("--config", "nope.ts"), Map.of(), false, true));
        assertEquals(2, missing.exitCode());
        assertTrue(missing.getMessage().contains("Config file not found"), missing.getMessage());
    }

    @Test
    void aConfigPrismaCannotLoadIsRefusedUnlessTheSettingsMakeItCertain() throws IOException {
        Path root = root();
        Files.writeString(root.resolve("prisma.config.ts"),
                "import { defineConfig, env } from 'prisma/config'\nexport default defineConfig({ datasource: { url: env('NOPE') } })\n");
        LauncherException e = assertThrows(LauncherException.class, () -> PrismaProject.read(root, List.of(), Map.of(), false, false));
        assertTrue(e.getMessage().contains("Cannot resolve environment variable: NOPE.") && e.getMessage().contains("PRISMA_MIGRATIONS_DIR")
                && e.getMessage().contains("MIGRATE_DATABASE_URL"), e.getMessage());
        assertThrows(LauncherException.class, () -> PrismaProject.read(root, List.of(), Map.of(), true, true),
                "Prisma itself will load it and fail: certain settings do not help");
        PrismaProject unread = PrismaProject.read(root, List.of(), Map.of(), true, false);
        assertEquals(PrismaProject.Reading.UNREAD, unread.reading());
        assertEquals(ExternalTables.NONE, unread.external());
    }

    @Test
    void externalTablesMatchAsTheEnginesContainsTable() {
        ExternalTables ext = new ExternalTables(List.of("public.legacy", "audit"), List.of("public.mood"));
        assertTrue(ext.isExternal("public", "legacy"));
        assertTrue(ext.isExternal("public", "audit"), "a bare name matches in any namespace");
        assertTrue(ext.isExternal(null, "audit"));
        assertEquals(false, ext.isExternal("other", "legacy"), "qualified: only in its schema");
        assertEquals(false, ext.isExternal(null, "legacy"), "no namespace: only bare names");
        assertEquals(false, ext.isExternal("public", "Legacy"), "case-sensitive");
        assertEquals(false, ext.isExternal("public", "mood"), "enums are not tables");
    }
}
