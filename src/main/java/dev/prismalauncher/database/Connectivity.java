package dev.prismalauncher.database;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** What a driver exception's cause chain says about the network, the same for every driver. */
final class Connectivity {

    /** Refused, no route, not resolvable (yet: DNS in a starting cluster), timed out. */
    static boolean causedByNetwork(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** TLS refused or a certificate rejected: waiting will not change it. */
    static boolean causedByTls(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        String message = e.getMessage();
        // PostgreSQL's "The server does not support SSL", Connector/J's "SSL Connection required, but not provided by server"
        return message != null && (message.contains("does not support SSL") || message.contains("SSL Connection required"));
    }

    private Connectivity() {}
}
