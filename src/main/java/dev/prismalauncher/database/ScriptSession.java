package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What both databases' script sessions share: the connection, whether a script is running, and the
 * order of a close (cancel first, then let the connection go). How a running statement is cancelled
 * is each database's own.
 */
abstract sealed class ScriptSession implements Scripts permits PostgresScripts, MySqlScripts {
    final Connection connection;
    volatile boolean running;

    ScriptSession(Connection connection) {
        this.connection = connection;
    }

    /** Asks the server to stop the statement running on {@link #connection}. */
    abstract void cancelRunning() throws SQLException;

    @Override
    public final void cancel() {
        if (running) {
            try {
                cancelRunning();
            } catch (SQLException e) {
                // the statement ends with the connection anyway
            }
        }
    }

    @Override
    public final void close() {
        cancel();
        try {
            connection.close();
        } catch (SQLException e) {
            // a connection we are discarding
        }
    }
}
