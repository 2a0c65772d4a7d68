package dev.prismalauncher.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.TestDatabase.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A throwaway copy of a fixture Prisma project. PostgreSQL projects run the real Prisma CLI
 * (installed by scripts/prisma-fixture, with ../shared/prisma-offline's engine where present);
 * MySQL projects run src/test/fixtures/fake-prisma-mysql, since Prisma's engine cannot run
 * offline for MySQL.
 */
public final class Project {
    private static final Path FIXTURES = Path.of("src/test/fixtures").toAbsolutePath();
    private static Map<String, String> prismaEnv;

    private final Kind kind;
    private final Path dir;

    private Project(Kind kind, Path dir) {
        this.kind = kind;
        this.dir = dir;
    }

    public static Project create(Kind kind, Path dir) {
        if (kind == Kind.POSTGRESQL) {
            copy(FIXTURES.resolve("prisma-pg"), dir);
            try {
                Files.createSymbolicLink(dir.resolve("node_modules"), Path.of(prismaEnv().get("PRISMA_NODE_MODULES")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        } else {
            copy(FIXTURES.resolve("mysql/migrations"), dir.resolve("prisma/migrations"));
        }
        return new Project(kind, dir);
    }

    public Path dir() {
        return dir;
    }

    public Path migrations() {
        return dir.resolve("prisma/migrations");
    }

    /** Copies one of the broken fixture migrations (or "..._after") into the project. */
    public void add(String name) {
        copy(FIXTURES.resolve(kind == Kind.POSTGRESQL ? "prisma-pg-broken" : "mysql-broken").resolve(name), migrations().resolve(name));
    }

    public void write(String name, String sql) {
        try {
            Files.createDirectories(migrations().resolve(name));
            Files.writeString(migrations().resolve(name).resolve("migration.sql"), sql);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The command that plays Prisma for this project. */
    public List<String> prismaCommand() {
        return kind == Kind.POSTGRESQL
                ? List.of(dir.resolve("node_modules/.bin/prisma").toString())
                : List.of(FIXTURES.resolve("fake-prisma-mysql").toString());
    }

    /** Runs Prisma (or its stand-in) against a database. */
    public Launch.Result prisma(TestDatabase db, String... args) {
        List<String> command = new ArrayList<>(prismaCommand());
        command.addAll(List.of(args));
        return launch(db).exec(command);
    }

    /** A launcher in this project's directory, pointed at the database. */
    public Launch launch(TestDatabase db) {
        Launch l = new Launch(dir).env("DATABASE_URL", db.url());
        if (kind == Kind.POSTGRESQL) {
            prismaEnv().forEach(l::env);
        } else {
            l.env("PRISMA_COMMAND", prismaCommand().getFirst());
        }
        return l;
    }

    /** Installs (once, cached) the Prisma CLI through scripts/prisma-fixture and returns its variables. */
    static synchronized Map<String, String> prismaEnv() {
        if (prismaEnv == null) {
            prismaEnv = prismaEnv("prisma-pg");
        }
        return prismaEnv;
    }

    /** scripts/prisma-fixture for one fixture (PRISMA_FIXTURE: prisma-pg, prisma6-pg): npm installs its prisma once, cached. */
    public static Map<String, String> prismaEnv(String fixture) {
        Launch.Result r = new Launch(Path.of(".").toAbsolutePath()).env("PRISMA_FIXTURE", fixture).exec(List.of("bash", "scripts/prisma-fixture"));
        assertTrue(r.exit() == 0, "scripts/prisma-fixture failed (it installs prisma from npm): " + r);
        Map<String, String> env = new HashMap<>();
        r.stdout().lines().filter(l -> l.contains("=")).forEach(l -> env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return env;
    }

    /** Copies a folder tree. */
    public static void copy(Path from, Path to) {
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
}
