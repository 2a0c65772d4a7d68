package dev.prismalauncher.database;

import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.config.Provider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Everything that differs between databases, as whole operations, one implementation per database
 * holding all of its SQL and reading its own error codes (after dbmate's drivers). Values always go
 * through bind parameters; the only identifier ever spliced into SQL is PostgreSQL's schema,
 * validated and quoted. Every dialect passes the same contract test against its real server.
 */
public sealed interface Dialect permits PostgresDialect, MySqlDialect {

    static Dialect of(DatabaseUrl url) {
        return switch (url.provider()) {
            case POSTGRESQL -> new PostgresDialect(url);
            case MYSQL -> new MySqlDialect(url);
        };
    }

    Provider provider();

    /** Opens a connection to the URL's database, the Prisma URL's parameters translated to the driver's. */
    Connection connect(DatabaseUrl url) throws SQLException;

    /** A session that runs migration scripts as Prisma's engine runs them (DEPLOY_ENGINE=jdbc); see {@link Scripts}. */
    Scripts openScripts(DatabaseUrl url) throws SQLException;

    /**
     * Who keeps the session with this id from a lock it waits for (DDL_LOCK_TIMEOUT): pid,
     * application, client, state, since when; never their query text. Empty where the database
     * does not say.
     */
    java.util.List<String> blockers(Connection connection, long sessionId) throws SQLException;

    /** What a failure means, read from this driver's codes: the one place that decides it. */
    Failure classify(SQLException e, Failure.Stage stage);

    /** The launcher's own lock (a different key from Prisma's), held across inspect, resolve, deploy and verify. */
    Lock launcherLock();

    /** Prisma's own migration lock, so that no {@code prisma migrate} runs beside our writes. */
    Lock prismaLock();

    /** {@code _prisma_migrations} as this database names it and keeps its instants. */
    MigrationTable.Layout migrationTable();

    /**
     * The base tables of the URL's schema that Prisma counts when it decides whether a database
     * without {@code _prisma_migrations} is empty (its migration persistence's initialize), in name
     * order, without those Prisma ignores; each goes to {@code each} until it returns false.
     */
    void tableNames(Connection connection, Predicate<String> each) throws SQLException;

    /**
     * The namespace {@link #tableNames} lists, as Prisma's engine qualifies a table for
     * {@code tables.external} ("schema.table"); null where only bare names are matched.
     */
    default String namespace() {
        return null;
    }

    /** Read-only catalog questions for MIGRATION_RESOLVE_STRATEGY=auto, each query bounded by queryTimeout. */
    Catalog catalog(Connection connection, Duration queryTimeout);

    /** How `prisma migrate deploy` creates the URL's database when it is missing (schema-engine create_database). */
    DatabaseCreation.Statements creation(DatabaseUrl url);
}
