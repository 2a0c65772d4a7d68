package dev.prismalauncher.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.UnmanagedTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** P3005: a database with tables but no _prisma_migrations is refused, naming the baseline command. */
class BaselineTest {
    @TempDir
    Path dir;

    @Test
    void tablesWithoutAMigrationTableAreRefusedNoTablesAreNot() throws IOException {
        DatabaseUrl url = DatabaseUrl.parse("DATABASE_URL", "postgresql://u@h/shop");
        Files.createDirectories(dir.resolve("20250101000000_init"));
        LocalMigrations local = LocalMigrations.read(dir, Provider.POSTGRESQL);
        Baseline.refuseUnmanaged(url, new UnmanagedTables(0, List.of()), local);
        LauncherException e = assertThrows(LauncherException.class,
                () -> Baseline.refuseUnmanaged(url, new UnmanagedTables(2, List.of("User", "Post")), local));
        assertEquals(ExitCode.DEPLOY_FAILED, e.exitCode());
        assertTrue(e.getMessage().startsWith("postgresql://u@h:5432/shop?schema=public has 2 tables: User, Post, but no _prisma_migrations table"),
                e.getMessage());
        assertTrue(e.getMessage().contains("`prisma migrate resolve --applied 20250101000000_init`"), e.getMessage());
        LocalMigrations none = new LocalMigrations(dir, null, Map.of());
        assertTrue(assertThrows(LauncherException.class, () -> Baseline.refuseUnmanaged(url, new UnmanagedTables(1, List.of("a")), none))
                .getMessage().contains("`prisma migrate resolve --applied <first migration>`"));
    }
}
