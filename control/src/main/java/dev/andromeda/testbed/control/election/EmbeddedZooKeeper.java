package dev.andromeda.testbed.control.election;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single-node ZooKeeper 3.9 server in this process, listening on 127.0.0.1 on a free port, with
 * its configuration and data under a directory the caller chooses (kept after close, so it can be
 * inspected). {@code tickTime} is 500 ms, so sessions may be as short as 1 s (tests use 3 s).
 *
 * <p>ZooKeeper needs an SLF4J binding, metrics-core and snappy-java on the class path; without
 * them {@code start()} only times out.
 */
public final class EmbeddedZooKeeper implements ZooKeeperEndpoint {

    /** ZooKeeper's tick; min session = 2 ticks, max session configured below. */
    public static final int TICK_MS = 500;

    private static final long START_TIMEOUT_MS = 10_000;
    private static final int PORT_ATTEMPTS = 5;

    private final ZooKeeperServerEmbedded server;
    private final Path baseDir;
    private final int port;
    private final long startNanos;
    private volatile boolean closed;

    private EmbeddedZooKeeper(ZooKeeperServerEmbedded server, Path baseDir, int port, long startNanos) {
        this.server = server;
        this.baseDir = baseDir;
        this.port = port;
        this.startNanos = startNanos;
    }

    /**
     * Starts a server with its {@code zoo.cfg} in {@code baseDir} and data in
     * {@code baseDir/data}; creates the directories if needed.
     *
     * @throws IllegalStateException if it cannot start within 10 s on any of a few free ports
     */
    public static EmbeddedZooKeeper start(Path baseDir) {
        return start(baseDir, 0);
    }

    /**
     * As {@link #start(Path)}, on client port {@code port} (0: a free one) -- to start a server again
     * where its clients look for it, e.g. after wiping its data directory (ZooKeeper losing its data).
     */
    public static EmbeddedZooKeeper start(Path baseDir, int port) {
        Path base = baseDir.toAbsolutePath();
        Path data = base.resolve("data");
        try {
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create ZooKeeper data dir " + data, e);
        }
        Exception last = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            if (attempt > 0 && port > 0) {
                try {
                    Thread.sleep(200); // the given port: its last server's socket may still be closing
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            int clientPort = port > 0 ? port : freeLoopbackPort();
            Properties cfg = new Properties();
            cfg.setProperty("clientPort", Integer.toString(clientPort));
            cfg.setProperty("clientPortAddress", "127.0.0.1");
            cfg.setProperty("dataDir", data.toString());
            cfg.setProperty("tickTime", Integer.toString(TICK_MS));
            cfg.setProperty("minSessionTimeout", Integer.toString(2 * TICK_MS));
            cfg.setProperty("maxSessionTimeout", "60000");
            cfg.setProperty("maxClientCnxns", "0");
            cfg.setProperty("maxCnxns", "4096"); // said outright, so ZooKeeper does not warn that it is unset
            cfg.setProperty("admin.enableServer", "false");
            cfg.setProperty("4lw.commands.whitelist", "ruok,srvr,stat,mntr");
            long t0 = System.nanoTime();
            ZooKeeperServerEmbedded server = null;
            try {
                server = ZooKeeperServerEmbedded.builder()
                        .baseDir(base)
                        .configuration(cfg)
                        .exitHandler(ExitHandler.LOG_ONLY)
                        .build();
                server.start(START_TIMEOUT_MS);
                return new EmbeddedZooKeeper(server, base, clientPort, t0);
            } catch (Exception e) {
                last = e; // most likely the port was taken between probe and bind: try another
                if (server != null) {
                    server.close();
                }
            }
        }
        throw new IllegalStateException("embedded ZooKeeper did not start in " + base
                + " (is an SLF4J binding, metrics-core and snappy-java on the class path?)", last);
    }

    private static int freeLoopbackPort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    @Override
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public boolean embedded() {
        return true;
    }

    /** The client port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The directory holding {@code zoo.cfg} and {@code data/}. */
    public Path baseDir() {
        return baseDir;
    }

    /** When {@link #start} began, in {@link System#nanoTime()} terms (for timing reports). */
    public long startNanos() {
        return startNanos;
    }

    /** Stops the server; idempotent. The data directory is left in place. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.close();
    }

    @Override
    public String toString() {
        return "EmbeddedZooKeeper[" + connectString() + ", dir=" + baseDir + "]";
    }
}
