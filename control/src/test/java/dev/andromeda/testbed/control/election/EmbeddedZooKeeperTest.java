package dev.andromeda.testbed.control.election;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedZooKeeperTest {

    private static Set<String> zooKeeperThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.contains("NIOServerCxn") || n.contains("SyncThread") || n.contains("SessionTracker")
                        || n.contains("ProcessThread") || n.contains("NIOWorker") || n.contains("ConnnectionExpirer")
                        || n.contains("ConnectionExpirer"))
                .collect(Collectors.toSet());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void startsOnLoopbackInUnderTwoSecondsServesClientsAndClosesCleaningUpItsThreads(@TempDir Path dir)
            throws Exception {
        long t0 = System.nanoTime();
        int port;
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"))) {
            long startMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("embedded ZooKeeper started in %d ms at %s%n", startMs, zk.connectString());
            assertThat(startMs).isLessThan(2_000);
            assertThat(zk.connectString()).startsWith("127.0.0.1:");
            port = zk.port();
            assertThat(accepts(port)).isTrue();

            try (CuratorFramework c = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST)) {
                c.create().creatingParentsIfNeeded().forPath("/andromeda/probe", "hi".getBytes(StandardCharsets.UTF_8));
                assertThat(new String(c.getData().forPath("/andromeda/probe"), StandardCharsets.UTF_8)).isEqualTo("hi");
            }
            assertThat(zk.baseDir()).isEqualTo(dir.resolve("zk").toAbsolutePath());
        }
        assertThat(accepts(port)).as("port refuses after close").isFalse();
        assertThat(dir.resolve("zk/data/version-2")).isDirectory();
        try (var files = Files.list(dir.resolve("zk/data/version-2"))) {
            assertThat(files.count()).as("transaction log / snapshot kept for inspection").isPositive();
        }
        Await.until(Duration.ofSeconds(5), "ZooKeeper server threads to end, left: " + zooKeeperThreads(),
                () -> zooKeeperThreads().isEmpty());
    }

    @Test
    void closingTwiceIsHarmless(@TempDir Path dir) {
        EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir);
        zk.close();
        zk.close();
    }

    @Test
    void theEndpointIsEmbeddedByDefaultAndExternalWhenAConnectStringIsGiven(@TempDir Path dir) {
        try (ZooKeeperEndpoint e = ZooKeeperEndpoint.of(null, dir)) {
            assertThat(e.embedded()).isTrue();
            assertThat(e.connectString()).startsWith("127.0.0.1:");
        }
        try (ZooKeeperEndpoint e = ZooKeeperEndpoint.of("zk1:2181,zk2:2181", dir)) {
            assertThat(e.embedded()).isFalse();
            assertThat(e.connectString()).isEqualTo("zk1:2181,zk2:2181");
        }
        assertThatThrownBy(() -> ZooKeeperEndpoint.external(" ")).isInstanceOf(IllegalArgumentException.class);
    }
}
