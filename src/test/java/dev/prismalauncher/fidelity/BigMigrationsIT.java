package dev.prismalauncher.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.PrismaTable;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real inputs that used to exhaust the shipped 128 MB heap (exit 1 on every start): a 60 MB
 * migration.sql (seed data) and 10,000 migrations of 12 KB. The launcher runs with -Xmx128m
 * (the entrypoint's own flag in the entrypoint form): checksums are streamed, scripts never held.
 */
class BigMigrationsIT {
    @TempDir
    Path dir;

    /** The launcher with the shipped heap: the entrypoint sets it; the jar form gets it here. */
    private static List<String> launcher(String... args) {
        List<String> command = new ArrayList<>(Launch.launcherCommand());
        if (command.contains("-jar")) {
            command.add(1, "-Xmx128m");
        }
        command.addAll(List.of(args));
        return command;
    }

    private Launch launch(TestDatabase db) {
        // Prisma's stand-in: deploy has nothing left to do once the launcher resolved
        Path prisma = Launch.script(dir.resolve("fake-prisma"), "exit 0");
        return new Launch(dir).env("DATABASE_URL", db.url()).env("PRISMA_COMMAND", prisma.toString());
    }

    private static void insert(TestDatabase db, List<String[]> rows) throws Exception {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("INSERT INTO _prisma_migrations"
                + " (id, checksum, finished_at, migration_name, logs, started_at, applied_steps_count) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            Timestamp t = Timestamp.from(Instant.parse("2025-01-01T00:00:00Z"));
            for (String[] r : rows) {
                boolean failed = r[2].equals("failed");
                s.setString(1, UUID.randomUUID().toString());
                s.setString(2, r[1]);
                s.setTimestamp(3, failed ? null : t);
                s.setString(4, r[0]);
                s.setString(5, failed ? "ERROR: canceling statement due to user request" : null);
                s.setTimestamp(6, t);
                s.setInt(7, failed ? 0 : 1);
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    @Test
    void aSixtyMegabyteScriptIsStreamed() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("prisma/migrations"));
        Files.writeString(migrations.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Path seed = Files.createDirectories(migrations.resolve("20250101000000_seed")).resolve("migration.sql");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] line = ("INSERT INTO \"Seed\" VALUES ('" + "x".repeat(200) + "');\n").getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(seed), 1 << 16)) {
            for (long written = 0; written < 60L << 20; written += line.length) {
                out.write(line);
                sha.update(line);
            }
        }
        String checksum = HexFormat.of().formatHex(sha.digest());
        // a second, failed migration with the same 60 MB script: `applied` must checksum it
        Path again = Files.createDirectories(migrations.resolve("20250102000000_seed_again"));
        Files.createSymbolicLink(again.resolve("migration.sql"), seed);
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            db.execute(PrismaTable.ddl(Kind.POSTGRESQL, null));
            insert(db, List.<String[]>of(new String[] {"20250101000000_seed", checksum, "applied"},
                    new String[] {"20250102000000_seed_again", "0".repeat(64), "failed"}));

            Launch.Result run = launch(db).env("MIGRATION_RESOLVE_STRATEGY", "applied").exec(launcher("run", "--", "true"));
            assertEquals(0, run.exit(), run.toString());
            assertEquals(List.of(List.of(checksum, "0")), db.query("SELECT checksum, applied_steps_count FROM _prisma_migrations"
                    + " WHERE migration_name = '20250102000000_seed_again' AND finished_at IS NOT NULL"));

            Launch.Result status = launch(db).exec(launcher("status", "--json"));
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.stdout().contains("\"modifiedAfterApply\" : 0"), status.stdout());
            assertFalse(status.stdout().contains("\"checksumMatches\" : false"), status.stdout());
        }
    }

    @Test
    void tenThousandMigrationsOfTwelveKilobytes() throws Exception {
        Path migrations = Files.createDirectories(dir.resolve("prisma/migrations"));
        byte[] body = new byte[12 * 1024];
        Arrays.fill(body, (byte) '-');
        body[body.length - 1] = '\n';
        List<String[]> rows = new ArrayList<>();
        String[] digests = new String[26];
        for (int i = 0; i < 26; i++) {
            body[0] = (byte) ('a' + i);
            digests[i] = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            String name = String.format("2025%010d_m%d", i, i);
            body[0] = (byte) ('a' + i % 26); // not all the same script
            Path folder = Files.createDirectories(migrations.resolve(name));
            Files.write(folder.resolve("migration.sql"), body);
            rows.add(new String[] {name, digests[i % 26], "applied"});
        }
        System.out.printf("10,000 folders written in %d ms%n", (System.nanoTime() - start) / 1_000_000);
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            db.execute(PrismaTable.ddl(Kind.POSTGRESQL, null));
            start = System.nanoTime();
            insert(db, rows);
            System.out.printf("10,000 rows inserted in %d ms%n", (System.nanoTime() - start) / 1_000_000);

            start = System.nanoTime();
            Launch.Result run = launch(db).exec(launcher("run", "--", "true"));
            System.out.printf("run: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.stderr().contains("10000 applied"), run.stderr());

            start = System.nanoTime();
            Launch.Result status = launch(db).exec(launcher("status", "--json"));
            System.out.printf("status: %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertEquals(0, status.exit(), status.toString());
            assertTrue(status.stdout().contains("\"applied\" : 10000"), status.stdout());
            assertTrue(status.stdout().contains("\"modifiedAfterApply\" : 0"), status.stdout());
        }
    }
}
