package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Prisma's Unix-socket URLs against the local servers' own sockets. The URL's TCP part leads
 * nowhere (a host that does not resolve, a port nothing listens on), so success means the socket.
 */
class UnixSocketIT {
    private static final Path PG_SOCKETS = Path.of(System.getProperty("test.pg.socket.dir", "/var/run/postgresql"));
    private static final Path MYSQL_SOCKET = Path.of(System.getProperty("test.mysql.socket", "/run/mysqld/mysqld.sock"));

    @TempDir
    Path dir;

    @Test
    void postgresqlThroughHostDirectory() {
        assertTrue(Files.exists(PG_SOCKETS.resolve(".s.PGSQL.5432")), "the local PostgreSQL's socket: " + PG_SOCKETS);
        try (TestDatabase db = TestDatabase.create(Kind.POSTGRESQL)) {
            Project project = Project.create(Kind.POSTGRESQL, dir.resolve("project"));
            assertEquals(0, project.prisma(db, "migrate", "deploy").exit());
            String url = "postgresql://postgres:" + TestDatabase.PASSWORD_ENCODED + "@socket.invalid/" + db.name() + "?host=" + PG_SOCKETS;
            Launch.Result r = project.launch(db).env("DATABASE_URL", url).run("status");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().contains("applied         20250103000000_add_index"), r.stdout());
        }
    }

    @Test
    void mysqlThroughSocketStatusThenDeploy() {
        assertTrue(Files.exists(MYSQL_SOCKET), "the local MariaDB's socket: " + MYSQL_SOCKET);
        try (TestDatabase db = TestDatabase.create(Kind.MYSQL)) {
            Project project = Project.create(Kind.MYSQL, dir.resolve("project"));
            // port 1: nothing listens there, so only the socket can answer
            String url = db.url().replaceFirst("@[^/]+/", "@localhost:1/") + "?socket=" + MYSQL_SOCKET;
            Launch.Result status = project.launch(db).env("DATABASE_URL", url).run("status");
            assertEquals(6, status.exit(), status.toString());
            assertTrue(status.stdout().contains("pending         20250101000000_init"), status.stdout());

            Launch.Result migrate = project.launch(db).env("DATABASE_URL", url).run("migrate");
            assertEquals(0, migrate.exit(), migrate.toString());
            assertTrue(migrate.stderr().contains("database is up to date: 3 applied"), migrate.stderr());
            assertEquals(List.of(List.of("3")), db.query("SELECT COUNT(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"));
        }
    }

    /** A socket that accepts and never answers (a hung server): the login gives up after its timeout, nothing hangs. */
    @ParameterizedTest
    @EnumSource(Kind.class)
    void aSocketThatNeverAnswers(Kind kind) throws Exception {
        Path socket = dir.resolve(kind == Kind.POSTGRESQL ? ".s.PGSQL.5432" : "mysqld.sock");
        List<SocketChannel> held = new CopyOnWriteArrayList<>();
        try (TestDatabase db = TestDatabase.reserve(kind);
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        held.add(server.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            Project project = Project.create(kind, dir.resolve("project"));
            String url = kind == Kind.POSTGRESQL
                    ? "postgresql://postgres@localhost/" + db.name() + "?host=" + dir + "&connect_timeout=2&socket_timeout=2"
                    : "mysql://root@localhost:1/" + db.name() + "?socket=" + socket + "&connect_timeout=2&socket_timeout=2";
            long start = System.nanoTime();
            Launch.Result r = project.launch(db).env("DATABASE_URL", url).env("DB_WAIT_TIMEOUT", "0").run("status");
            long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
            assertEquals(3, r.exit(), r.toString());
            assertTrue(seconds < 2 + 10, "took " + seconds + " s");
            assertEquals(1, held.size(), "the launcher reached the socket");
        } finally {
            for (SocketChannel c : held) {
                c.close();
            }
        }
    }
}
