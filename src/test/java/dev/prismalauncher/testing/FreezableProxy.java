package dev.prismalauncher.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 to a real database that can be frozen: from then on nothing is relayed
 * in either direction and nothing is closed, as when a failover or a NAT silently drops the flow.
 * Connections accepted while frozen are held open and never reach the server.
 */
public final class FreezableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean frozen;
    private volatile boolean watchAll;
    private volatile String marker;
    private volatile int markerOccurrence;
    private final AtomicInteger markerSeen = new AtomicInteger();

    public FreezableProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread.ofPlatform().daemon().start(this::acceptLoop);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops relaying now, on every connection. */
    public void freeze() {
        frozen = true;
    }

    public boolean frozen() {
        return frozen;
    }

    /**
     * Freezes the moment the first connection (the launcher's) sends the text for the n-th time
     * (SQL travels as text; TLS off): that request never reaches the server.
     */
    public void freezeOn(String text, int occurrence) {
        this.markerOccurrence = occurrence;
        this.marker = text;
    }

    /** As {@link #freezeOn}, watching every connection (the trial's own, opened after the launcher's). */
    public void freezeOnAnyConnection(String text, int occurrence) {
        this.watchAll = true;
        freezeOn(text, occurrence);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                boolean first = accepted.incrementAndGet() == 1;
                if (frozen) {
                    continue; // held open, never answered
                }
                Socket upstream = new Socket(targetHost, targetPort);
                sockets.add(upstream);
                relay(client, upstream, first, true);
                relay(upstream, client, false, false);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void relay(Socket from, Socket to, boolean watch, boolean fromClient) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    String m = marker;
                    if ((watch || watchAll && fromClient) && m != null && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains(m)
                            && markerSeen.incrementAndGet() == markerOccurrence) {
                        frozen = true;
                    }
                    if (frozen) {
                        return; // keep the sockets open, relay nothing more
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
                if (!frozen) {
                    from.close(); // one side closed: so does the other, as a direct connection would
                    to.close();
                }
            } catch (IOException e) {
                // either side closed
            }
        });
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
