package dev.prismalauncher.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prismalauncher.testing.Launch;
import dev.prismalauncher.testing.Project;
import dev.prismalauncher.testing.TestDatabase;
import dev.prismalauncher.testing.TestDatabase.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
