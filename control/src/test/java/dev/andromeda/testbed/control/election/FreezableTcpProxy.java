package dev.andromeda.testbed.control.election;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy for tests that can be frozen: once frozen it forwards nothing more and
 * holds new connections open without serving them, so a client behind it sees a silent network
 * partition (no reset), as a hung or cut-off controller (or ZooKeeper server) would. Public for
 * testbench's host-process tests (control's test-jar).
 */
public final class FreezableTcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean closed;

    public FreezableTcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        start("proxy-accept", this::acceptLoop);
    }

    public String connectString() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public void freeze() {
        frozen = true;
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket in = server.accept();
                sockets.add(in);
                if (frozen) {
                    continue; // hold it, serve nothing
                }
                Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(out);
                start("proxy-up", () -> pump(in, out));
                start("proxy-down", () -> pump(out, in));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try (InputStream is = from.getInputStream(); OutputStream os = to.getOutputStream()) {
            int n;
            while ((n = is.read(buf)) >= 0) {
                awaitUnfrozenOrClosed();
                if (closed) {
                    return;
                }
                os.write(buf, 0, n);
                os.flush();
            }
        } catch (IOException e) {
            // closed
        } finally {
            if (!frozen) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }
    }

    private void awaitUnfrozenOrClosed() {
        synchronized (gate) {
            while (frozen && !closed) {
                try {
                    gate.wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        try {
            server.close();
        } catch (IOException ignored) {
            // nothing to do
        }
        sockets.forEach(FreezableTcpProxy::closeQuietly);
        try {
            for (Thread t : threads) {
                t.join(2_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
