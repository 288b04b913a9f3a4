package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.FreezableTcpProxy;
import dev.andromeda.testbed.control.election.PartitionElection;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A host process whose ZooKeeper hangs -- connected, but answering nothing, as a server stuck in a
 * long GC or cut off by a silent network would look -- keeps forwarding: its ZooKeeper reads (the
 * desired state, the peers, the VMs plugged in elsewhere) run on its control thread, not on the
 * dataplane's. Three hosts of the built-in scenario (two VM hosts and the hoverboard) run in this
 * JVM and reach ZooKeeper through a proxy that is frozen; the controller reaches it directly and
 * keeps its mastership. The hosts' sessions are long (30 s), so for the whole test their clients
 * still believe they are connected and would block in every call.
 */
@Timeout(120)
class HostZooKeeperHangTest {
    private static final PartitionElection.Timeouts HOST_TIMEOUTS =
            new PartitionElection.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(3));

    @Test
    void hostsKeepForwardingWhileTheirZooKeeperHangs(@TempDir Path dir) throws Exception {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/scenarios/default.yaml")) {
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        CountDownLatch stop = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<AutoCloseable> open = new ArrayList<>();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"))) {
            FreezableTcpProxy proxy = new FreezableTcpProxy(zk.port());
            try (CuratorFramework c = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST)) {
                assertThat(ClusterZk.compareAndSet(c, null, new DesiredState(1, yaml, Map.of()))).isTrue();
            }
            VmcCommand.VmcProcess vmc = new VmcCommand.VmcProcess(new Log("vmc-1"), zk.connectString(), "vmc-1", 1,
                    new InetSocketAddress("127.0.0.1", 0), "127.0.0.1", PartitionElection.Timeouts.FAST);
            open.add(vmc);
            threads.add(Thread.ofPlatform().name("vmc-1").start(() -> run(vmc::run, stop)));
            List<HostCommand.HostProcess> hosts = new ArrayList<>();
            for (int id = 1; id <= 3; id++) {
                String name = "host-" + id;
                HostCommand.HostProcess p = new HostCommand.HostProcess(new Log(name), proxy.connectString(), name, id,
                        dir.resolve(name), new InetSocketAddress("127.0.0.1", 0), "127.0.0.1", 1, id == 3,
                        HOST_TIMEOUTS);
                p.bind();
                HttpEndpoint http = HttpEndpoint.start(new InetSocketAddress("127.0.0.1", 0), p::health, p::metrics,
                        p.routes());
                p.http = http.address();
                open.add(http);
                open.add(p);
                hosts.add(p);
                threads.add(Thread.ofPlatform().name(name).start(() -> run(p::run, stop)));
            }
            // Closed before the hosts: a client closing its session through a frozen proxy waits for the answer.
            open.add(proxy);

            ClusterRun.await("the hosts to know each other and run the controller's program", Duration.ofSeconds(60),
                    () -> hosts.stream().allMatch(h -> h.traffic() != null && h.agent() != null
                            && h.agent().runningVersion() >= 1 && h.agent().runningVersion() == vmc.programVersion()
                            && h.peersSeen().equals("host-1 host-2 host-3")));
            for (HostCommand.HostProcess h : hosts) {
                h.traffic().schedule(0, -1, -1);
            }
            ClusterRun.await("round 0 delivered, ZooKeeper answering", Duration.ofSeconds(60),
                    () -> delivered(hosts, 0) == expected(hosts, 0));

            proxy.freeze();
            // The dataplane loop used to ask ZooKeeper every 200 ms: by now it would be inside a call
            // that does not return before the 20 s read timeout of a 30 s session.
            Thread.sleep(1_000);
            for (int round = 1; round <= 3; round++) {
                for (HostCommand.HostProcess h : hosts) {
                    h.traffic().schedule(round, -1, -1);
                }
                int r = round;
                ClusterRun.await("round " + r + " delivered while ZooKeeper hangs (" + delivered(hosts, r) + " of "
                        + expected(hosts, r) + ")", Duration.ofSeconds(10),
                        () -> delivered(hosts, r) == expected(hosts, r));
            }
            assertThat(expected(hosts, 3)).isEqualTo(3000);
            for (HostCommand.HostProcess h : hosts) {
                assertThat(h.traffic().received(3)).contains("\"duplicates\":0", "\"misdelivered\":0",
                        "\"mismatches\":0");
            }
        } finally {
            stop.countDown();
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
            for (Thread t : threads) {
                t.join(10_000);
                assertThat(t.isAlive()).as("%s stopped", t.getName()).isFalse();
            }
        }
    }

    private interface Body {
        void run(CountDownLatch stop) throws Exception;
    }

    private static void run(Body b, CountDownLatch stop) {
        try {
            b.run(stop);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long delivered(List<HostCommand.HostProcess> hosts, int round) {
        return hosts.stream().mapToLong(h -> ClusterRun.field(h.traffic().received(round), "delivered")).sum();
    }

    private static long expected(List<HostCommand.HostProcess> hosts, int round) {
        return hosts.stream().mapToLong(h -> ClusterRun.field(h.traffic().received(round), "expected")).sum();
    }
}
