package dev.prismalauncher.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.log.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DATABASE_URL_FILE and MIGRATE_DATABASE_URL_FILE (and their flags): the rules of SecretFiles,
 * through the launcher's own parser. The end-to-end side (Prisma migrates through the file's URL,
 * the app's environment unchanged, both launch forms) is SecretFilesIT.
 */
class SecretFilesTest {
    /** Fresh for each run: Secrets is a process-wide set, so a value seen before would pass any redaction test. */
    private final String password = "Fp" + UUID.randomUUID().toString().replace("-", "");
    private final String url = "postgresql://app:" + password + "@db.internal:5432/app?schema=public";

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static Config parse(Map<String, String> env, String... args) {
        return CommandLine.parse(args, env);
    }

    private static LauncherException refused(Map<String, String> env, String... args) {
        LauncherException e = assertThrows(LauncherException.class, () -> CommandLine.parse(args, env));
        assertEquals(ExitCode.USAGE, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void theFilesContentIsTheUrlAndPrismaGetsItAsDatabaseUrl() throws IOException {
        Path p = file("db-url", url + "\n");
        Config c = parse(Map.of("DATABASE_URL_FILE", p.toString()), "migrate");
        assertEquals("db.internal", c.databaseUrl().host());
        assertEquals(password, c.databaseUrl().password());
        assertEquals("DATABASE_URL_FILE (" + p + ")", c.databaseUrl().variable(), "messages name the variable and the path");
        assertEquals(url, c.prismaEnvironment().get("DATABASE_URL"), "Prisma's environment has no DATABASE_URL otherwise");
    }

    @Test
    void aUrlInTheEnvironmentIsLeftToPrismasOwnEnvironment() {
        Config c = parse(Map.of("DATABASE_URL", url), "migrate");
        assertFalse(c.prismaEnvironment().containsKey("DATABASE_URL"), "Prisma inherits the variable itself");
    }

    @Test
    void theFlagFormReadsTheFileToo() throws IOException {
        Path p = file("db-url", url);
        Config c = parse(Map.of(), "migrate", "--database-url-file", p.toString());
        assertEquals("--database-url-file (" + p + ")", c.databaseUrl().variable());
        assertEquals(url, c.prismaEnvironment().get("DATABASE_URL"));
    }

    @Test
    void migrateDatabaseUrlFileIsTheMigrationConnectionAndPrismasDatabaseUrl() throws IOException {
        String direct = url.replace("db.internal", "direct.internal");
        Path p = file("migrate-url", direct + "\n");
        Config c = parse(Map.of("DATABASE_URL", "postgresql://app@pooler:6432/app?pgbouncer=true", "MIGRATE_DATABASE_URL_FILE", p.toString()), "migrate");
        assertEquals("direct.internal", c.databaseUrl().host());
        assertEquals(direct, c.prismaEnvironment().get("DATABASE_URL"));
        Config flag = parse(Map.of("DATABASE_URL", "postgresql://app@pooler:6432/app"), "migrate", "--migrate-database-url-file=" + p);
        assertEquals("direct.internal", flag.databaseUrl().host());
    }

    @Test
    void aPoolerUrlInMigrateDatabaseUrlFileIsNamedAsTheMigrateUrl() throws IOException {
        Path p = file("migrate-url", "postgresql://app@pooler:6432/app?pgbouncer=true\n");
        LauncherException e = refused(Map.of("MIGRATE_DATABASE_URL_FILE", p.toString()), "migrate");
        assertTrue(e.getMessage().startsWith("MIGRATE_DATABASE_URL_FILE (" + p + ") has pgbouncer=true"), e.getMessage());
        assertTrue(e.getMessage().contains("Set MIGRATE_DATABASE_URL to the direct connection (not the pooler)"), e.getMessage());
    }

    /** One line end is dropped, LF or CRLF; a second one is content (and the URL parser strips it, as it does for the variable). */
    @Test
    void exactlyOneTrailingLineEndIsDropped() throws IOException {
        assertEquals("abc", SecretFiles.read("X_FILE", file("lf", "abc\n").toString()).value());
        assertEquals("abc", SecretFiles.read("X_FILE", file("crlf", "abc\r\n").toString()).value());
        assertEquals("abc", SecretFiles.read("X_FILE", file("none", "abc").toString()).value());
        assertEquals("abc\n", SecretFiles.read("X_FILE", file("two", "abc\n\n").toString()).value());
        assertEquals("abc\r", SecretFiles.read("X_FILE", file("cr", "abc\r").toString()).value(), "a lone CR is not a line end");
        assertEquals(" abc ", SecretFiles.read("X_FILE", file("spaces", " abc \n").toString()).value());
        Config c = parse(Map.of("DATABASE_URL_FILE", file("crlf-url", url + "\r\n").toString()), "migrate");
        assertEquals(url, c.prismaEnvironment().get("DATABASE_URL"));
        assertEquals("app", c.databaseUrl().database());
    }

    @Test
    void aVariableAndItsFileTwinBothSetIsAnError() throws IOException {
        Path p = file("db-url", url);
        LauncherException e = refused(Map.of("DATABASE_URL", url, "DATABASE_URL_FILE", p.toString()), "migrate");
        assertTrue(e.getMessage().startsWith("DATABASE_URL and DATABASE_URL_FILE are both set"), e.getMessage());
        LauncherException m = refused(Map.of("DATABASE_URL", url, "MIGRATE_DATABASE_URL", url, "MIGRATE_DATABASE_URL_FILE", p.toString()), "migrate");
        assertTrue(m.getMessage().startsWith("MIGRATE_DATABASE_URL and MIGRATE_DATABASE_URL_FILE are both set"), m.getMessage());
        LauncherException flags = refused(Map.of(), "migrate", "--database-url", url, "--database-url-file", p.toString());
        assertTrue(flags.getMessage().startsWith("--database-url and --database-url-file are both set"), flags.getMessage());
        assertFalse(e.getMessage().contains(password) || m.getMessage().contains(password) || flags.getMessage().contains(password));
    }

    /** Empty is "not set", as for every setting: DATABASE_URL="" beside DATABASE_URL_FILE is what Compose's ${X:-} gives. */
    @Test
    void anEmptyTwinDoesNotCount() throws IOException {
        Path p = file("db-url", url);
        Config c = parse(Map.of("DATABASE_URL", "", "DATABASE_URL_FILE", p.toString()), "migrate");
        assertEquals(url, c.prismaEnvironment().get("DATABASE_URL"));
        Config d = parse(Map.of("DATABASE_URL", url, "DATABASE_URL_FILE", " "), "migrate");
        assertEquals("db.internal", d.databaseUrl().host());
    }

    /** Flags win over the environment in either form; the other level's twin is not read. */
    @Test
    void aFlagInEitherFormWinsOverTheEnvironment() throws IOException {
        Path p = file("db-url", url);
        Config fileFlag = parse(Map.of("DATABASE_URL", "postgresql://app@from-env:5432/app"), "migrate", "--database-url-file", p.toString());
        assertEquals("db.internal", fileFlag.databaseUrl().host());
        Config urlFlag = parse(Map.of("DATABASE_URL_FILE", dir.resolve("missing").toString()), "migrate", "--database-url", url);
        assertEquals("db.internal", urlFlag.databaseUrl().host());
        assertEquals(url, urlFlag.prismaEnvironment().get("DATABASE_URL"));
    }

    @Test
    void aMissingFileIsAnErrorNamingThePath() {
        Path missing = dir.resolve("no-such-secret");
        LauncherException e = refused(Map.of("DATABASE_URL_FILE", missing.toString()), "migrate");
        assertEquals("DATABASE_URL_FILE (" + missing + ") does not exist; mount the secret there or correct the path", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n", "  \n", "\n\n"})
    void anEmptyFileIsAnError(String content) throws IOException {
        Path p = file("empty", content);
        LauncherException e = refused(Map.of("MIGRATE_DATABASE_URL_FILE", p.toString(), "DATABASE_URL", url), "migrate");
        assertEquals("MIGRATE_DATABASE_URL_FILE (" + p + ") is empty; it must hold the value", e.getMessage());
    }

    @Test
    void aDirectoryAFifoAndAnUnreadableFileAreErrors() throws Exception {
        LauncherException d = refused(Map.of("DATABASE_URL_FILE", dir.toString()), "migrate");
        assertTrue(d.getMessage().startsWith("DATABASE_URL_FILE (" + dir + ") is a directory; name the file inside it"), d.getMessage());

        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, mkfifo.waitFor());
        LauncherException f = refused(Map.of("DATABASE_URL_FILE", fifo.toString()), "migrate");
        assertTrue(f.getMessage().endsWith("is not a regular file; give the path of the file that holds the value"), "a FIFO would block the start: " + f.getMessage());

        // a regular file whose read fails (address 0 of this process's memory), whoever runs the tests, root included
        LauncherException io = refused(Map.of("DATABASE_URL_FILE", "/proc/self/mem"), "migrate");
        assertTrue(io.getMessage().startsWith("DATABASE_URL_FILE (/proc/self/mem) cannot be read"), io.getMessage());
    }

    @Test
    void anOverLongOrNonUtf8FileIsAnError() throws IOException {
        Path big = dir.resolve("big");
        Files.write(big, new byte[SecretFiles.MAX_BYTES + 1]);
        assertTrue(refused(Map.of("DATABASE_URL_FILE", big.toString()), "migrate").getMessage().endsWith("is larger than 64 KiB; is it the right file?"));
        Path exact = dir.resolve("exact");
        Files.writeString(exact, "x".repeat(SecretFiles.MAX_BYTES));
        assertEquals(SecretFiles.MAX_BYTES, SecretFiles.read("X_FILE", exact.toString()).value().length(), "64 KiB itself is allowed");

        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, "postgresql://app:caf\u00e9@h/db".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(refused(Map.of("DATABASE_URL_FILE", latin1.toString()), "migrate").getMessage().endsWith("is not UTF-8 text"));
    }

    /** The content is a secret: registered the moment it is read, and no message quotes it, even when it is not a URL. */
    @Test
    void theContentIsRegisteredAsASecretAndNeverQuoted() throws IOException {
        String garbage = "not a url " + password;
        LauncherException e = refused(Map.of("DATABASE_URL_FILE", file("garbage", garbage + "\n").toString()), "migrate");
        assertTrue(e.getMessage().startsWith("DATABASE_URL_FILE (" + dir.resolve("garbage") + ") is not a URL"), e.getMessage());
        assertFalse(e.getMessage().contains(password), e.getMessage());
        assertEquals("said " + Secrets.MASK + ".", Secrets.redact("said " + garbage + "."), "the whole content is masked wherever it appears");

        String other = "Fq" + UUID.randomUUID().toString().replace("-", "");
        parse(Map.of("MIGRATE_DATABASE_URL_FILE", file("m", "postgresql://m:" + other + "@h:5432/db\n").toString()), "migrate");
        assertEquals("pw=" + Secrets.MASK, Secrets.redact("pw=" + other), "the password alone too");
    }

    /** SKIP_MIGRATIONS touches nothing: the files are not even read, so a missing one does not stop the app. */
    @Test
    void skipMigrationsReadsNoFile() {
        Map<String, String> env = new HashMap<>();
        env.put("SKIP_MIGRATIONS", "1");
        env.put("DATABASE_URL_FILE", dir.resolve("missing").toString());
        env.put("MIGRATE_DATABASE_URL_FILE", dir.resolve("missing-too").toString());
        env.put("DATABASE_URL", url); // both twins set: not looked at either
        Config c = parse(env, "run", "--", "node", "server.js");
        assertTrue(c.skipMigrations());
        assertNull(c.databaseUrl());
        assertFalse(c.prismaEnvironment().containsKey("DATABASE_URL"));
    }

    /** The schema's directUrl connection is migrated through; Prisma still needs its DATABASE_URL, which only the file holds. */
    @Test
    void withTheSchemasDirectUrlPrismaStillGetsTheFilesDatabaseUrl() throws IOException {
        Files.createDirectories(dir.resolve("prisma/migrations"));
        Files.writeString(dir.resolve("prisma/schema.prisma"), """
                datasource db {
                  provider  = "postgresql"
                  url       = env("DATABASE_URL")
                  directUrl = env("DIRECT_URL")
                }
                """);
        Path p = file("db-url", url.replace("db.internal", "pooler.internal") + "\n");
        Config c = parse(Map.of("DATABASE_URL_FILE", p.toString(), "DIRECT_URL", url),
                "migrate", "--migrations-dir", dir.resolve("prisma/migrations").toString());
        assertEquals("db.internal", c.databaseUrl().host(), "migrations go through DIRECT_URL");
        assertEquals(url.replace("db.internal", "pooler.internal"), c.prismaEnvironment().get("DATABASE_URL"),
                "schema.prisma's url = env(\"DATABASE_URL\") must resolve in Prisma's environment");
    }
}
