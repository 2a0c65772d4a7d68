package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** PostgreSQL: all of its SQL, URL translation and error codes. */
final class PostgresDialect implements Dialect {
    /** Prisma's advisory lock key (sql-schema-connector, flavour/postgres.rs). */
    static final long PRISMA_LOCK_KEY = 72707369L;
    /** Ours: next to Prisma's, below 2^32 so pg_locks shows it as objid with classid 0. */
    static final long LAUNCHER_LOCK_KEY = 72707370L;

    private static final Set<String> KNOWN = Set.of(
            "schema", "sslmode", "sslcert", "sslidentity", "sslpassword", "sslaccept",
            "connect_timeout", "socket_timeout", "application_name", "options", "pgbouncer",
            "host");

    private final String table;
    private final String schema;

    PostgresDialect(DatabaseUrl url) {
        String socketDirectory = url.parameter("host");
        if (socketDirectory != null && !socketDirectory.startsWith("/")) {
            throw LauncherException.usage(url.variable() + " has host=" + socketDirectory + "; host= names the directory of a Unix socket"
                    + " (e.g. host=/var/run/postgresql, or /cloudsql/PROJECT:REGION:INSTANCE) and must be an absolute path");
        }
        UrlParameters.refuseUnknown(url, KNOWN);
        String schema = url.schema();
        if (schema.contains("\"") || schema.indexOf('\0') >= 0) {
            throw LauncherException.usage(url.variable() + " has schema=" + schema + ", which contains a quote;"
                    + " Prisma schema names cannot contain '\"': use letters, digits and underscores");
        }
        sslMode(url); // validate before anything is touched
        UrlParameters.seconds(url, "connect_timeout", UrlParameters.DEFAULT_CONNECT_TIMEOUT);
        UrlParameters.seconds(url, "socket_timeout", 0);
        this.table = "\"" + schema + "\"._prisma_migrations";
        this.schema = schema;
    }

    @Override
    public Provider provider() {
        return Provider.POSTGRESQL;
    }

    @Override
    public Connection connect(DatabaseUrl url) throws SQLException {
        return connect(url, new Properties());
    }

    @Override
    public Connection connectForScripts(DatabaseUrl url) throws SQLException {
        Properties p = new Properties();
        // Simple protocol, and a Statement's SQL not split at semicolons: one Query message, as Prisma's simple_query
        p.setProperty("preferQueryMode", "simple");
        return connect(url, p);
    }

    private Connection connect(DatabaseUrl url, Properties p) throws SQLException {
        if (url.user() != null) {
            p.setProperty("user", url.user());
        }
        if (url.password() != null) {
            p.setProperty("password", url.password());
        }
        p.setProperty("ApplicationName", url.parameters().getOrDefault("application_name", "prisma-launcher"));
        int connectTimeout = UrlParameters.seconds(url, "connect_timeout", UrlParameters.DEFAULT_CONNECT_TIMEOUT);
        p.setProperty("connectTimeout", String.valueOf(connectTimeout));
        p.setProperty("loginTimeout", String.valueOf(connectTimeout)); // the whole handshake, not only the TCP connect
        p.setProperty("socketTimeout", String.valueOf(UrlParameters.socketTimeout(url)));
        p.setProperty("sslmode", sslMode(url));
        put(p, "sslrootcert", url.parameter("sslcert"));
        put(p, "sslkey", url.parameter("sslidentity"));
        put(p, "sslpassword", url.parameter("sslpassword"));
        put(p, "options", url.parameter("options"));
        if ("true".equalsIgnoreCase(url.parameter("pgbouncer"))) {
            p.setProperty("prepareThreshold", "0"); // PgBouncer in transaction mode cannot keep prepared statements
        }
        String socketDirectory = url.parameter("host");
        if (socketDirectory != null) {
            // Prisma's Unix-socket form: the socket file is <dir>/.s.PGSQL.<port>, as libpq names it
            p.setProperty("socketFactory", PgUnixSocketFactory.class.getName());
            p.setProperty("socketFactoryArg", PgUnixSocketFactory.socketFile(socketDirectory, url.port()));
        }
        String jdbc = "jdbc:postgresql://" + url.hostAndPort() + "/" + URLEncoder.encode(url.database(), StandardCharsets.UTF_8);
        // The driver class directly: DriverManager would load and probe every driver on the class path.
        Connection c = new org.postgresql.Driver().connect(jdbc, p);
        if (c == null) {
            throw new SQLException("the PostgreSQL driver did not accept the URL", "08001");
        }
        return c;
    }

    /** Prisma's sslmode (disable, prefer, require) with sslaccept=strict asking for verification. */
    private static String sslMode(DatabaseUrl url) {
        String mode = url.parameters().getOrDefault("sslmode", "prefer").toLowerCase(Locale.ROOT);
        String accept = url.parameters().getOrDefault("sslaccept", "").toLowerCase(Locale.ROOT);
        if (!Set.of("disable", "prefer", "require", "verify-ca", "verify-full").contains(mode)) {
            throw LauncherException.usage(url.variable() + " has sslmode=" + mode + "; use disable, prefer or require");
        }
        if (!Set.of("", "strict", "accept_invalid_certs").contains(accept)) {
            throw LauncherException.usage(url.variable() + " has sslaccept=" + accept + "; use strict or accept_invalid_certs");
        }
        return mode.equals("require") && accept.equals("strict") ? "verify-full" : mode;
    }

    private static void put(Properties p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.setProperty(key, value);
        }
    }

    @Override
    public boolean isMissingDatabase(SQLException e) {
        return "3D000".equals(e.getSQLState());
    }

    @Override
    public boolean isMissingTable(SQLException e) {
        return "42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState()); // no table, or no schema yet
    }

    @Override
    public boolean isTransient(SQLException e) {
        String state = e.getSQLState();
        if (state == null || Connectivity.causedByTls(e)) {
            return false;
        }
        // 08001 cannot connect (refused, unknown host), 08006 connection failure,
        // 57P03 the database system is starting up, 53300 too many connections.
        // Not 08004 (rejected: e.g. the server does not support SSL) nor 28xxx (authentication).
        return state.equals("08001") || state.equals("08006") || state.equals("57P03") || state.equals("53300")
                || Connectivity.causedByNetwork(e);
    }

    /** Only a failed row's logs are ever shown, and only their head: a 40 MB logs column must not reach the heap. */
    private static final String FAILED_LOGS = "CASE WHEN finished_at IS NULL AND rolled_back_at IS NULL THEN LEFT(logs, "
            + Dialect.LOGS_READ + ") END";

    @Override
    public String selectMigrations() {
        return "SELECT id, checksum, finished_at, migration_name, " + FAILED_LOGS + " AS logs, rolled_back_at, started_at, applied_steps_count FROM "
                + table + " ORDER BY started_at ASC";
    }

    @Override
    public String markRolledBack() {
        return "UPDATE " + table + " SET rolled_back_at = ? WHERE id = ?";
    }

    @Override
    public String insertApplied() {
        return "INSERT INTO " + table + " (id, checksum, logs, started_at, finished_at, migration_name) VALUES (?, ?, ?, ?, ?, ?)";
    }

    @Override
    public void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    @Override
    public Instant getTimestamp(ResultSet rows, String column) throws SQLException {
        OffsetDateTime t = rows.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    @Override
    public boolean tryPrismaLock(Connection connection) throws SQLException {
        return tryLock(connection, PRISMA_LOCK_KEY);
    }

    @Override
    public void releasePrismaLock(Connection connection) throws SQLException {
        unlock(connection, PRISMA_LOCK_KEY);
    }

    @Override
    public boolean tryLauncherLock(Connection connection) throws SQLException {
        return tryLock(connection, LAUNCHER_LOCK_KEY);
    }

    @Override
    public void releaseLauncherLock(Connection connection) throws SQLException {
        unlock(connection, LAUNCHER_LOCK_KEY);
    }

    /** Session-level advisory locks: they die with the connection, so a killed launcher never leaves one held. */
    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, key);
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, long key) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            s.setLong(1, key);
            s.execute();
        }
    }

    @Override
    public String launcherLockHolder(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT a.pid, a.application_name, a.client_addr, a.backend_start FROM pg_locks l"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ? AND l.objsubid = 1"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            s.setLong(1, LAUNCHER_LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return "backend pid " + r.getInt(1) + " (" + r.getString(2) + " from " + r.getString(3) + ", connected " + r.getString(4) + ")";
            }
        }
    }

    @Override
    public Catalog catalog(Connection connection, java.time.Duration queryTimeout) {
        return new PostgresCatalog(connection, schema, queryTimeout);
    }

    // "postgres" is the default, "template1" always exists, "defaultdb" is DigitalOcean's (Prisma's order).
    private static final java.util.List<String> MAINTENANCE = java.util.List.of("postgres", "template1", "defaultdb");
    /** PostGIS's tables or views, which Prisma does not count (sql_schema_differ_flavour/postgres.rs). */
    private static final java.util.regex.Pattern IGNORED_TABLES = java.util.regex.Pattern.compile(
            "spatial_ref_sys|geometry_columns|geography_columns|raster_columns|raster_overviews",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    @Override
    public java.util.List<String> maintenanceDatabases() {
        return MAINTENANCE;
    }

    @Override
    public String createDatabase(String name) {
        return "CREATE DATABASE " + quote(name);
    }

    @Override
    public String createSchema() {
        return "CREATE SCHEMA IF NOT EXISTS " + table.substring(0, table.lastIndexOf('.'));
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public boolean isAlreadyExists(SQLException e) {
        // 42P04 duplicate database; 23505/42P06 when two sessions insert the same pg_database/pg_namespace row at once
        return "42P04".equals(e.getSQLState()) || "23505".equals(e.getSQLState()) || "42P06".equals(e.getSQLState());
    }

    @Override
    public boolean isMaintenanceUnavailable(SQLException e) {
        // no such database, or not allowed into it (Prisma's DatabaseDoesNotExist / DatabaseAccessDenied)
        return "3D000".equals(e.getSQLState()) || "42501".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    @Override
    public String prismaLockHolder(Connection connection) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT a.pid, a.application_name, a.client_addr, a.state, a.state_change FROM pg_locks l"
                        + " JOIN pg_stat_activity a ON a.pid = l.pid"
                        + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ? AND l.objsubid = 1"
                        + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            s.setLong(1, PRISMA_LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return "backend pid " + r.getInt(1) + " (application_name '" + r.getString(2) + "' from "
                        + (r.getString(3) == null ? "a local socket" : r.getString(3)) + ", " + r.getString(4) + " since " + r.getString(5) + ")";
            }
        }
    }

    @Override
    public boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        // 08xxx connection exceptions; 57P01..57P03 admin shutdown, crash shutdown, cannot connect now
        return state != null && (state.startsWith("08") || state.startsWith("57P")) || Connectivity.causedByNetwork(e);
    }

    @Override
    public String selectTableNames() {
        // Prisma's table_names: ordinary tables (relkind 'r') of the URL's schema
        return "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname = ? ORDER BY c.relname";
    }

    @Override
    public void bindTableNames(PreparedStatement statement) throws SQLException {
        statement.setString(1, schema);
    }

    @Override
    public boolean isIgnoredTable(String name) {
        return IGNORED_TABLES.matcher(name).matches();
    }
}
