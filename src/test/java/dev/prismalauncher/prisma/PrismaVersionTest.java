package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.migrations.MigrationRules;
import org.junit.jupiter.api.Test;

/**
 * Versions as npm publishes them (`npm view prisma versions`: 6.19.0-dev.1, 8.0.0-rc.19, ...), and
 * the two decisions taken from them: refuse Prisma 8 (no `migrate` command, state outside
 * _prisma_migrations), and list the folder as the engine did up to 6.5 and as the CLI does from 6.6
 * (the 6.5.0 bundle calls applyMigrations({migrationsDirectoryPath}), 6.6.0 applyMigrations({migrationsList})).
 */
class PrismaVersionTest {

    @Test
    void readsReleasesAndPreReleases() {
        PrismaVersion v = PrismaVersion.parse("7.10.1");
        assertEquals(7, v.major());
        assertEquals(10, v.minor());
        assertEquals(1, v.patch());
        assertEquals("7.10.1", v.text());
        assertEquals(8, PrismaVersion.parse("8.0.0-rc.19").major());
        assertEquals(19, PrismaVersion.parse("6.19.0-dev.1").minor());
        assertEquals(3, PrismaVersion.parse("6.19.3+build.7").patch());
    }

    @Test
    void anythingElseIsNoVersion() {
        for (String bad : new String[] {null, "", "7", "7.10", "v7.10.1", "7.10.x", "7..1", "latest", "7.10.1.2", "1234567.0.0"}) {
            assertNull(PrismaVersion.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void eightAndLaterAreRefusedSixAndSevenAreNot() {
        assertTrue(PrismaVersion.parse("8.0.0-rc.19").unknownMajor());
        assertTrue(PrismaVersion.parse("8.1.0-dev.7").unknownMajor());
        assertTrue(PrismaVersion.parse("9.0.0").unknownMajor());
        assertFalse(PrismaVersion.parse("7.10.1").unknownMajor());
        assertFalse(PrismaVersion.parse("7.99.0").unknownMajor());
        assertFalse(PrismaVersion.parse("6.0.0").unknownMajor());
        assertFalse(PrismaVersion.parse("5.22.0").unknownMajor()); // older: run, with a warning
        assertTrue(PrismaVersion.parse("5.22.0").untested());
        assertFalse(PrismaVersion.parse("6.0.1").untested());
    }

    @Test
    void theEngineListedTheFolderUpTo65TheCliFrom66() {
        assertEquals(MigrationRules.ENGINE_LISTED, PrismaVersion.parse("5.22.0").rules());
        assertEquals(MigrationRules.ENGINE_LISTED, PrismaVersion.parse("6.0.1").rules());
        assertEquals(MigrationRules.ENGINE_LISTED, PrismaVersion.parse("6.5.0").rules());
        assertEquals(MigrationRules.ENGINE_LISTED, PrismaVersion.parse("6.5.99").rules());
        assertEquals(MigrationRules.CLI_LISTED, PrismaVersion.parse("6.6.0").rules());
        assertEquals(MigrationRules.CLI_LISTED, PrismaVersion.parse("6.6.0-dev.1").rules());
        assertEquals(MigrationRules.CLI_LISTED, PrismaVersion.parse("6.19.3").rules());
        assertEquals(MigrationRules.CLI_LISTED, PrismaVersion.parse("7.0.0").rules());
        assertEquals(MigrationRules.CLI_LISTED, PrismaVersion.parse("7.10.1").rules());
    }
}
