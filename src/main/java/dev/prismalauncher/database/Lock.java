package dev.prismalauncher.database;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A lock the database keeps for one session, as a dialect takes it: at once or not at all. It goes
 * with the connection, so a killed launcher never leaves one held. How it is waited for is
 * {@link LockWait}'s business, the same for every lock and every database.
 */
public interface Lock {
    /** Takes it if it is free; false if another session holds it. */
    boolean tryTake(Connection connection) throws SQLException;

    void release(Connection connection) throws SQLException;

    /** Who holds it, for the log while waiting and the message past the wait; null if unknown. */
    String holder(Connection connection) throws SQLException;
}
