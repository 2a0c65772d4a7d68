package dev.prismalauncher.database;

import dev.prismalauncher.config.ExternalTables;
import dev.prismalauncher.database.Failure.Stage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code _prisma_migrations} on one session: its rows as Prisma lists them, row changes written in
 * one transaction, and the question Prisma asks of a database without it (P3005: which tables are
 * there). The SQL is the same for every database but for the table's quoted name and how an instant
 * is kept, which the dialect gives ({@link Layout}). Whatever writes rows writes them here.
 */
public final class MigrationTable {
    /** Characters of a failed row's logs read: 16 KiB and one more, to know it was cut. */
    public static final int LOGS_READ = 16_385;

    /** Only a failed row's logs are ever shown, and only their head: a 40 MB logs column must not reach the heap. */
    private static final String FAILED_LOGS = "CASE WHEN finished_at IS NULL AND rolled_back_at IS NULL THEN LEFT(logs, "
            + LOGS_READ + ") END";

    /**
     * What differs between databases: the table's name quoted for SQL (PostgreSQL: in the URL's
     * schema), its instants, Prisma's DDL for it (create_migrations_table, with the name as the
     * launcher qualifies it), and a statement that lets a transaction commit without waiting for
     * its flush to disk (null where there is none per transaction).
     */
    public record Layout(String table, Timestamps<?> timestamps, String create, String relaxedCommit) {}

    /**
     * How a database keeps the instants Prisma writes, bound and read back exactly: as which
     * java.time class the driver reads the column, and what is bound for an instant.
     */
    public record Timestamps<T>(Class<T> type, Function<Instant, ?> toColumn, Function<T, Instant> fromColumn) {
        void bind(PreparedStatement statement, int index, Instant instant) throws SQLException {
            statement.setObject(index, toColumn.apply(instant));
        }

        /** The column's instant; null for NULL. */
        Instant read(ResultSet rows, String column) throws SQLException {
            T value = rows.getObject(column, type);
            return value == null ? null : fromColumn.apply(value);
        }
    }

    private final Connection connection;
    private final Dialect dialect;
    private final Layout layout;
    private final String table;
    private final Timestamps<?> timestamps;

    MigrationTable(Connection connection, Dialect dialect) {
        this.connection = connection;
        this.dialect = dialect;
        this.layout = dialect.migrationTable();
        this.table = layout.table();
        this.timestamps = layout.timestamps();
    }

    /** All rows, oldest first, as Prisma's list_migrations; none when the table does not exist yet. */
    public List<MigrationRow> rows() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT id, checksum, finished_at, migration_name, " + FAILED_LOGS
                        + " AS logs, rolled_back_at, started_at, applied_steps_count FROM " + table + " ORDER BY started_at ASC");
                ResultSet r = s.executeQuery()) {
            List<MigrationRow> rows = new ArrayList<>();
            while (r.next()) {
                rows.add(new MigrationRow(r.getString("id"), r.getString("checksum"), timestamps.read(r, "finished_at"),
                        r.getString("migration_name"), r.getString("logs"), timestamps.read(r, "rolled_back_at"),
                        timestamps.read(r, "started_at"), r.getLong("applied_steps_count")));
            }
            return rows;
        } catch (SQLException e) {
            if (dialect.classify(e, Stage.SESSION) == Failure.MISSING_TABLE) {
                return List.of();
            }
            throw e;
        }
    }

    /** Applies row changes in a single transaction, so that a crash leaves either all of them or none. */
    public void write(List<RowChange> changes) throws SQLException {
        inTransaction(() -> {
            for (RowChange change : changes) {
                apply(change);
            }
        });
    }

    /** Runs work in one transaction: committed whole, or rolled back whole. */
    private void inTransaction(Work work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            work.run();
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    private void apply(RowChange change) throws SQLException {
        switch (change) {
            // Prisma's mark_migration_rolled_back_by_id
            case RowChange.MarkRolledBack m -> {
                int updated = update("UPDATE " + table + " SET rolled_back_at = ? WHERE id = ?", s -> {
                    timestamps.bind(s, 1, m.at());
                    s.setString(2, m.id());
                });
                if (updated != 1) {
                    throw new SQLException("row " + m.id() + " of " + m.migrationName() + " vanished while resolving");
                }
            }
            // the row `prisma migrate resolve --applied` inserts
            case RowChange.InsertApplied a -> update("INSERT INTO " + table
                    + " (id, checksum, logs, started_at, finished_at, migration_name) VALUES (?, ?, ?, ?, ?, ?)", s -> {
                        s.setString(1, a.id());
                        s.setString(2, a.checksum());
                        s.setString(3, "");
                        timestamps.bind(s, 4, a.at());
                        timestamps.bind(s, 5, a.at());
                        s.setString(6, a.migrationName());
                    });
        }
    }

    /** Runs one statement with its values bound; returns the number of rows it changed. */
    private int update(String sql, Binding binding) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            binding.bind(s);
            return s.executeUpdate();
        }
    }

    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement statement) throws SQLException;
    }

    // --- what the JDBC engine writes (DEPLOY_ENGINE=jdbc): sql_migration_persistence.rs, each its own statement ---

    /** Whether the table is there: migration persistence's initialize asks first. */
    public boolean exists() throws SQLException {
        var seen = new Object() {
            boolean found;
        };
        dialect.tableNames(connection, name -> !(seen.found = name.equals("_prisma_migrations")));
        return seen.found;
    }

    /** create_migrations_table: Prisma's DDL for this database. */
    public void create() throws SQLException {
        try (var s = connection.createStatement()) {
            s.setEscapeProcessing(false);
            s.execute(layout.create());
        }
    }

    /**
     * record_migration_started: the row inserted before the script runs (id, checksum, started_at,
     * name; logs and finished_at NULL, applied_steps_count 0). Where the dialect allows it the
     * commit does not wait for its flush to disk: the script's own commit, which follows at once,
     * flushes it; had the server crashed before, the script had not run either and the migration
     * is simply pending. One fsync less per migration.
     */
    public void started(String id, String migrationName, String checksum, Instant at) throws SQLException {
        String insert = "INSERT INTO " + table + " (id, checksum, started_at, migration_name) VALUES (?, ?, ?, ?)";
        Binding values = s -> {
            s.setString(1, id);
            s.setString(2, checksum);
            timestamps.bind(s, 3, at);
            s.setString(4, migrationName);
        };
        if (layout.relaxedCommit() == null) {
            update(insert, values);
            return;
        }
        inTransaction(() -> {
            update(layout.relaxedCommit(), s -> { });
            update(insert, values);
        });
    }

    /** record_successful_step (applied_steps_count + 1) and record_migration_finished (finished_at), in one statement where Prisma sends two. */
    public void finished(String id, Instant at) throws SQLException {
        update("UPDATE " + table + " SET applied_steps_count = (applied_steps_count + 1), finished_at = ? WHERE id = ?", s -> {
            timestamps.bind(s, 1, at);
            s.setString(2, id);
        });
    }

    /** record_failed_step: the logs; finished_at stays NULL. */
    public void failed(String id, String logs) throws SQLException {
        update("UPDATE " + table + " SET logs = ? WHERE id = ?", s -> {
            s.setString(1, logs);
            s.setString(2, id);
        });
    }

    /**
     * Removes the started row of an attempt whose transaction the database rolled back whole (a lock
     * timeout): it records nothing that happened. Prisma never needs this: it has no lock timeout.
     */
    public void abandoned(String id) throws SQLException {
        update("DELETE FROM " + table + " WHERE id = ? AND finished_at IS NULL AND logs IS NULL", s -> s.setString(1, id));
    }

    /**
     * What Prisma counts before it adopts a database without {@code _prisma_migrations} (its
     * migration persistence's initialize): the tables the dialect lists for the URL's schema. None
     * when {@code _prisma_migrations} is among them, or nothing else is. The tables of
     * {@code tables.external} are not counted, as the engine filters them out of that list.
     */
    public UnmanagedTables unmanagedTables() throws SQLException {
        return unmanagedTables(ExternalTables.NONE);
    }

    public UnmanagedTables unmanagedTables(ExternalTables external) throws SQLException {
        var seen = new Object() {
            int count;
            boolean managed;
            final List<String> first = new ArrayList<>();
        };
        dialect.tableNames(connection, name -> {
            if (name.equals("_prisma_migrations")) {
                seen.managed = true;
                return false;
            }
            if (external.isExternal(dialect.namespace(), name)) {
                return true;
            }
            seen.count++;
            if (seen.first.size() < UnmanagedTables.SHOWN) {
                seen.first.add(name);
            }
            return true;
        });
        return seen.managed ? new UnmanagedTables(0, List.of()) : new UnmanagedTables(seen.count, seen.first);
    }
}
