package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrismaSchemaTest {
    @TempDir
    Path dir;

    private Path schema(String text) throws IOException {
        Files.createDirectories(dir.resolve("prisma/migrations"));
        return Files.writeString(dir.resolve("prisma/schema.prisma"), text);
    }

    @Test
    void readsTheDatasourcesDirectUrlVariable() throws IOException {
        schema("""
                generator client {
                  provider = "prisma-client-js"
                  directUrl = env("NOT_THIS") // not a datasource
                }

                datasource db {
                  provider  = "postgresql" // comment with "quotes"
                  url       = env("DATABASE_URL")
                  // directUrl = env("COMMENTED")
                  directUrl = env("DIRECT_URL") // Supabase: the session connection
                }
                """);
        assertEquals(Optional.of("DIRECT_URL"), PrismaSchema.directUrlVariable(dir.resolve("prisma/migrations"), List.of()));
    }

    @Test
    void noDirectUrlOrNoSchema() throws IOException {
        assertEquals(Optional.empty(), PrismaSchema.directUrlVariable(dir.resolve("prisma/migrations"), List.of()));
        schema("datasource db {\n  provider = \"postgresql\"\n  url = \"postgresql://u:p@h/db\" // a // inside a string\n}\n");
        assertEquals(Optional.empty(), PrismaSchema.directUrlVariable(dir.resolve("prisma/migrations"), List.of()));
        assertEquals("url = \"postgresql://u:p@h/db\" ", PrismaSchema.withoutComment("url = \"postgresql://u:p@h/db\" // c"));
    }

    @Test
    void followsSchemaArgumentToAFileOrAFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("db/schema"));
        Files.writeString(folder.resolve("models.prisma"), "model A {\n  id Int @id\n}\n");
        Files.writeString(folder.resolve("source.prisma"), "datasource db {\n  provider = \"postgresql\"\n  directUrl = env(\"NEON_DIRECT\")\n}\n");
        assertEquals(Optional.of("NEON_DIRECT"), PrismaSchema.directUrlVariable(dir.resolve("x/migrations"), List.of("--schema=" + folder)));
        assertEquals(Optional.of("NEON_DIRECT"),
                PrismaSchema.directUrlVariable(dir.resolve("x/migrations"), List.of("--schema", folder.resolve("source.prisma").toString())));
    }

    /** MIGRATE_DATABASE_URL > the directUrl variable when set > DATABASE_URL. */
    @Test
    void theConnectionUsedFollowsPrisma() throws IOException {
        schema("datasource db {\n  provider = \"postgresql\"\n  url = env(\"DATABASE_URL\")\n  directUrl = env(\"DIRECT_URL\")\n}\n");
        String migrations = dir.resolve("prisma/migrations").toString();
        String[] args = {"migrate", "--migrations-dir", migrations};
        String pooled = "postgresql://u@pooler:6543/db?pgbouncer=true";
        Config direct = CommandLine.parse(args, Map.of("DATABASE_URL", pooled, "DIRECT_URL", "postgresql://u@direct:5432/db"));
        assertEquals("direct", direct.databaseUrl().host());
        assertEquals("DIRECT_URL", direct.databaseUrl().variable());
        Config migrate = CommandLine.parse(args, Map.of("DATABASE_URL", pooled, "DIRECT_URL", "postgresql://u@direct:5432/db",
                "MIGRATE_DATABASE_URL", "postgresql://u@mig:5432/db"));
        assertEquals("mig", migrate.databaseUrl().host());
        Config plain = CommandLine.parse(args, Map.of("DATABASE_URL", "postgresql://u@only:5432/db", "DIRECT_URL", " "));
        assertEquals("only", plain.databaseUrl().host());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(dev.prismalauncher.LauncherException.class,
                () -> CommandLine.parse(args, Map.of("DATABASE_URL", pooled))).getMessage().contains("directUrl"));
    }
}
