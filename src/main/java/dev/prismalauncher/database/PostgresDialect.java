package dev.prismalauncher.database;

import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import dev.prismalauncher.database.Failure.Stage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** PostgreSQL: all of its SQL, URL translation, error codes and locks. */
final class PostgresDialect implements Dialect {
    /** Prisma's advisory lock key (sql-schema-connector, flavour/postgres.rs). */
    private static final long PRISMA_LOCK_KEY = 72707369L;
    /** Ours: next to Prisma's, below 2^32 so pg_locks shows it as objid with classid 0. */
    private static final long LAUNCHER_LOCK_KEY = 72707370L;

    private static final Set<String> KNOWN = Set.of(
            "schema", "sslmode", "sslcert", "sslidentity", "sslpassword", "sslaccept",
            "connect_timeout", "socket_timeout", "application_name", "options", "pgbouncer",
            "host");

    /** PostGIS's tables or views, which Prisma does not count (sql_schema_differ_flavour/postgres.rs). */
    private static final Pattern IGNORED_TABLES = Pattern.compile(
            "spatial_ref_sys|geometry_columns|geography_columns|raster_columns|raster_overviews", Pattern.CASE_INSENSITIVE);
    // "postgres" is the default, "template1" always exists, "defaultdb" is DigitalOcean's (Prisma's order).
    private static final List<String> MAINTENANCE = List.of("postgres", "template1", "defaultdb");

    private final String schema;

    PostgresDialect(DatabaseUrl url) {
        UrlParameters.requireAbsolutePath(url, "host",
                "the directory of a Unix socket (e.g. host=/var/run/postgresql, or /cloudsql/PROJECT:REGION:INSTANCE)");
        UrlParameters.refuseUnknown(url, KNOWN);
        String schema = url.schema();
        if (schema.contains("\"") || schema.indexOf('\0') >= 0) {
            throw LauncherException.usage(url.variable() + " has schema=" + schema + ", which contains a quote;"
                    + " Prisma schema names cannot contain '\"': use letters, digits and underscores");
        }
        sslMode(url); // validate before anything is touched
        UrlParameters.checkTimeouts(url);
        this.schema = schema;
    }

    @Override
    public Connection connect(DatabaseUrl url) throws SQLException {
        return connect(url, new Properties());
    }

    @Override
    public Scripts openScripts(DatabaseUrl url) throws SQLException {
        Properties simple = new Properties();
        // the simple query protocol, and a Statement's SQL not split at semicolons: one Query message, as Prisma's simple_query
        simple.setProperty("preferQueryMode", "simple");
        return PostgresScripts.open(connect(url, simple), schema, this);
    }

    @Override
    public List<String> blockers(Connection connection, long sessionId) throws SQLException {
        return Query.read(connection, "SELECT a.pid, a.application_name, a.client_addr, a.state, a.xact_start FROM pg_stat_activity a"
                + " WHERE a.pid = ANY (pg_blocking_pids(?)) ORDER BY a.pid", r -> {
                    List<String> out = new java.util.ArrayList<>();
                    while (r.next()) {
                        out.add("backend pid " + r.getInt(1) + " (application_name '" + r.getString(2) + "' from "
                                + (r.getString(3) == null ? "a local socket" : r.getString(3)) + ", " + r.getString(4)
                                + (r.getString(5) == null ? "" : ", in a transaction since " + r.getString(5)) + ")");
                    }
                    return out;
                }, (int) sessionId);
    }

    private Connection connect(DatabaseUrl url, Properties extra) throws SQLException {
        Properties p = UrlParameters.credentials(url);
        p.putAll(extra);
        p.setProperty("ApplicationName", url.parameters().getOrDefault("application_name", "prisma-launcher"));
        int connectTimeout = UrlParameters.seconds(url, "connect_timeout", UrlParameters.DEFAULT_CONNECT_TIMEOUT);
        p.setProperty("connectTimeout", String.valueOf(connectTimeout));
        p.setProperty("loginTimeout", String.valueOf(connectTimeout)); // the whole handshake, not only the TCP connect
        p.setProperty("socketTimeout", String.valueOf(UrlParameters.socketTimeout(url)));
        p.setProperty("sslmode", sslMode(url));
        UrlParameters.put(p, "sslrootcert", url.parameter("sslcert"));
        UrlParameters.put(p, "sslkey", url.parameter("sslidentity"));
        UrlParameters.put(p, "sslpassword", url.parameter("sslpassword"));
        UrlParameters.put(p, "options", url.parameter("options"));
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
        if (!Set.of("disable", "prefer", "require", "verify-ca", "verify-full").contains(mode)) {
            throw LauncherException.usage(url.variable() + " has sslmode=" + mode + "; use disable, prefer or require");
        }
        String accept = UrlParameters.sslAccept(url);
        return mode.equals("require") && accept.equals("strict") ? "verify-full" : mode;
    }

    @Override
    public Failure classify(SQLException e, Stage stage) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return switch (state) {
            case "3D000" -> Failure.MISSING_DATABASE;
            case "42P01", "3F000" -> Failure.MISSING_TABLE; // no table, or no schema yet
            // duplicate database; 23505/42P06 when two sessions insert the same pg_database/pg_namespace row at once
            case "42P04", "23505", "42P06" -> Failure.ALREADY_EXISTS;
            // not allowed into a maintenance database (Prisma's DatabaseAccessDenied)
            case "42501", "28000" -> Failure.UNAVAILABLE;
            // 08xxx connection exceptions; 57P01..57P05 admin shutdown, crash shutdown, cannot connect now, ...
            default -> stage == Stage.CONNECTING ? (waitingMayCure(e, state) ? Failure.TRANSIENT : Failure.OTHER)
                    : Failure.inSession(e, state.startsWith("08") || state.startsWith("57P"));
        };
    }

    /**
     * 08001 cannot connect (refused, unknown host), 08006 connection failure, 57P03 the database
     * system is starting up, 53300 too many connections. Not 08004 (rejected: the server does not
     * support SSL, or wants a password the URL lacks) nor 28xxx (authentication), nor TLS.
     */
    private static final Set<String> WAITING_MAY_CURE = Set.of("08001", "08006", "57P03", "53300");

    private static boolean waitingMayCure(SQLException e, String state) {
        if (state.isEmpty() || Failure.causedByTls(e)) {
            return false;
        }
        return WAITING_MAY_CURE.contains(state) || Failure.causedByNetwork(e);
    }

    private static final Lock LAUNCHER_LOCK = new AdvisoryLock(LAUNCHER_LOCK_KEY, r -> "backend pid " + r.getInt("pid")
            + " (" + r.getString("application_name") + " from " + r.getString("client_addr") + ", connected " + r.getString("backend_start") + ")");

    @Override
    public Lock launcherLock() {
        return LAUNCHER_LOCK;
    }

    /** Named as Prisma's lock-wait event names it: application name, client (or the local socket), state since when. */
    private static final Lock PRISMA_LOCK = new AdvisoryLock(PRISMA_LOCK_KEY, r -> "backend pid " + r.getInt("pid")
            + " (application_name '" + r.getString("application_name") + "' from "
            + (r.getString("client_addr") == null ? "a local socket" : r.getString("client_addr")) + ", "
            + r.getString("state") + " since " + r.getString("state_change") + ")");

    @Override
    public Lock prismaLock() {
        return PRISMA_LOCK;
    }

    /** A session-level advisory lock of this database: it dies with the connection. */
    private record AdvisoryLock(long key, Query.Read<String> describe) implements Lock {
        private static final String HOLDER = "SELECT a.pid, a.application_name, a.client_addr, a.backend_start, a.state, a.state_change"
                + " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = ? AND l.objsubid = 1"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())";

        @Override
        public boolean tryTake(Connection connection) throws SQLException {
            return Query.read(connection, "SELECT pg_try_advisory_lock(?)", r -> r.next() && r.getBoolean(1), key);
        }

        @Override
        public void release(Connection connection) throws SQLException {
            Query.read(connection, "SELECT pg_advisory_unlock(?)", r -> null, key);
        }

        @Override
        public String holder(Connection connection) throws SQLException {
            return Query.read(connection, HOLDER, r -> r.next() ? describe.from(r) : null, key);
        }
    }

    private static final MigrationTable.Timestamps<OffsetDateTime> TIMESTAMPTZ = new MigrationTable.Timestamps<>(
            OffsetDateTime.class, instant -> OffsetDateTime.ofInstant(instant, ZoneOffset.UTC), OffsetDateTime::toInstant);

    @Override
    public MigrationTable.Layout migrationTable() {
        String table = quote(schema) + "._prisma_migrations";
        // flavour/postgres.rs create_migrations_table, byte for byte but for the table's name (Prisma's is
        // unqualified, on a session whose search_path is the schema; indoc strips the indentation)
        String create = "CREATE TABLE " + table + " (\n"
                + "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
                + "    checksum                VARCHAR(64) NOT NULL,\n"
                + "    finished_at             TIMESTAMPTZ,\n"
                + "    migration_name          VARCHAR(255) NOT NULL,\n"
                + "    logs                    TEXT,\n"
                + "    rolled_back_at          TIMESTAMPTZ,\n"
                + "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
                + "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
                + ");\n";
        return new MigrationTable.Layout(table, TIMESTAMPTZ, create, "SET LOCAL synchronous_commit = off");
    }

    @Override
    public void tableNames(Connection connection, Predicate<String> each) throws SQLException {
        // Prisma's table_names: ordinary tables (relkind 'r') of the URL's schema
        Query.strings(connection, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind = 'r' AND n.nspname = ? ORDER BY c.relname",
                name -> IGNORED_TABLES.matcher(name).matches() || each.test(name), schema);
    }

    @Override
    public String namespace() {
        return schema;
    }

    @Override
    public Provider provider() {
        return Provider.POSTGRESQL;
    }

    @Override
    public Catalog catalog(Connection connection, Duration queryTimeout) {
        return new PostgresCatalog(connection, schema, queryTimeout);
    }

    @Override
    public DatabaseCreation.Statements creation(DatabaseUrl url) {
        return new DatabaseCreation.Statements(MAINTENANCE, "CREATE DATABASE " + quote(url.database()),
                "CREATE SCHEMA IF NOT EXISTS " + quote(schema));
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
