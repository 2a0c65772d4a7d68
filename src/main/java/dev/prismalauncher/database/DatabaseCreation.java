package dev.prismalauncher.database;

import dev.prismalauncher.ExitCode;
import dev.prismalauncher.LauncherException;
import dev.prismalauncher.config.DatabaseUrl;
import dev.prismalauncher.database.Failure.Stage;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a missing database exactly as `prisma migrate deploy` would (schema-engine's
 * create_database: CREATE DATABASE from a maintenance database, then the URL's schema), so that
 * the launcher lock, which lives in that database, can order replicas from the start. Prisma's own
 * lock cannot: it too lives in the database being created, so N replicas racing to create it made
 * N-1 of them fail ("database already exists"). Losing that race here is fine.
 */
public final class DatabaseCreation {
    private static final Logger log = LoggerFactory.getLogger("prisma-launcher");

    /**
     * A dialect's statements for creating a database.
     *
     * @param maintenanceDatabases the databases to connect to for CREATE DATABASE, tried in order (Prisma's)
     * @param createDatabase Prisma's CREATE DATABASE for the URL's database (its name quoted, never bound)
     * @param createSchema the statement that creates the URL's schema in the new database; null where there is none
     */
    public record Statements(List<String> maintenanceDatabases, String createDatabase, String createSchema) {}

    /** Creates the URL's database if it is still missing; returns true if this call created it. */
    public static boolean create(DatabaseUrl url, Dialect dialect) {
        Statements statements = dialect.creation(url);
        boolean created = createDatabase(url, dialect, statements);
        if (statements.createSchema() != null) {
            try (Connection c = dialect.connect(url); Statement s = c.createStatement()) {
                s.execute(statements.createSchema());
            } catch (SQLException e) {
                if (dialect.classify(e, Stage.SESSION) != Failure.ALREADY_EXISTS) {
                    throw failure(url, "cannot create schema " + url.schema() + " in", e, dialect);
                }
            }
        }
        if (created) {
            log.atInfo().addKeyValue("event", "create-database").addKeyValue("database", url.database())
                    .log("created database {} as prisma migrate deploy would", url.database());
        } else {
            log.info("database {} was created meanwhile (another replica); going on", url.database());
        }
        return created;
    }

    private static boolean createDatabase(DatabaseUrl url, Dialect dialect, Statements statements) {
        SQLException last = null;
        for (String maintenance : statements.maintenanceDatabases()) {
            Connection c;
            try {
                c = dialect.connect(url.withDatabase(maintenance));
            } catch (SQLException e) {
                Failure failure = dialect.classify(e, Stage.CONNECTING);
                if (failure == Failure.UNAVAILABLE || failure == Failure.MISSING_DATABASE) {
                    last = e;
                    continue; // the next candidate, as Prisma does
                }
                throw new LauncherException(ExitCode.UNREACHABLE, "cannot connect to " + url.withDatabase(maintenance)
                        + " to create " + url.database() + ": " + Database.describe(e));
            }
            try (c; Statement s = c.createStatement()) {
                s.execute(statements.createDatabase());
                return true;
            } catch (SQLException e) {
                if (dialect.classify(e, Stage.SESSION) == Failure.ALREADY_EXISTS) {
                    return false;
                }
                throw failure(url, "cannot create database " + url.database() + " on", e, dialect);
            }
        }
        throw new LauncherException(ExitCode.DEPLOY_FAILED, url + " does not exist and none of the databases "
                + String.join(", ", statements.maintenanceDatabases()) + " is open to this user to create it from"
                + (last == null ? "" : " (" + Database.describe(last) + ")") + "; create the database, or let the user connect to postgres");
    }

    private static LauncherException failure(DatabaseUrl url, String what, SQLException e, Dialect dialect) {
        if (dialect.classify(e, Stage.SESSION).sessionLost()) {
            return new LauncherException(ExitCode.UNREACHABLE, what + " " + url + ": connection lost: " + Database.describe(e));
        }
        // as prisma migrate deploy would fail: exit 5, the database's own reason (e.g. no CREATEDB privilege)
        return new LauncherException(ExitCode.DEPLOY_FAILED, what + " " + url + ": " + Database.describe(e)
                + "; create it yourself, or grant the user the right to (PostgreSQL: CREATEDB)");
    }

    private DatabaseCreation() {}
}
