package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The plumbing both catalogs share, so that each keeps only its SQL: every query prepared with the
 * catalog's timeout and its values bound, and the check the session runs on a failure (a lost
 * session is exit 3, never "no evidence").
 */
abstract sealed class CatalogQueries implements Catalog permits PostgresCatalog, MySqlCatalog {
    private final Connection connection;
    private final int timeoutSeconds;
    private Consumer<SQLException> lost = e -> { };

    CatalogQueries(Connection connection, Duration queryTimeout) {
        this.connection = connection;
        this.timeoutSeconds = (int) Math.max(1, queryTimeout.toSeconds());
    }

    @Override
    public final Catalog whenLost(Consumer<SQLException> check) {
        this.lost = check;
        return this;
    }

    @Override
    public final void lost(SQLException e) {
        lost.accept(e);
    }

    final PreparedStatement prepare(String sql, String... values) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setQueryTimeout(timeoutSeconds);
        for (int i = 0; i < values.length; i++) {
            s.setString(i + 1, values[i]);
        }
        return s;
    }

    /** The first column of every row, in order. */
    final List<String> strings(String sql, String... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values); ResultSet r = s.executeQuery()) {
            List<String> out = new ArrayList<>();
            while (r.next()) {
                out.add(r.getString(1));
            }
            return out;
        }
    }

    final boolean exists(String sql, String... values) throws SQLException {
        try (PreparedStatement s = prepare(sql, values); ResultSet r = s.executeQuery()) {
            return r.next();
        }
    }
}
