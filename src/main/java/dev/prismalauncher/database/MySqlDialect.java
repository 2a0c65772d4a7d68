package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * MySQL and MariaDB, through MySQL Connector/J: all of its SQL, URL translation and error
 * codes. Prisma stores UTC wall-clock times in DATETIME(3) columns, so instants are bound and
 * read as UTC LocalDateTime, whatever the session time zone.
 */
final class MySqlDialect implements Dialect {
    /** Prisma's lock name (sql-schema-connector, flavour/mysql.rs); GET_LOCK names are server-wide. */
    static final String PRISMA_LOCK_NAME = "prisma_migrate";

    private static final Set<String> KNOWN = Set.of(
            "sslmode", "sslcert", "sslidentity", "sslpassword", "sslaccept", "connect_timeout", "socket_timeout",
            "allowPublicKeyRetrieval", "socket");

    private static final String TABLE = "`_prisma_migrations`";
    private static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT);
    /** Ours, per database because GET_LOCK names are server-wide (64 characters at most). */
    private static final String LAUNCHER_LOCK_NAME = "LEFT(CONCAT('prisma_launcher:', DATABASE()), 64)";

    MySqlDialect(DatabaseUrl url) {
        String socket = url.parameter("socket");
        if (socket != null && !socket.startsWith("/")) {
            throw LauncherException.usage(url.variable() + " has socket=" + socket + "; socket= names a Unix socket file"
                    + " (e.g. socket=/run/mysqld/mysqld.sock) and must be an absolute path");
        }
        UrlParameters.refuseUnknown(url, KNOWN);
        sslMode(url);
        UrlParameters.seconds(url, "connect_timeout", UrlParameters.DEFAULT_CONNECT_TIMEOUT);
        UrlParameters.seconds(url, "socket_timeout", 0);
    }

    @Override
    public Provider provider() {
        return Provider.MYSQL;
    }

    @Override
    public Connection connect(DatabaseUrl url) throws SQLException {
        return connect(url, new Properties());
    }

    @Override
    public Connection connectForScripts(DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        p.setProperty("allowMultiQueries", "true"); // a whole script in one COM_QUERY, as Prisma's mysql_async sends it
        return connect(url, p);
    }

    private Connection connect(DatabaseUrl url, Properties p) throws SQLException {
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
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
            put(p, "clientCertificateKeyStorePassword", url.parameter("sslpassword"));
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
        String accept = url.parameters().getOrDefault("sslaccept", "").toLowerCase(Locale.ROOT);
        if (!Set.of("", "disable", "disabled", "prefer", "preferred", "require", "required").contains(mode)) {
            throw LauncherException.usage(url.variable() + " has sslmode=" + mode + "; use disabled, preferred or required");
        }
        if (!Set.of("", "strict", "accept_invalid_certs").contains(accept)) {
            throw LauncherException.usage(url.variable() + " has sslaccept=" + accept + "; use strict or accept_invalid_certs");
        }
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

    private static void put(Properties p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.setProperty(key, value);
        }
    }

    @Override
    public boolean isMissingDatabase(SQLException e) {
        return e.getErrorCode() == 1049; // ER_BAD_DB_ERROR
    }

    @Override
    public boolean isMissingTable(SQLException e) {
        return e.getErrorCode() == 1146; // ER_NO_SUCH_TABLE
    }

    @Override
    public boolean isTransient(SQLException e) {
        if (Connectivity.causedByTls(e)) {
            return false;
        }
        int code = e.getErrorCode();
        if (code == 1040 || code == 1053) { // too many connections, server shutdown in progress
            return true;
        }
        if (code == 1045 || code == 1044 || code == 1049) { // access denied; unknown database is not "unreachable"
            return false;
        }
        String state = e.getSQLState();
        return (state != null && state.startsWith("08")) || Connectivity.causedByNetwork(e);
    }

    /** Only a failed row's logs are ever shown, and only their head: a 40 MB logs column must not reach the heap. */
    private static final String FAILED_LOGS = "CASE WHEN finished_at IS NULL AND rolled_back_at IS NULL THEN LEFT(logs, "
            + Dialect.LOGS_READ + ") END";

    @Override
    public String selectMigrations() {
        return "SELECT id, checksum, finished_at, migration_name, " + FAILED_LOGS + " AS logs, rolled_back_at, started_at, applied_steps_count FROM "
                + TABLE + " ORDER BY started_at ASC";
    }

    @Override
    public String markRolledBack() {
        return "UPDATE " + TABLE + " SET rolled_back_at = ? WHERE id = ?";
    }

    @Override
    public String insertApplied() {
        return "INSERT INTO " + TABLE + " (id, checksum, logs, started_at, finished_at, migration_name) VALUES (?, ?, ?, ?, ?, ?)";
    }

    @Override
    public void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        // As text: Connector/J takes MariaDB's "5.5.5-10.x" handshake version for MySQL 5.5 and would
        // drop the fractional seconds of a LocalDateTime; the server parses the literal into DATETIME(3).
        statement.setString(index, DATETIME.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC)));
    }

    @Override
    public Instant getTimestamp(ResultSet rows, String column) throws SQLException {
        LocalDateTime t = rows.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    @Override
    public boolean tryPrismaLock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            s.setString(1, PRISMA_LOCK_NAME);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getInt(1) == 1;
            }
        }
    }

    @Override
    public boolean tryLauncherLock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT GET_LOCK(" + LAUNCHER_LOCK_NAME + ", 0)");
                ResultSet r = s.executeQuery()) {
            return r.next() && r.getInt(1) == 1;
        }
    }

    @Override
    public void releaseLauncherLock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT RELEASE_LOCK(" + LAUNCHER_LOCK_NAME + ")")) {
            s.execute();
        }
    }

    @Override
    public String launcherLockHolder(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT p.ID, p.USER, p.HOST FROM information_schema.PROCESSLIST p WHERE p.ID = IS_USED_LOCK(" + LAUNCHER_LOCK_NAME + ")");
                ResultSet r = s.executeQuery()) {
            return r.next() ? "connection " + r.getLong(1) + " (" + r.getString(2) + "@" + r.getString(3) + ")" : null;
        }
    }

    @Override
    public void releasePrismaLock(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            s.setString(1, PRISMA_LOCK_NAME);
            s.execute();
        }
    }

    @Override
    public Catalog catalog(Connection connection, java.time.Duration queryTimeout) {
        return new MySqlCatalog(connection, queryTimeout);
    }

    /**
     * Prisma connects to the `mysql` database to create one; we connect to none, which needs no
     * rights on `mysql` (a user granted only its own database can still create it). The statement
     * is Prisma's.
     */
    @Override
    public java.util.List<String> maintenanceDatabases() {
        return java.util.List.of("");
    }

    @Override
    public String createDatabase(String name) {
        return "CREATE DATABASE `" + name.replace("`", "``") + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci";
    }

    @Override
    public String createSchema() {
        return null; // a MySQL database is its schema
    }

    @Override
    public boolean isAlreadyExists(SQLException e) {
        return e.getErrorCode() == 1007; // ER_DB_CREATE_EXISTS
    }

    @Override
    public boolean isMaintenanceUnavailable(SQLException e) {
        return false; // only one candidate
    }

    @Override
    public String prismaLockHolder(Connection connection) throws SQLException {
        // the id always; who it is only where this user may see other sessions (PROCESS privilege)
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT l.id, p.USER, p.HOST, p.COMMAND, p.TIME FROM (SELECT IS_USED_LOCK(?) AS id) l"
                        + " LEFT JOIN information_schema.PROCESSLIST p ON p.ID = l.id")) {
            s.setString(1, PRISMA_LOCK_NAME);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getObject(1) == null) {
                    return null;
                }
                return "connection " + r.getLong(1) + (r.getString(2) == null ? " (KILL " + r.getLong(1) + " ends it)"
                        : " (" + r.getString(2) + "@" + r.getString(3) + ", " + r.getString(4) + " for " + r.getLong(5) + " s)");
            }
        }
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        // 08xxx connection exceptions; 1053 server shutdown; 1927 connection killed; 2006/2013 server gone / lost
        int code = e.getErrorCode();
        return state != null && state.startsWith("08") || code == 1053 || code == 1927 || code == 2006 || code == 2013
                || Connectivity.causedByNetwork(e);
    }

    @Override
    public String selectTableNames() {
        // Prisma's table_names: base tables of the database (views excluded)
        return "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
                + " ORDER BY table_name";
    }

    @Override
    public void bindTableNames(PreparedStatement statement) {
        // DATABASE(): nothing to bind
    }

    @Override
    public boolean isIgnoredTable(String name) {
        return false;
    }
}
