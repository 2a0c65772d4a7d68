package dev.prismalauncher.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.prismalauncher.migrations.PrismaOrder;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real migration histories of open-source Prisma apps (src/test/resources/histories, each with its
 * SOURCE), made into throwaway projects, and the comparisons the identity tests make.
 */
final class Histories {
    static final Path ROOT = Path.of("src/test/resources/histories").toAbsolutePath();

    /** The history's migration names in Prisma's order. */
    static List<String> names(String app) {
        try (Stream<Path> s = Files.list(ROOT.resolve(app).resolve("migrations"))) {
            return PrismaOrder.sort(s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A project (the fixture's config, the real CLI or MySQL's stand-in) holding the history's first {@code count} migrations. */
    static Project project(Kind kind, String app, int count, Path dir) {
        Project p = Project.create(kind, dir);
        deleteRecursively(p.migrations());
        add(p, app, names(app).subList(0, count));
        copy(ROOT.resolve(app).resolve("migrations/migration_lock.toml"), p.migrations().resolve("migration_lock.toml"));
        return p;
    }

    /** Adds migrations of the history to a project, byte for byte. */
    static void add(Project p, String app, List<String> names) {
        for (String name : names) {
            copy(ROOT.resolve(app).resolve("migrations").resolve(name), p.migrations().resolve(name));
        }
    }

    /** The rows as compared with Prisma's: every column but id and the times, in the order they were started. */
    static List<List<String>> rows(TestDatabase db) {
        return db.query("SELECT migration_name, checksum, logs, applied_steps_count, finished_at IS NULL AS unfinished,"
                + " rolled_back_at IS NULL AS not_rolled_back FROM _prisma_migrations ORDER BY started_at, migration_name");
    }

    /** The rows with each non-NULL logs made one marker: where only the logs' form may differ (the engines write other texts). */
    static List<List<String>> withoutLogs(List<List<String>> rows) {
        return rows.stream().map(r -> {
            List<String> copy = new ArrayList<>(r);
            copy.set(2, copy.get(2).equals("NULL") ? "NULL" : "logs");
            return copy;
        }).toList();
    }

    /** What Prisma also guarantees of the columns compared apart: UUID v4 ids, finished after started. */
    static void assertIdsAndTimes(TestDatabase db) {
        List<List<String>> bad = db.query(db.kind() == Kind.POSTGRESQL
                ? "SELECT id FROM _prisma_migrations WHERE id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'"
                        + " OR finished_at < started_at"
                : "SELECT id FROM _prisma_migrations WHERE id NOT REGEXP BINARY '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'"
                        + " OR finished_at < started_at");
        assertEquals(List.of(), bad, "ids not lowercase UUID v4, or finished before started");
    }

    /** The schema as pg_dump prints it (the real tool; a fixed restrict key so two dumps compare). */
    static String schema(TestDatabase db) {
        return run(List.of("pg_dump", "-h", db.host(), "-p", String.valueOf(db.port()), "-U", "postgres", "--schema-only",
                "--no-owner", "--restrict-key=identity", db.name()));
    }

    /** MySQL/MariaDB: every table's SHOW CREATE TABLE, through the command-line client, in name order. */
    static String mysqlSchema(TestDatabase db) {
        StringBuilder b = new StringBuilder();
        for (List<String> t : db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name")) {
            List<List<String>> create = db.query("SHOW CREATE TABLE `" + t.getFirst() + "`");
            b.append(create.getFirst().get(1)).append(";\n");
        }
        return b.toString();
    }

    static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            List<Path> all = new ArrayList<>(files.toList());
            for (Path p : all.reversed()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Histories() {}
}
