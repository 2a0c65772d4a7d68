package dev.prismalauncher.database;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * What a driver's exception means, decided in one place: each dialect reads its own codes into one
 * of these (after HikariCP's single broken-connection test), and {@link Database} maps them to exit
 * codes. The same codes mean different things while connecting and in a live session (a timeout
 * while connecting is worth waiting out; in a session it is a partition), so the dialect is told
 * which it was: {@link Stage}.
 */
public enum Failure {
    /** The URL's database does not exist yet: deploy creates it. */
    MISSING_DATABASE,
    /** {@code _prisma_migrations}, or the schema it lives in, does not exist yet. */
    MISSING_TABLE,
    /** Connecting: refused, not resolvable yet, starting up, too many connections; waiting may cure it. */
    TRANSIENT,
    /** In a session: no reply within socket_timeout (a partition, a NAT that dropped the flow). */
    NO_REPLY,
    /** In a session: the server or the network ended the connection (a restart, a failover, a killed session). */
    SESSION_ENDED,
    /** The thing being created is there already: another replica won the race, or it existed all along. */
    ALREADY_EXISTS,
    /** A maintenance database that is absent or closed to this user: creation tries the next, as Prisma does. */
    UNAVAILABLE,
    /** Anything else: authentication, TLS, a statement the database refused. */
    OTHER;

    /** Whether a failure ended an attempt to connect (there is no session yet) or a statement in a session. */
    public enum Stage { CONNECTING, SESSION }

    /** The session is gone, whichever way: nothing it held (a transaction, its locks) outlives it. */
    public boolean sessionLost() {
        return this == NO_REPLY || this == SESSION_ENDED;
    }

    /**
     * A failure in a session that is not one of the database's own answers: no reply in time, or a
     * connection the server (by its own codes: {@code ended}) or the network ended; otherwise OTHER.
     */
    static Failure inSession(Throwable e, boolean ended) {
        if (timedOut(e)) {
            return NO_REPLY;
        }
        return ended || causedByNetwork(e) ? SESSION_ENDED : OTHER;
    }

    /** Refused, no route, not resolvable (yet: DNS in a starting cluster), timed out. */
    static boolean causedByNetwork(Throwable e) {
        return causedBy(e, ConnectException.class, UnknownHostException.class, NoRouteToHostException.class, SocketTimeoutException.class);
    }

    /** TLS refused or a certificate rejected: waiting will not change it. */
    static boolean causedByTls(Throwable e) {
        String message = e.getMessage();
        // PostgreSQL's "The server does not support SSL", Connector/J's "SSL Connection required, but not provided by server"
        return causedBy(e, SSLException.class)
                || message != null && (message.contains("does not support SSL") || message.contains("SSL Connection required"));
    }

    /** No reply within the socket timeout (a partition), as opposed to a connection the server ended. */
    private static boolean timedOut(Throwable e) {
        return causedBy(e, SocketTimeoutException.class);
    }

    private static boolean causedBy(Throwable e, Class<?>... kinds) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (Class<?> kind : kinds) {
                if (kind.isInstance(t)) {
                    return true;
                }
            }
        }
        return false;
    }
}
