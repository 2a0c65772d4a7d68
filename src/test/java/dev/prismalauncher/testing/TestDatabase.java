package dev.prismalauncher.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A fresh, real database for one test, dropped by {@link #close()}. PostgreSQL and MariaDB come
 * from the local servers (127.0.0.1, see DEVELOPERS.md) or, where those are not running and Docker
 * is, from Testcontainers. Neither available is a test failure, never a skip.
 *
 * <p>Every URL carries {@link #PASSWORD}, so tests can assert that it never appears in output:
 * PostgreSQL's local trust auth accepts any password; on MariaDB a user with that password is
 * created for the test.
 */
public final class TestDatabase implements AutoCloseable {
    /** Must never show up in any output of the launcher. */
    public static final String PASSWORD = "Pw-7x!q@SECRET#42";
    public static final String PASSWORD_ENCODED = "Pw-7x%21q%40SECRET%2342";

    public enum Kind { POSTGRESQL, MYSQL }

    private final Kind kind;
    private final String name;
    private final String user;
    private final Server server;

    private TestDatabase(Kind kind, String name, String user, Server server) {
        this.kind = kind;
        this.name = name;
        this.user = user;
        this.server = server;
    }

    /** A new database, created now. */
    public static TestDatabase create(Kind kind) {
        TestDatabase db = reserve(kind);
        db.admin("CREATE DATABASE " + db.name);
        return db;
    }

    /** A new database on one of the PostgreSQL servers the version-sensitive tests run on (see {@link PostgresServers}). */
    public static TestDatabase create(PostgresServers.Pg pg) {
        TestDatabase db = reserve(pg);
        db.admin("CREATE DATABASE " + db.name);
        return db;
    }

    /** A name on one of the PostgreSQL servers, no database yet (deploy creates it). */
    public static TestDatabase reserve(PostgresServers.Pg pg) {
        return reserve(Kind.POSTGRESQL, pg.server());
    }

    /** A name, and a user allowed to create it, but no database yet (deploy creates it). */
    public static TestDatabase reserve(Kind kind) {
        return reserve(kind, Server.of(kind));
    }

    private static TestDatabase reserve(Kind kind, Server server) {
        String name = "pl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String user = kind == Kind.POSTGRESQL ? server.adminUser() : name;
        TestDatabase db = new TestDatabase(kind, name, user, server);
        if (kind == Kind.MYSQL) {
            db.admin("CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + PASSWORD + "'");
            db.admin("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "'");
            db.admin("GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + user + "'@'%'");
            db.admin("GRANT ALL PRIVILEGES ON `" + name + "`.* TO '" + user + "'@'localhost'");
        }
        return db;
    }

    /**
     * A twin: a new database holding a copy of this one (PostgreSQL, CREATE DATABASE ... TEMPLATE),
     * dropped by its own close(). Retries briefly while the last sessions on this one close.
     */
    public TestDatabase copy() {
        if (kind != Kind.POSTGRESQL) {
            throw new UnsupportedOperationException("copies are PostgreSQL only");
        }
        TestDatabase db = reserve(kind, server);
        for (int attempt = 1; ; attempt++) {
            try {
                db.admin("CREATE DATABASE " + db.name + " TEMPLATE " + name);
                return db;
            } catch (IllegalStateException e) {
                if (attempt == 50) {
                    throw e;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public Kind kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    /** The Prisma URL of this database, password included (percent-encoded). */
    public String url() {
        return url("");
    }

    public String url(String query) {
        return Sql.of(kind).scheme() + "://" + user + ":" + PASSWORD_ENCODED + "@" + server.host() + ":" + server.port() + "/" + name
                + (query.isEmpty() ? "" : "?" + query);
    }

    /** The same database reached through another port on 127.0.0.1 (a proxy). */
    public String urlVia(int port) {
        return url().replace("@" + server.host() + ":" + server.port() + "/", "@127.0.0.1:" + port + "/");
    }

    public String host() {
        return server.host();
    }

    public int port() {
        return server.port();
    }

    /** The server's admin user (no password), for URLs that reach other databases of the server. */
    public String adminUser() {
        return server.adminUser();
    }

    /** A JDBC connection as the admin user, to this database. */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs statements on this database. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows of a query as lists of strings (null as "NULL"), for equality checks. */
    public List<List<String>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            List<List<String>> rows = new ArrayList<>();
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    String v = r.getString(i);
                    row.add(v == null ? "NULL" : v);
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean exists() {
        try (Connection c = server.connect(server.adminDatabase()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery(Sql.of(kind).databaseNamed(name))) {
            return r.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void admin(String sql) {
        try (Connection c = server.connect(server.adminDatabase()); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("on " + kind + ": " + sql, e);
        }
    }

    @Override
    public void close() {
        if (kind == Kind.POSTGRESQL) {
            admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } else {
            admin("DROP DATABASE IF EXISTS `" + name + "`");
            admin("DROP USER IF EXISTS '" + user + "'@'%'");
            admin("DROP USER IF EXISTS '" + user + "'@'localhost'");
        }
    }

    /** A database server: local, or a container started once per test JVM. */
    record Server(Kind kind, String host, int port, String adminUser, String adminPassword) {
        private static Server postgres;
        private static Server mysql;

        static synchronized Server of(Kind kind) {
            if (kind == Kind.POSTGRESQL) {
                if (postgres == null) {
                    postgres = find(kind, env("TEST_PG_HOST", "127.0.0.1"), Integer.parseInt(env("TEST_PG_PORT", "5432")), "postgres", "");
                }
                return postgres;
            }
            if (mysql == null) {
                mysql = find(kind, env("TEST_MYSQL_HOST", "127.0.0.1"), Integer.parseInt(env("TEST_MYSQL_PORT", "3306")), "root", "");
            }
            return mysql;
        }

        private static Server find(Kind kind, String host, int port, String user, String password) {
            Server local = new Server(kind, host, port, user, password);
            SQLException localFailure;
            try (Connection c = local.connect(local.adminDatabase())) {
                return local;
            } catch (SQLException e) {
                localFailure = e;
            }
            Server container = Containers.start(kind);
            if (container != null) {
                return container;
            }
            throw new IllegalStateException("no " + kind.name().toLowerCase(Locale.ROOT) + " server for the tests: none on " + host + ":" + port
                    + " (" + localFailure.getMessage() + ") and no Docker for Testcontainers. Start it: "
                    + (kind == Kind.POSTGRESQL
                            ? "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"
                            : "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"));
        }

        String adminDatabase() {
            return Sql.of(kind).adminDatabase();
        }

        Connection connect(String database) throws SQLException {
            String url = kind == Kind.POSTGRESQL
                    ? "jdbc:postgresql://" + host + ":" + port + "/" + database
                    : "jdbc:mariadb://" + host + ":" + port + "/" + database;
            return DriverManager.getConnection(url, adminUser, adminPassword);
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }
}
