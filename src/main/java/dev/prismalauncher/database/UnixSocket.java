package dev.prismalauncher.database;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * A {@link Socket} over a Unix-domain socket, for drivers that only take a socket factory: the
 * JDK's {@code SocketChannel} has Unix-domain support but no {@code Socket} view. The TCP address a
 * driver connects to is ignored; reads and writes honour {@link #setSoTimeout}, as on TCP, so a
 * server that stops answering is noticed here too.
 */
final class UnixSocket extends Socket {
    private final Path path;
    private SocketChannel channel;
    private Selector readable;
    private Selector writable;
    private volatile int timeoutMillis;
    private volatile boolean closed;

    UnixSocket(Path path) {
        this.path = path;
    }

    @Override
    public void connect(SocketAddress ignored) throws IOException {
        connect(ignored, 0);
    }

    @Override
    public synchronized void connect(SocketAddress ignored, int timeout) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            c.connect(UnixDomainSocketAddress.of(path)); // local: succeeds or fails at once
            c.configureBlocking(false);
            readable = Selector.open();
            writable = Selector.open();
            c.register(readable, SelectionKey.OP_READ);
            c.register(writable, SelectionKey.OP_WRITE);
        } catch (IOException e) {
            c.close();
            throw new SocketException("cannot connect to the Unix socket " + path + ": " + e.getMessage(), e);
        }
        channel = c;
    }

    private void await(Selector selector, String what) throws IOException {
        int timeout = timeoutMillis;
        int ready = timeout > 0 ? selector.select(timeout) : selector.select();
        if (closed) {
            throw new SocketException("Socket closed");
        }
        if (ready == 0 && timeout > 0) {
            throw new SocketTimeoutException(what + " timed out");
        }
        selector.selectedKeys().clear();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        requireConnected();
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (true) {
                    int n = channel.read(buffer);
                    if (n != 0) {
                        return n;
                    }
                    await(readable, "Read");
                }
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        requireConnected();
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    if (channel.write(buffer) == 0) {
                        await(writable, "Write");
                    }
                }
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        };
    }

    private void requireConnected() throws SocketException {
        if (channel == null || closed) {
            throw new SocketException(closed ? "Socket closed" : "Socket is not connected");
        }
    }

    @Override
    public void setSoTimeout(int timeout) {
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    // TCP options: meaningless on a Unix socket, accepted so drivers can set them as they always do.
    @Override
    public void setTcpNoDelay(boolean on) {}

    @Override
    public boolean getTcpNoDelay() {
        return true;
    }

    @Override
    public void setKeepAlive(boolean on) {}

    @Override
    public void setSoLinger(boolean on, int linger) {}

    @Override
    public void setReceiveBufferSize(int size) {}

    @Override
    public void setSendBufferSize(int size) {}

    @Override
    public void setTrafficClass(int tc) {}

    @Override
    public boolean isConnected() {
        return channel != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isBound() {
        return channel != null;
    }

    @Override
    public void shutdownInput() throws IOException {
        requireConnected();
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        requireConnected();
        channel.shutdownOutput();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            readable.close();
            writable.close();
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "UnixSocket[" + path + "]";
    }
}
