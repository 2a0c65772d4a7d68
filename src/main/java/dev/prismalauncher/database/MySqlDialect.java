package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Failure.Stage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;

/**
 * MySQL and MariaDB, through MySQL Connector/J: all of its SQL, URL translation, error codes
 * and locks. Prisma stores UTC wall-clock times in DATETIME(3) columns, so instants are bound and
 * read as UTC LocalDateTime, whatever the session time zone.
 */
final class MySqlDialect implements Dialect {
    private static final Set<String> KNOWN = Set.of(
            "sslmode", "sslcert", "sslidentity", "sslpassword", "sslaccept", "connect_timeout", "socket_timeout",
            "allowPublicKeyRetrieval", "socket");

    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);

    MySqlDialect(DatabaseUrl url) {
        UrlParameters.requireAbsolutePath(url, "socket", "a Unix socket file (e.g. socket=/run/mysqld/mysqld.sock)");
        UrlParameters.refuseUnknown(url, KNOWN);
        sslMode(url);
        UrlParameters.checkTimeouts(url);
    }

    @Override
    public Connection connect(DatabaseUrl url) throws SQLException {
        return connect(url, new Properties());
    }

    @Override
    public Scripts openScripts(DatabaseUrl url) throws SQLException {
        MySqlScripts.refuseSystemDatabase(url);
        Properties multi = new Properties();
        multi.setProperty("allowMultiQueries", "true"); // a whole script in one COM_QUERY, as Prisma's mysql_async sends it
        return MySqlScripts.open(connect(url, multi), url, this);
    }

    @Override
    public List<String> blockers(Connection connection, long sessionId) {
        return List.of(); // DDL_LOCK_TIMEOUT is PostgreSQL's (refused on MySQL before anything is touched)
    }

    private Connection connect(DatabaseUrl url, Properties extra) throws SQLException {
        Properties p = UrlParameters.credentials(url);
        p.putAll(extra);
        // The name as a property, never in the JDBC URL: byte for byte, nothing for the driver to decode.
        p.setProperty("dbname", url.database());
        p.setProperty("connectTimeout", String.valueOf(1000L * UrlParameters.seconds(url, "connect_timeout", UrlParameters.DEFAULT_CONNECT_TIMEOUT)));
        p.setProperty("socketTimeout", String.valueOf(1000L * UrlParameters.socketTimeout(url)));
        p.setProperty("logger", "com.mysql.cj.log.NullLogger"); // its errors reach us as exceptions
        String mode = sslMode(url);
        p.setProperty("sslMode", mode);
        // caching_sha2_password without TLS needs the server's RSA key; fetching it unauthenticated lets a
        // man in the middle read the password, so only when the URL asks for it (with TLS it is not needed).
        p.setProperty("allowPublicKeyRetrieval", String.valueOf("true".equals(parameter(url, "allowPublicKeyRetrieval"))));
        String identity = url.parameter("sslidentity");
        if (identity != null && !identity.isEmpty()) {
            p.setProperty("clientCertificateKeyStoreUrl", Path.of(identity).toUri().toString());
            p.setProperty("clientCertificateKeyStoreType", "PKCS12");
            UrlParameters.put(p, "clientCertificateKeyStorePassword", url.parameter("sslpassword"));
        }
        String socket = url.parameter("socket");
        if (socket != null) {
            p.setProperty("socketFactory", MySqlUnixSocketFactory.class.getName());
            p.setProperty(MySqlUnixSocketFactory.PATH_PROPERTY, socket);
        }
        Path trustStore = null;
        try {
            String ca = url.parameter("sslcert");
            if (ca != null && !ca.isEmpty() && !mode.equals("REQUIRED")) {
                trustStore = PemTrustStore.write(Path.of(ca));
                p.setProperty("trustCertificateKeyStoreUrl", trustStore.toUri().toString());
                p.setProperty("trustCertificateKeyStoreType", "PKCS12");
                p.setProperty("trustCertificateKeyStorePassword", PemTrustStore.PASSWORD);
                p.setProperty("fallbackToSystemTrustStore", "false");
            }
            Connection c = new com.mysql.cj.jdbc.NonRegisteringDriver().connect("jdbc:mysql://" + url.hostAndPort() + "/", p);
            if (c == null) {
                throw new SQLException("MySQL Connector/J did not accept the URL", "08001");
            }
            return c;
        } finally {
            PemTrustStore.delete(trustStore);
        }
    }

    /** Prisma's MySQL TLS knobs: sslaccept=strict verifies, accept_invalid_certs does not; sslcert pins a CA. */
    private static String sslMode(DatabaseUrl url) {
        String mode = url.parameters().getOrDefault("sslmode", "").toLowerCase(Locale.ROOT);
        if (!Set.of("", "disable", "disabled", "prefer", "preferred", "require", "required").contains(mode)) {
            throw LauncherException.usage(url.variable() + " has sslmode=" + mode + "; use disabled, preferred or required");
        }
        String accept = UrlParameters.sslAccept(url);
        boolean tls = mode.startsWith("require") || !accept.isEmpty() || url.parameter("sslcert") != null;
        if (!tls) {
            return "DISABLED";
        }
        return accept.equals("accept_invalid_certs") ? "REQUIRED" : "VERIFY_IDENTITY";
    }

    /** A parameter by its exact name, or lower-cased (as the URL parser stored names until it kept their case). */
    private static String parameter(DatabaseUrl url, String name) {
        return url.parameter(name); // exact case, as Prisma reads parameter names
    }

    @Override
    public Failure classify(SQLException e, Stage stage) {
        int code = e.getErrorCode();
        String state = e.getSQLState();
        return switch (code) {
            case 1049 -> Failure.MISSING_DATABASE; // ER_BAD_DB_ERROR
            case 1146 -> Failure.MISSING_TABLE; // ER_NO_SUCH_TABLE
            case 1007 -> Failure.ALREADY_EXISTS; // ER_DB_CREATE_EXISTS
            // 08xxx connection exceptions; 1053 server shutdown; 1927 connection killed; 2006/2013 server gone / lost
            default -> stage == Stage.CONNECTING ? (waitingMayCure(e, code, state) ? Failure.TRANSIENT : Failure.OTHER)
                    : Failure.inSession(e, state != null && state.startsWith("08") || code == 1053 || code == 1927 || code == 2006 || code == 2013);
        };
    }

    /** Refused, unresolvable, too many connections, shutting down; not access denied, nor TLS. */
    private static boolean waitingMayCure(SQLException e, int code, String state) {
        if (Failure.causedByTls(e)) {
            return false;
        }
        if (code == 1040 || code == 1053) { // too many connections, server shutdown in progress
            return true;
        }
        if (code == 1045 || code == 1044) { // access denied
            return false;
        }
        return (state != null && state.startsWith("08")) || Failure.causedByNetwork(e);
    }

    /** Ours, per database because GET_LOCK names are server-wide (64 characters at most). */
    private static final Lock LAUNCHER_LOCK = new NamedLock("LEFT(CONCAT('prisma_launcher:', DATABASE()), 64)",
            r -> r.getString(2) == null ? null : "connection " + r.getLong(1) + " (" + r.getString(2) + "@" + r.getString(3) + ")");

    @Override
    public Lock launcherLock() {
        return LAUNCHER_LOCK;
    }

    /** Prisma's lock (sql-schema-connector, flavour/mysql.rs); GET_LOCK names are server-wide. */
    private static final Lock PRISMA_LOCK = new NamedLock("'prisma_migrate'", r -> "connection " + r.getLong(1)
            // who it is only where this user may see other sessions (PROCESS privilege)
            + (r.getString(2) == null ? " (KILL " + r.getLong(1) + " ends it)"
                    : " (" + r.getString(2) + "@" + r.getString(3) + ", " + r.getString(4) + " for " + r.getLong(5) + " s)"));

    @Override
    public Lock prismaLock() {
        return PRISMA_LOCK;
    }

    /** A GET_LOCK lock, its name an SQL expression of constants: it dies with the connection. */
    private record NamedLock(String name, Query.Read<String> describe) implements Lock {
        @Override
        public boolean tryTake(Connection connection) throws SQLException {
            return Query.read(connection, "SELECT GET_LOCK(" + name + ", 0)", r -> r.next() && r.getInt(1) == 1);
        }

        @Override
        public void release(Connection connection) throws SQLException {
            Query.read(connection, "SELECT RELEASE_LOCK(" + name + ")", r -> null);
        }

        /** The holder's connection id always; who it is where PROCESSLIST shows it. */
        @Override
        public String holder(Connection connection) throws SQLException {
            return Query.read(connection, "SELECT l.id, p.USER, p.HOST, p.COMMAND, p.TIME FROM (SELECT IS_USED_LOCK(" + name + ") AS id) l"
                    + " LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id", r -> r.next() && r.getObject(1) != null ? describe.from(r) : null);
        }
    }

    /**
     * Prisma stores UTC wall-clock times in DATETIME(3). Bound as text: Connector/J takes MariaDB's
     * "5.5.5-10.x" handshake version for MySQL 5.5 and would drop the fractional seconds of a
     * LocalDateTime; the server parses the literal into DATETIME(3).
     */
    private static final MigrationTable.Timestamps<LocalDateTime> DATETIME_UTC = new MigrationTable.Timestamps<>(LocalDateTime.class,
            instant -> DATETIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)), t -> t.toInstant(ZoneOffset.UTC));

    @Override
    public MigrationTable.Layout migrationTable() {
        // flavour/mysql.rs create_migrations_table, byte for byte (indoc strips the indentation); the durability of a
        // commit is the server's innodb_flush_log_at_trx_commit, not a session's to relax
        return new MigrationTable.Layout("`_prisma_migrations`", DATETIME_UTC, """
                CREATE TABLE _prisma_migrations (
                    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
                    checksum                VARCHAR(64) NOT NULL,
                    finished_at             DATETIME(3),
                    migration_name          VARCHAR(255) NOT NULL,
                    logs                    TEXT,
                    rolled_back_at          DATETIME(3),
                    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
                ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
                """, null);
    }

    @Override
    public void tableNames(Connection connection, Predicate<String> each) throws SQLException {
        // Prisma's table_names: base tables of the database (views excluded)
        Query.strings(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()"
                + " AND table_type = 'BASE TABLE' ORDER BY table_name", each);
    }

    @Override
    public Provider provider() {
        return Provider.MYSQL;
    }

    @Override
    public Catalog catalog(Connection connection, Duration queryTimeout) {
        return new MySqlCatalog(connection, queryTimeout);
    }

    /**
     * Prisma connects to the `mysql` database to create one; we connect to none, which needs no
     * rights on `mysql` (a user granted only its own database can still create it). The statement
     * is Prisma's; a MySQL database is its schema.
     */
    @Override
    public DatabaseCreation.Statements creation(DatabaseUrl url) {
        return new DatabaseCreation.Statements(List.of(""), "CREATE DATABASE `" + url.database().replace("`", "``")
                + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", null);
    }
}
