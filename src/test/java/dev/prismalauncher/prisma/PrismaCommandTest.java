package dev.prismalauncher.prisma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.migrations.MigrationRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which Prisma the launcher finds, and its version, on node_modules trees laid out as the package
 * managers lay them out. The npm layouts are those of npm 11 installing prisma@7.10.1, prisma@6.19.3,
 * and prisma@8.0.0-rc.19 beside @prisma/prisma7@7.10.0 (whose bin is `prisma7` →
 * build/prisma7.js, `require("prisma/build/index.js")`, with its own prisma 7.10.0 nested under it
 * when the top-level prisma is 8); pnpm writes shell shims into .bin and links packages from its store.
 */
class PrismaCommandTest {
    @TempDir
    Path root;

    @Test
    void npmLinksTheBinIntoThePackage() throws IOException {
        Path app = root.resolve("app");
        npmPackage(app.resolve("node_modules"), "prisma", "7.10.1", "build/index.js", "prisma");
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals(List.of("node_modules/.bin/prisma"), prisma.base());
        assertEquals("7.10.1", prisma.version().text());
        assertEquals(MigrationRules.CLI_LISTED, prisma.rules());
        assertEquals(List.of("node_modules/.bin/prisma", "migrate", "deploy", "--schema=x"), prisma.deploy(List.of("--schema=x")));
    }

    @Test
    void pnpmWritesAShimAndLinksThePackageFromItsStore() throws IOException {
        Path app = root.resolve("app");
        Path store = app.resolve("node_modules/.pnpm/prisma@6.5.0/node_modules/prisma");
        packageJson(store, "prisma", "6.5.0");
        Files.createDirectories(app.resolve("node_modules"));
        Files.createSymbolicLink(app.resolve("node_modules/prisma"), Path.of(".pnpm/prisma@6.5.0/node_modules/prisma"));
        executable(app.resolve("node_modules/.bin/prisma"), "#!/bin/sh\nexec node \"$basedir/../prisma/build/index.js\" \"$@\"\n");
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals("6.5.0", prisma.version().text());
        assertEquals(MigrationRules.ENGINE_LISTED, prisma.rules(), "6.5 lists migrations in the engine, in byte order");
    }

    @Test
    void npxLooksUpFromTheWorkingDirectory() throws IOException {
        npmPackage(root.resolve("node_modules"), "prisma", "6.19.3", "build/index.js", "prisma");
        Path app = Files.createDirectories(root.resolve("apps/api"));
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals(List.of(root.resolve("node_modules/.bin/prisma").toString()), prisma.base());
        assertEquals("6.19.3", prisma.version().text());
    }

    @Test
    void prisma8BesidePrisma7RunsPrisma7() throws IOException {
        Path app = root.resolve("app");
        Path modules = app.resolve("node_modules");
        npmPackage(modules, "prisma", "8.0.0-rc.19", "dist/prisma.js", "prisma");
        npmPackage(modules, "@prisma/prisma7", "7.10.0", "build/prisma7.js", "prisma7");
        packageJson(modules.resolve("@prisma/prisma7/node_modules/prisma"), "prisma", "7.10.0");
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals(List.of("node_modules/.bin/prisma7"), prisma.base());
        assertEquals("7.10.0", prisma.version().text(), "the version of the prisma that @prisma/prisma7 loads");
        assertEquals(List.of("node_modules/.bin/prisma7", "migrate", "deploy"), prisma.deploy(List.of()));
    }

    @Test
    void prisma7AloneIsUsedToo() throws IOException {
        Path app = root.resolve("app");
        Path modules = app.resolve("node_modules");
        npmPackage(modules, "@prisma/prisma7", "7.10.0", "build/prisma7.js", "prisma7");
        packageJson(modules.resolve("prisma"), "prisma", "7.10.0"); // deduped: hoisted, no .bin/prisma of its own here
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals(List.of("node_modules/.bin/prisma7"), prisma.base());
        assertEquals("7.10.0", prisma.version().text());
    }

    @Test
    void prisma8AloneIsRefusedNamingTheWaysOut() throws IOException {
        Path app = root.resolve("app");
        npmPackage(app.resolve("node_modules"), "prisma", "8.0.0-rc.19", "dist/prisma.js", "prisma");
        LauncherException e = assertThrows(LauncherException.class, () -> PrismaCommand.locate(List.of(), app));
        assertEquals(ExitCode.USAGE, e.exitCode());
        for (String part : List.of("8.0.0-rc.19", "@prisma/prisma7", "prisma7", "PRISMA_COMMAND", "_prisma_migrations")) {
            assertTrue(e.getMessage().contains(part), part + " in: " + e.getMessage());
        }
    }

    @Test
    void anExplicitCommandKeepsWorkingWithAnUnknownVersion() throws IOException {
        Path app = root.resolve("app");
        npmPackage(app.resolve("node_modules"), "prisma", "8.0.0-rc.19", "dist/prisma.js", "prisma");
        PrismaCommand prisma = PrismaCommand.locate(List.of("npx", "prisma7"), app);
        assertEquals(List.of("npx", "prisma7"), prisma.base());
        assertNull(prisma.version());
        assertEquals(MigrationRules.CLI_LISTED, prisma.rules());
    }

    @Test
    void anExplicitCommandNamingAnInstalledBinHasItsVersionRead() throws IOException {
        Path app = root.resolve("app");
        npmPackage(app.resolve("node_modules"), "prisma", "6.2.1", "build/index.js", "prisma");
        PrismaCommand prisma = PrismaCommand.locate(List.of("node_modules/.bin/prisma"), app);
        assertEquals("6.2.1", prisma.version().text());
        assertEquals(MigrationRules.ENGINE_LISTED, prisma.rules());
        // and one naming a Prisma 8 would only fail later, after resolving rows: refused now
        Path other = root.resolve("other");
        npmPackage(other.resolve("node_modules"), "prisma", "8.0.0", "dist/prisma.js", "prisma");
        assertEquals(ExitCode.USAGE, assertThrows(LauncherException.class,
                () -> PrismaCommand.locate(List.of("node_modules/.bin/prisma", "--verbose"), other)).exitCode());
    }

    @Test
    void withoutAnInstalledPrismaNpxIsAskedNotToInstallOne() {
        PrismaCommand prisma = PrismaCommand.locate(List.of(), root);
        assertEquals(List.of("npx", "--no-install", "prisma"), prisma.base());
        assertNull(prisma.version());
    }

    @Test
    void anUnreadablePackageJsonLeavesTheVersionUnknownButTheCommandRuns() throws IOException {
        Path app = root.resolve("app");
        npmPackage(app.resolve("node_modules"), "prisma", "7.10.1", "build/index.js", "prisma");
        Files.writeString(app.resolve("node_modules/prisma/package.json"), "{\"name\": \"prisma\", \"version\": ");
        PrismaCommand prisma = PrismaCommand.locate(List.of(), app);
        assertEquals(List.of("node_modules/.bin/prisma"), prisma.base());
        assertNull(prisma.version());
        // another package that happens to install a `prisma` bin is not taken for Prisma
        Files.writeString(app.resolve("node_modules/prisma/package.json"), "{\"name\": \"prisma-wrapper\", \"version\": \"9.9.9\"}");
        assertNull(PrismaCommand.locate(List.of(), app).version());
    }

    /** A package as npm installs it: package.json, its bin file, and node_modules/.bin/BIN linked to it. */
    private static void npmPackage(Path modules, String name, String version, String binFile, String bin) throws IOException {
        Path pkg = modules.resolve(name);
        packageJson(pkg, name, version);
        executable(pkg.resolve(binFile), "#!/usr/bin/env node\n");
        Files.createDirectories(modules.resolve(".bin"));
        Files.createSymbolicLink(modules.resolve(".bin").resolve(bin), Path.of("..").resolve(name).resolve(binFile));
    }

    private static void packageJson(Path pkg, String name, String version) throws IOException {
        Files.createDirectories(pkg);
        Files.writeString(pkg.resolve("package.json"), "{\n  \"name\": \"" + name + "\",\n  \"version\": \"" + version
                + "\",\n  \"bin\": {\"x\": \"y\"},\n  \"engines\": {\"node\": \">=20\"}\n}\n");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
