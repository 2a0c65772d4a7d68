package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Predicate;

/** The plumbing the dialects share: prepare, bind every value, read, close. Each keeps only its SQL. */
final class Query {

    /** Reads what a query returned. */
    @FunctionalInterface
    interface Read<T> {
        T from(ResultSet rows) throws SQLException;
    }

    static <T> T read(Connection connection, String sql, Read<T> read, Object... values) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                return read.from(r);
            }
        }
    }

    /** The first column of each row, in order, to {@code each} until it returns false. */
    static void strings(Connection connection, String sql, Predicate<String> each, Object... values) throws SQLException {
        read(connection, sql, r -> {
            while (r.next() && each.test(r.getString(1))) {
                // each row is handled by the predicate
            }
            return null;
        }, values);
    }

    private Query() {}
}
