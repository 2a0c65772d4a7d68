package dev.prismalauncher.database;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Everything that differs between databases, one implementation per database, each file holding
 * all of its SQL (after dbmate's drivers). Values always go through bind parameters; the only
 * identifier ever spliced into SQL is PostgreSQL's schema, validated and quoted.
 */
public interface Dialect {
    /** Characters of a failed row's logs read: 16 KiB and one more, to know it was cut. */
    int LOGS_READ = 16_385;

    Provider provider();

    /** Opens a connection to the URL's database, the Prisma URL's parameters translated to the driver's. */
    Connection connect(DatabaseUrl url) throws SQLException;

    /**
     * A connection that runs a migration script as Prisma's engine runs it (DEPLOY_ENGINE=jdbc):
     * PostgreSQL in the simple query protocol, so a whole script reaches the server as one query
     * string; MySQL with multi-statement queries allowed.
     */
    Connection connectForScripts(DatabaseUrl url) throws SQLException;

    /** The database in the URL does not exist yet (Prisma's deploy creates it). */
    boolean isMissingDatabase(SQLException e);

    /** _prisma_migrations does not exist yet. */
    boolean isMissingTable(SQLException e);

    /**
     * A connection failure that waiting may cure: refused, host not resolvable yet, server starting
     * up, too many connections. Authentication, TLS and everything unknown are not.
     */
    boolean isTransient(SQLException e);

    /** SELECT of all eight columns, oldest first, as Prisma's list_migrations. */
    String selectMigrations();

    /** UPDATE rolled_back_at of one row by id, as Prisma's mark_migration_rolled_back_by_id. */
    String markRolledBack();

    /** INSERT of the row `prisma migrate resolve --applied` writes (id, checksum, logs, started_at, finished_at, name). */
    String insertApplied();

    /** Binds an instant the way Prisma stores it in this database's timestamp column. */
    void setTimestamp(PreparedStatement statement, int index, Instant instant) throws SQLException;

    Instant getTimestamp(ResultSet rows, String column) throws SQLException;

    /** Takes Prisma's own migration lock if it is free; false if another session holds it. */
    boolean tryPrismaLock(Connection connection) throws SQLException;

    void releasePrismaLock(Connection connection) throws SQLException;

    /** The launcher's own lock (a different key from Prisma's), held across inspect, resolve, deploy and check. */
    boolean tryLauncherLock(Connection connection) throws SQLException;

    void releaseLauncherLock(Connection connection) throws SQLException;

    /** Who holds the launcher lock, for the log while waiting; null if unknown. */
    String launcherLockHolder(Connection connection) throws SQLException;

    /** Read-only catalog questions for MIGRATION_RESOLVE_STRATEGY=auto, each query bounded by queryTimeout. */
    Catalog catalog(Connection connection, java.time.Duration queryTimeout);

    // --- creating a missing database, as `prisma migrate deploy` does (schema-engine create_database) ---

    /** The databases to connect to for CREATE DATABASE, tried in order (Prisma's maintenance databases). */
    java.util.List<String> maintenanceDatabases();

    /** Prisma's CREATE DATABASE for this name (identifier quoted, never a bind value). */
    String createDatabase(String name);

    /** The statement that creates the URL's schema in a new database; null where there is none. */
    String createSchema();

    /** CREATE DATABASE lost a race: another replica created it meanwhile (or it existed all along). */
    boolean isAlreadyExists(SQLException e);

    /** A maintenance database that is absent or closed to this user: try the next one, as Prisma does. */
    boolean isMaintenanceUnavailable(SQLException e);

    // --- waiting for Prisma's own lock ---

    /** Who holds Prisma's migration lock, for the log while waiting; null if unknown. */
    String prismaLockHolder(Connection connection) throws SQLException;

    /** The connection itself is gone (server restart, connection killed): exit 3, not a bug. */
    boolean isConnectionLost(SQLException e);

    // --- P3005: a database with tables but no _prisma_migrations ---

    /**
     * The base tables Prisma counts when it decides whether a database without
     * _prisma_migrations is empty (sql_migration_persistence initialize); one row per table name.
     */
    String selectTableNames();

    /** Binds the query's parameters (PostgreSQL: the schema). */
    void bindTableNames(PreparedStatement statement) throws SQLException;

    /** Tables Prisma ignores there (PostGIS's spatial_ref_sys and friends on PostgreSQL). */
    boolean isIgnoredTable(String name);

    static Dialect of(DatabaseUrl url) {
        return switch (url.provider()) {
            case POSTGRESQL -> new PostgresDialect(url);
            case MYSQL -> new MySqlDialect(url);
        };
    }
}
