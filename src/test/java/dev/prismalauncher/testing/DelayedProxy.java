package dev.prismalauncher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP port on 127.0.0.1 that refuses connections (nothing listens) until {@link #open}, then
 * forwards to a real database: "the database comes up later", with the real server behind it.
 */
public final class DelayedProxy implements AutoCloseable {
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private volatile ServerSocket server;

    public DelayedProxy(String targetHost, int targetPort) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public int port() {
        return port;
    }

    public void open() throws IOException {
        ServerSocket s = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        server = s;
        Thread.ofPlatform().daemon().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(targetHost, targetPort);
                    copy(client.getInputStream(), upstream.getOutputStream(), client, upstream);
                    copy(upstream.getInputStream(), client.getOutputStream(), client, upstream);
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    private static void copy(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread.ofPlatform().daemon().start(() -> {
            try (a; b) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side closed
            }
        });
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }
}
