package dev.andromeda.testbed.control.migration;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.control.vmc.VmcNode;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.andromeda.testbed.control.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Live migration under traffic, driven through the real control plane: a VM
 * receiving a steady stream moves from host B to host C; B hairpins during the
 * blackout while the elected VM controller reprograms every host over gRPC;
 * not one packet is lost or duplicated, and the blackout is measured.
 */
@Timeout(90)
class LiveMigrationUnderTrafficTest {
    static final int VNI = 100;
    static final int NET = 0x0A000000;
    static final List<FirewallRule> ALLOW = List.of(new FirewallRule(FirewallRule.ANY, NET, 24, 0, 65535, false));
    static final int[] IP = {0xC0A80001, 0xC0A80002, 0xC0A80003};
    static final long[] MAC = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL, 0x02_00_00_00_00_0CL};


    @Test
    void aVmMovesUnderTrafficWithNothingLost(@TempDir Path dir) throws Exception {
        NetworkState.Builder sb = NetworkState.builder();
        for (int h = 0; h < 3; h++) {
            sb.host(new dev.andromeda.testbed.control.model.Host(h + 1, IP[h], MAC[h]));
        }
        NetworkState s = sb.network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
                .vm(new Vm(1, VNI, NET + 1, 0x0A01L, 1), ALLOW)   // the sender, on A
                .vm(new Vm(2, VNI, NET + 2, 0x0A02L, 2), ALLOW)   // the one that moves, B -> C
                .vm(new Vm(3, VNI, NET + 3, 0x0A03L, 3), ALLOW)   // on C: B's table knows C through it
                .build();
        ConsistentHashRing ring = ConsistentHashRing.of(1);
        int partition = ring.partitions().first();
        Random r = new Random(2018);
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             CuratorFramework observer = PartitionElection.newClient(zk.connectString(),
                     PartitionElection.Timeouts.FAST);
             MemorySwitch wire = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host b = new Host("b", IP[1], MAC[1], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host c = new Host("c", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             VmcNode vmc = VmcNode.start("vmc", zk.connectString(), partition, ring, new PreProgrammedModel())) {
            List<Host> hosts = List.of(a, b, c);
            for (int h = 0; h < 3; h++) {
                hosts.get(h).connect(wire.attach(IP[h]));
            }
            vmc.setState(s);
            await("master address", () -> VmcNode.masterOf(observer, partition) != null);
            List<HostAgent> agents = new ArrayList<>();
            List<HostAgentClient> clients = new ArrayList<>();
            for (int h = 0; h < 3; h++) {
                HostAgent g = new HostAgent(hosts.get(h), dir.resolve("h" + h));
                agents.add(g);
                clients.add(new HostAgentClient(g, VmcNode.hostName(h + 1), VmcNode.masterOf(observer, partition),
                        Duration.ofMillis(20), Duration.ofMillis(200)).start());
            }
            try {
                await("hosts programmed", () -> agents.stream().allMatch(g -> g.runningVersion() == s.version()));
                VirtioNic sender = a.addVm(new VmPort(s.port(1), VNI, NET + 1, 0x0A01L));
                VirtioNic onB = b.addVm(new VmPort(s.port(2), VNI, NET + 2, 0x0A02L));
                c.addVm(new VmPort(s.port(3), VNI, NET + 3, 0x0A03L));

                List<byte[]> sent = new ArrayList<>();
                List<byte[]> got = new ArrayList<>();
                VirtioNic[] onC = {null};
                long[] lastOnB = {0};
                long[] firstOnC = {0};
                Runnable turn = () -> {
                    byte[] f = TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 100 + r.nextInt(900));
                    int[] cs = TwoHosts.csumRequest(false);
                    assertThat(sender.send(f, cs[0], cs[1])).isTrue();
                    sent.add(TwoHosts.completed(f, false));
                    for (Host h : hosts) {
                        h.doWork();
                    }
                    for (VirtioNic.Received x; (x = onB.receive()) != null; ) {
                        got.add(x.frame());
                        lastOnB[0] = System.nanoTime();
                    }
                    if (onC[0] != null) {
                        for (VirtioNic.Received x; (x = onC[0].receive()) != null; ) {
                            got.add(x.frame());
                            firstOnC[0] = firstOnC[0] == 0 ? System.nanoTime() : firstOnC[0];
                        }
                    }
                };
                for (int i = 0; i < 100; i++) {
                    turn.run();
                }
                LiveMigration.Result m = LiveMigration.migrate(vmc, s, 2, b, c, 3, agents, () -> {
                    if (onC[0] == null) {
                        onC[0] = c.vms().stream().filter(n -> n.port().ip() == NET + 2).findFirst().orElseThrow();
                    }
                    turn.run();
                }, 20_000_000_000L);
                onC[0] = m.nic();
                for (int i = 0; i < 100; i++) {
                    turn.run();
                }
                for (int i = 0; i < 5; i++) { // the last frames arrive; nothing more is sent
                    for (Host h : hosts) {
                        h.doWork();
                    }
                    for (VirtioNic.Received x; (x = m.nic().receive()) != null; ) {
                        got.add(x.frame());
                    }
                }
                assertThat(got).as("%s / %s / %s", a, b, c).hasSize(sent.size());
                for (int i = 0; i < sent.size(); i++) {
                    assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
                }
                assertThat(m.hairpinned()).as("B hairpinned during the blackout").isPositive();
                assertThat(a.counters().droppedTotal() + b.counters().droppedTotal() + c.counters().droppedTotal())
                        .isZero();
                assertThat(agents).allMatch(g -> g.runningVersion() == vmc.programVersion());
                System.out.printf("live migration via the VMC: blackout (last on B to first on C) %.1f us, "
                                + "hairpin for %.1f ms (%d packets) while %d hosts were reprogrammed%n",
                        (firstOnC[0] - lastOnB[0]) / 1e3, m.hairpinNs() / 1e6, m.hairpinned(), agents.size());
            } finally {
                clients.forEach(HostAgentClient::close);
            }
        }
    }
}
