package dev.prismalauncher.database;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import javax.net.SocketFactory;

/**
 * PostgreSQL JDBC's {@code socketFactory} for {@code ?host=/dir}: the driver creates an unconnected
 * socket and connects it to the URL's host and port, which here means the socket file
 * {@code /dir/.s.PGSQL.<port>} (its {@code socketFactoryArg}).
 */
public final class PgUnixSocketFactory extends SocketFactory {
    private final Path path;

    /** Called by the driver with socketFactoryArg. */
    public PgUnixSocketFactory(String path) {
        this.path = Path.of(path);
    }

    static String socketFile(String directory, int port) {
        return Path.of(directory, ".s.PGSQL." + port).toString();
    }

    @Override
    public Socket createSocket() {
        return new UnixSocket(path);
    }

    // The connected forms (the driver asks only for an unconnected socket) connect to the file all the same.
    @Override public Socket createSocket(String host, int port) throws IOException { return connected(); }
    @Override public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException { return connected(); }
    @Override public Socket createSocket(InetAddress host, int port) throws IOException { return connected(); }
    @Override public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException { return connected(); }

    private Socket connected() throws IOException {
        Socket s = createSocket();
        s.connect(null);
        return s;
    }
}
