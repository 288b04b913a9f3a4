package dev.andromeda.testbed.control.vmc;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.model.NetworkChange;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallRule;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two VM controllers stand for one partition on the embedded ZooKeeper; the
 * master programs both hosts over gRPC from the desired state. The master is
 * killed: the standby is elected with a higher epoch, the hosts follow the
 * published master address, nothing is applied twice, and the next change of
 * desired state reaches the hosts and their traffic.
 */
@Timeout(90)
class VmcFailoverTest {
    static final int VNI = 100;
    static final int NET = 0x0A000000;
    static final List<FirewallRule> ALLOW = List.of(new FirewallRule(FirewallRule.ANY, NET, 24, 0, 65535, false));

    static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aStandbyTakesOverAndTheHostsReconvergeWithNothingAppliedTwice(@TempDir Path dir) throws Exception {
        NetworkState s1 = NetworkState.builder()
                .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
                .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
                .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
                .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
                .build();
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
             MemoryLink link = new MemoryLink(256, 16384);
             Host h1 = new Host("h1", TwoHosts.A_IP, TwoHosts.A_MAC, 512, 4096, StageMix.software(), OffloadOptions.defaults());
             Host h2 = new Host("h2", TwoHosts.B_IP, TwoHosts.B_MAC, 512, 4096, StageMix.software(), OffloadOptions.defaults())) {
            h1.connect(link.a());
            h2.connect(link.b());
            VmcNode a = VmcNode.start("vmc-a", zk.connectString(), partition, ring, new PreProgrammedModel());
            VmcNode b = VmcNode.start("vmc-b", zk.connectString(), partition, ring, new PreProgrammedModel());
            try {
                a.setState(s1);
                b.setState(s1);
                await("a master", () -> a.isMaster() || b.isMaster());
                VmcNode master = a.isMaster() ? a : b;
                VmcNode standby = master == a ? b : a;
                await("master address", () -> VmcNode.masterOf(observer, partition) != null);
                InetSocketAddress first = VmcNode.masterOf(observer, partition);
                HostAgent g1 = new HostAgent(h1, dir.resolve("h1"));
                HostAgent g2 = new HostAgent(h2, dir.resolve("h2"));
                try (HostAgentClient c1 = new HostAgentClient(g1, VmcNode.hostName(1), first, Duration.ofMillis(20),
                        Duration.ofMillis(200)).start();
                     HostAgentClient c2 = new HostAgentClient(g2, VmcNode.hostName(2), first, Duration.ofMillis(20),
                             Duration.ofMillis(200)).start();
                     MasterFollower follower = MasterFollower.follow(zk.connectString(), partition, List.of(c1, c2),
                             50)) {
                    await("hosts at v1", () -> g1.runningVersion() == s1.version() && g2.runningVersion() == s1.version());
                    VirtioNic v1 = h1.addVm(new VmPort(s1.port(10), VNI, NET + 1, 0x0A01L));
                    VirtioNic v2 = h2.addVm(new VmPort(s1.port(20), VNI, NET + 2, 0x0A02L));
                    Random r = new Random(3);
                    v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 100));
                    h1.doWork();
                    h2.doWork();
                    assertThat(TwoHosts.drain(v2)).hasSize(1);

                    long oldEpoch = master.epoch();
                    master.close(); // the master dies
                    await("standby elected", standby::isMaster);
                    assertThat(standby.epoch()).isGreaterThan(oldEpoch);
                    await("new master address", () -> {
                        InetSocketAddress m = VmcNode.masterOf(observer, partition);
                        return m != null && !m.equals(first);
                    });
                    InetSocketAddress second = VmcNode.masterOf(observer, partition);
                    await("the hosts follow the published master", () -> second.equals(follower.current()));
                    await("the hosts report to the new master, already current", () ->
                            standby.controller().reportedVersion(VmcNode.hostName(1)) == s1.version()
                                    && standby.controller().reportedVersion(VmcNode.hostName(2)) == s1.version());
                    assertThat(standby.controller().sends(VmcNode.hostName(1))).as("nothing re-sent").isZero();
                    assertThat(g1.acks()).as("nothing applied twice").isEqualTo(1);
                    assertThat(g2.acks()).isEqualTo(1);

                    // A change after failover: a new VM on host 2 reaches the hosts and carries traffic.
                    NetworkState s2 = s1.apply(new NetworkChange.AddVm(new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW));
                    standby.setState(s2);
                    await("hosts at v2", () -> g1.runningVersion() == s2.version() && g2.runningVersion() == s2.version());
                    assertThat(g1.acks()).isEqualTo(2);
                    assertThat(g1.epoch()).isEqualTo(standby.epoch());
                    VirtioNic v3 = h2.addVm(new VmPort(s2.port(30), VNI, NET + 3, 0x0A03L));
                    v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 3, true, 300));
                    h1.doWork();
                    h2.doWork();
                    assertThat(TwoHosts.drain(v3)).as("%s / %s", h1, h2).hasSize(1);
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
