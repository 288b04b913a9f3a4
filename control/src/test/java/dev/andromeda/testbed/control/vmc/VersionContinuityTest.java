package dev.andromeda.testbed.control.vmc;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.host.MissReporter;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.ALLOW;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.NET;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.VNI;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Program versions across failover: the master programs a host past the desired
 * state's version (an on-demand miss it resolved); it dies; the standby, whose
 * own version is the state's, hears from the host that it runs a newer one and
 * continues above it -- the host accepts the new master's program instead of
 * rejecting it as stale, and the flow the new master does not know is resolved
 * again on the next miss.
 */
@Timeout(90)
class VersionContinuityTest {

    @Test
    void aNewMasterContinuesAboveTheVersionsTheOldOneReached(@TempDir Path dir) throws Exception {
        NetworkState s = NetworkState.builder()
                .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
                .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
                .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
                .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
                .build();
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(),
                     PartitionElection.Timeouts.FAST);
             MemoryLink link = new MemoryLink(256, 16384);
             Host h1 = new Host("h1", TwoHosts.A_IP, TwoHosts.A_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults());
             Host h2 = new Host("h2", TwoHosts.B_IP, TwoHosts.B_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults())) {
            h1.connect(link.a());
            h2.connect(link.b());
            VmcNode a = VmcNode.start("vmc-a", zk.connectString(), partition, ring,
                    new OnDemandModel(1000, 100, System::nanoTime));
            VmcNode b = VmcNode.start("vmc-b", zk.connectString(), partition, ring,
                    new OnDemandModel(1000, 100, System::nanoTime));
            try {
                a.setState(s);
                b.setState(s);
                await("a master", () -> a.isMaster() || b.isMaster());
                VmcNode master = a.isMaster() ? a : b;
                VmcNode standby = master == a ? b : a;
                await("master address", () -> VmcNode.masterOf(observer, partition) != null);
                HostAgent g1 = new HostAgent(h1, dir.resolve("h1"));
                HostAgent g2 = new HostAgent(h2, dir.resolve("h2"));
                try (HostAgentClient c1 = new HostAgentClient(g1, VmcNode.hostName(1),
                        VmcNode.masterOf(observer, partition), Duration.ofMillis(20), Duration.ofMillis(200)).start();
                     HostAgentClient c2 = new HostAgentClient(g2, VmcNode.hostName(2),
                             VmcNode.masterOf(observer, partition), Duration.ofMillis(20), Duration.ofMillis(200))
                             .start();
                     MasterFollower follower = MasterFollower.follow(zk.connectString(), partition, List.of(c1, c2),
                             50)) {
                    await("hosts at the state's version", () -> g1.runningVersion() == s.version());
                    h1.onFlowMiss(new MissReporter(c1, System::nanoTime, 50_000_000L));
                    VirtioNic v1 = h1.addVm(new VmPort(s.port(10), VNI, NET + 1, 0x0A01L));
                    VirtioNic v2 = h2.addVm(new VmPort(s.port(20), VNI, NET + 2, 0x0A02L));
                    Random r = new Random(8);
                    v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 50));
                    h1.doWork();
                    await("the master resolves the miss", () -> g1.runningVersion() > s.version());
                    long reached = g1.runningVersion();

                    master.close();
                    await("standby elected", standby::isMaster);
                    await("the new master continues above " + reached,
                            () -> standby.programVersion() > reached
                                    && g1.runningVersion() == standby.programVersion()
                                    && g2.runningVersion() == standby.programVersion());
                    assertThat(g1.epoch()).isEqualTo(standby.epoch());
                    assertThat(standby.controller().lastReject(VmcNode.hostName(1))).isEmpty();

                    // The new master did not know the resolved flow: the next packet misses and is resolved again.
                    v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 50));
                    h1.doWork();
                    long before = g1.runningVersion();
                    await("resolved again", () -> g1.runningVersion() > before);
                    v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, true, 80));
                    h1.doWork();
                    h2.doWork();
                    assertThat(TwoHosts.drain(v2)).hasSize(1);
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /**
     * Two masters' equal version numbers with different content: the old master programmed a
     * host to version v (the state plus a resolved flow) and died before sending the next state;
     * the standby numbers that next state v too. The host's hello carries its program's digest,
     * the standby sees the content differs and continues above v.
     */
    @Test
    void theSameVersionWithOtherContentIsNotMistakenForConverged(@TempDir Path dir) throws Exception {
        NetworkState s1 = NetworkState.builder()
                .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
                .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
                .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
                .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
                .build();
        NetworkState s2 = s1.apply(new dev.andromeda.testbed.control.model.NetworkChange.AddVm(
                new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW));
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(),
                     PartitionElection.Timeouts.FAST);
             MemoryLink link = new MemoryLink(256, 16384);
             Host h1 = new Host("h1", TwoHosts.A_IP, TwoHosts.A_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults());
             Host h2 = new Host("h2", TwoHosts.B_IP, TwoHosts.B_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults())) {
            h1.connect(link.a());
            h2.connect(link.b());
            VmcNode a = VmcNode.start("vmc-a", zk.connectString(), partition, ring,
                    new OnDemandModel(1000, 100, System::nanoTime));
            VmcNode b = VmcNode.start("vmc-b", zk.connectString(), partition, ring,
                    new OnDemandModel(1000, 100, System::nanoTime));
            try {
                a.setState(s1);
                b.setState(s1);
                await("a master", () -> a.isMaster() || b.isMaster());
                VmcNode master = a.isMaster() ? a : b;
                VmcNode standby = master == a ? b : a;
                await("master address", () -> VmcNode.masterOf(observer, partition) != null);
                HostAgent g1 = new HostAgent(h1, dir.resolve("h1"));
                try (HostAgentClient c1 = new HostAgentClient(g1, VmcNode.hostName(1),
                        VmcNode.masterOf(observer, partition), Duration.ofMillis(20), Duration.ofMillis(200)).start();
                     MasterFollower follower = MasterFollower.follow(zk.connectString(), partition, List.of(c1),
                             50)) {
                    await("h1 at the state's version", () -> g1.runningVersion() == s1.version());
                    h1.onFlowMiss(new MissReporter(c1, System::nanoTime, 50_000_000L));
                    VirtioNic v1 = h1.addVm(new VmPort(s1.port(10), VNI, NET + 1, 0x0A01L));
                    v1.send(TwoHosts.guestFrame(new Random(4), NET + 1, NET + 2, false, 50));
                    h1.doWork();
                    await("the master resolves the miss", () -> g1.runningVersion() == s1.version() + 1);

                    standby.setState(s2);       // the standby numbers s2 as version s1 + 1 too ...
                    assertThat(standby.programVersion()).isEqualTo(g1.runningVersion());
                    master.close();             // ... and the master dies before it sends s2
                    await("standby elected", standby::isMaster);
                    await("h1 runs the new master's program, above the old one's",
                            () -> g1.runningVersion() == standby.programVersion()
                                    && standby.programVersion() > s1.version() + 1);
                    // The host runs the new master's content: the old master's resolved flow is not in it
                    // (the new master has resolved nothing yet).
                    assertThat(g1.program().flows()).noneMatch(f -> f.dst() == NET + 2);
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }
}
