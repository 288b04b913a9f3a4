package dev.andromeda.testbed.control.host;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.OnDemandModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.fastpath.dataplane.Drop;
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

import static dev.andromeda.testbed.control.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * On-demand programming over the wire: a host starts with no flows; a VM's
 * first packet misses, is dropped and counted, and the miss travels on the
 * host's programming stream to the elected VM controller, which resolves it
 * (rate-limited per tenant), programs the flow and sends the host a newer
 * program; the flow's next packet is delivered. A second tenant-wide miss
 * over the rate is refused and counted at the controller.
 */
@Timeout(60)
class OnDemandOverTheWireTest {
    static final int VNI = 100;
    static final int NET = 0x0A000000;
    static final List<FirewallRule> ALLOW = List.of(new FirewallRule(FirewallRule.ANY, NET, 24, 0, 65535, false));


    @Test
    void aMissReachesTheControllerWhichProgramsTheFlow(@TempDir Path dir) throws Exception {
        NetworkState s = NetworkState.builder()
                .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
                .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
                .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
                .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
                .vm(new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW)
                .build();
        // One miss of burst per tenant, then one every 1,000 s: the second flow's miss is refused.
        OnDemandModel onDemand = new OnDemandModel(0.001, 1, System::nanoTime);
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(),
                     PartitionElection.Timeouts.FAST);
             MemoryLink link = new MemoryLink(256, 16384);
             Host h1 = new Host("h1", TwoHosts.A_IP, TwoHosts.A_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults());
             Host h2 = new Host("h2", TwoHosts.B_IP, TwoHosts.B_MAC, 512, 4096, StageMix.software(),
                     OffloadOptions.defaults());
             VmcNode vmc = VmcNode.start("vmc", zk.connectString(), partition, ring, onDemand)) {
            h1.connect(link.a());
            h2.connect(link.b());
            vmc.setState(s);
            await("master address", () -> VmcNode.masterOf(observer, partition) != null);
            InetSocketAddress master = VmcNode.masterOf(observer, partition);
            HostAgent g1 = new HostAgent(h1, dir.resolve("h1"));
            HostAgent g2 = new HostAgent(h2, dir.resolve("h2"));
            try (HostAgentClient c1 = new HostAgentClient(g1, VmcNode.hostName(1), master, Duration.ofMillis(20),
                    Duration.ofMillis(200)).start();
                 HostAgentClient c2 = new HostAgentClient(g2, VmcNode.hostName(2), master, Duration.ofMillis(20),
                         Duration.ofMillis(200)).start()) {
                await("hosts programmed", () -> g1.runningVersion() == vmc.programVersion()
                        && g2.runningVersion() == vmc.programVersion());
                long before = g1.runningVersion();
                MissReporter misses = new MissReporter(c1, System::nanoTime, 50_000_000L);
                h1.onFlowMiss(misses);
                VirtioNic v1 = h1.addVm(new VmPort(s.port(10), VNI, NET + 1, 0x0A01L));
                VirtioNic v2 = h2.addVm(new VmPort(s.port(20), VNI, NET + 2, 0x0A02L));
                Random r = new Random(5);

                v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 100));
                v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 100)); // same flow: one report
                h1.doWork();
                assertThat(h1.counters().drops(Drop.FLOW_MISS)).isEqualTo(2);
                assertThat(misses.reported()).isEqualTo(1);
                assertThat(misses.suppressed()).isEqualTo(1);
                await("the controller programs the flow", () -> g1.runningVersion() > before);
                v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, true, 200));
                h1.doWork();
                h2.doWork();
                assertThat(TwoHosts.drain(v2)).as("%s / %s", h1, h2).hasSize(1);
                assertThat(vmc.controller().misses(VmcNode.hostName(1))).isEqualTo(1);

                // A second flow of the tenant, over its rate: refused at the controller, counted.
                long programmed = g1.runningVersion();
                v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 3, false, 100));
                h1.doWork();
                await("the controller hears the miss", () -> vmc.controller().misses(VmcNode.hostName(1)) == 2);
                await("and refuses it", () -> onDemand.rateLimited() == 1);
                assertThat(g1.runningVersion()).isEqualTo(programmed);
            }
        }
    }
}
