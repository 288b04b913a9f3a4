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
import java.util.function.BooleanSupplier;

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
    static final NetworkState S1 = NetworkState.builder()
            .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
            .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
            .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
            .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
            .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
            .build();

    /**
     * Two hosts on a link, two on-demand VMCs for one partition on an embedded ZooKeeper, both
     * given {@link #S1}; the hosts' agents follow the master and run S1; host 1 reports its misses.
     */
    static final class TwoVmcs implements AutoCloseable {
        final int partition = ConsistentHashRing.of(1).partitions().first();
        final EmbeddedZooKeeper zk;
        final CuratorFramework observer;
        final MemoryLink link = new MemoryLink(256, 16384);
        final Host h1 = new Host("h1", TwoHosts.A_IP, TwoHosts.A_MAC, 512, 4096, StageMix.software(),
                OffloadOptions.defaults());
        final Host h2 = new Host("h2", TwoHosts.B_IP, TwoHosts.B_MAC, 512, 4096, StageMix.software(),
                OffloadOptions.defaults());
        final VmcNode a;
        final VmcNode b;
        final VmcNode master;
        final VmcNode standby;
        final HostAgent g1;
        final HostAgent g2;
        final HostAgentClient c1;
        final HostAgentClient c2;
        final MasterFollower follower;

        TwoVmcs(Path dir) throws Exception {
            ConsistentHashRing ring = ConsistentHashRing.of(1);
            zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
            observer = PartitionElection.newClient(zk.connectString(), PartitionElection.Timeouts.FAST);
            h1.connect(link.a());
            h2.connect(link.b());
            a = VmcNode.start("vmc-a", zk.connectString(), partition, ring, new OnDemandModel(1000, 100, System::nanoTime));
            b = VmcNode.start("vmc-b", zk.connectString(), partition, ring, new OnDemandModel(1000, 100, System::nanoTime));
            a.setState(S1);
            b.setState(S1);
            await("a master", () -> a.isMaster() || b.isMaster());
            master = a.isMaster() ? a : b;
            standby = master == a ? b : a;
            await("master address", () -> VmcNode.masterOf(observer, partition) != null);
            g1 = new HostAgent(h1, dir.resolve("h1"));
            g2 = new HostAgent(h2, dir.resolve("h2"));
            c1 = new HostAgentClient(g1, VmcNode.hostName(1), VmcNode.masterOf(observer, partition),
                    Duration.ofMillis(20), Duration.ofMillis(200)).start();
            c2 = new HostAgentClient(g2, VmcNode.hostName(2), VmcNode.masterOf(observer, partition),
                    Duration.ofMillis(20), Duration.ofMillis(200)).start();
            follower = MasterFollower.follow(zk.connectString(), partition, List.of(c1, c2), 50);
            await("hosts at the state's version",
                    () -> g1.runningVersion() == S1.version() && g2.runningVersion() == S1.version());
            h1.onFlowMiss(new MissReporter(c1, System::nanoTime, 50_000_000L));
        }

        @Override
        public void close() throws Exception {
            follower.close();
            c1.close();
            c2.close();
            a.close();
            b.close();
            h1.close();
            h2.close();
            link.close();
            observer.close();
            zk.close();
        }
    }

    /**
     * The guest sends a packet of a flow no program has, as a guest keeps sending: one now and one
     * every 100 ms (past the reporter's 50 ms hold-off) until {@code resolved}. A miss report in
     * flight when a stream is replaced is lost by design (the dataplane does not wait for the
     * controller); the next packet reports it again.
     */
    static void missUntil(Host h, VirtioNic vm, Random r, String what, BooleanSupplier resolved)
            throws InterruptedException {
        long[] next = {0};
        await(what, () -> {
            if (resolved.getAsBoolean()) {
                return true;
            }
            long now = System.nanoTime();
            if (now >= next[0]) {
                vm.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, false, 50));
                h.doWork();
                next[0] = now + 100_000_000L;
            }
            return false;
        });
    }

    @Test
    void aNewMasterContinuesAboveTheVersionsTheOldOneReached(@TempDir Path dir) throws Exception {
        try (TwoVmcs t = new TwoVmcs(dir)) {
            VirtioNic v1 = t.h1.addVm(new VmPort(S1.port(10), VNI, NET + 1, 0x0A01L));
            VirtioNic v2 = t.h2.addVm(new VmPort(S1.port(20), VNI, NET + 2, 0x0A02L));
            Random r = new Random(8);
            missUntil(t.h1, v1, r, "the master resolves the miss", () -> t.g1.runningVersion() > S1.version());
            long reached = t.g1.runningVersion();

            t.master.close();
            await("standby elected", t.standby::isMaster);
            await("the new master continues above " + reached,
                    () -> t.standby.programVersion() > reached
                            && t.g1.runningVersion() == t.standby.programVersion()
                            && t.g2.runningVersion() == t.standby.programVersion());
            assertThat(t.g1.epoch()).isEqualTo(t.standby.epoch());
            assertThat(t.standby.controller().lastReject(VmcNode.hostName(1))).isEmpty();

            // The new master did not know the resolved flow: the next packet misses and is resolved again.
            long before = t.g1.runningVersion();
            missUntil(t.h1, v1, r, "resolved again", () -> t.g1.runningVersion() > before);
            t.h2.doWork();
            TwoHosts.drain(v2); // a probe sent as the program arrived may have got through
            v1.send(TwoHosts.guestFrame(r, NET + 1, NET + 2, true, 80));
            t.h1.doWork();
            t.h2.doWork();
            assertThat(TwoHosts.drain(v2)).hasSize(1);
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
        NetworkState s2 = S1.apply(new dev.andromeda.testbed.control.model.NetworkChange.AddVm(
                new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW));
        try (TwoVmcs t = new TwoVmcs(dir)) {
            VirtioNic v1 = t.h1.addVm(new VmPort(S1.port(10), VNI, NET + 1, 0x0A01L));
            missUntil(t.h1, v1, new Random(4), "the master resolves the miss",
                    () -> t.g1.runningVersion() == S1.version() + 1);

            t.standby.setState(s2);     // the standby numbers s2 as version S1 + 1 too ...
            assertThat(t.standby.programVersion()).isEqualTo(t.g1.runningVersion());
            t.master.close();           // ... and the master dies before it sends s2
            await("standby elected", t.standby::isMaster);
            await("h1 runs the new master's program, above the old one's",
                    () -> t.g1.runningVersion() == t.standby.programVersion()
                            && t.standby.programVersion() > S1.version() + 1);
            // The host runs the new master's content: the old master's resolved flow is not in it
            // (the new master has resolved nothing yet).
            assertThat(t.g1.program().flows()).noneMatch(f -> f.dst() == NET + 2);
        }
    }

    /**
     * ZooKeeper loses its data (the epoch counter starts again from nothing) after hosts were fenced at
     * epoch 2: the controller elected next gets epoch 1 from the counter, hears from the hosts that
     * they hold 2, takes an epoch above it, and programs them -- instead of staying elected and
     * refused by every host.
     */
    @Test
    void aMasterWhoseEpochCounterWentBackTakesOneAboveTheHosts(@TempDir Path dir) throws Exception {
        try (TwoVmcs t = new TwoVmcs(dir)) {
            t.master.close();
            await("standby elected", t.standby::isMaster);
            long held = t.standby.epoch();
            await("hosts fenced at " + held, () -> t.g1.epoch() == held && t.g2.epoch() == held);
            assertThat(held).isGreaterThanOrEqualTo(2);

            try (VmcNode c = VmcNode.start("vmc-c", t.zk.connectString(), t.partition, ConsistentHashRing.of(1),
                    new OnDemandModel(1000, 100, System::nanoTime))) {
                NetworkState s2 = S1.apply(new dev.andromeda.testbed.control.model.NetworkChange.AddVm(
                        new Vm(21, VNI, NET + 3, 0x0A03L, 2), ALLOW));
                c.setState(s2);
                t.observer.setData().forPath(PartitionElection.partitionPath(t.partition) + "/epoch", "0".getBytes());
                t.standby.close();
                await("vmc-c master above the hosts' epoch " + held + " and the hosts on its program",
                        () -> c.isMaster() && c.epoch() > held
                                && t.g1.epoch() == c.epoch() && t.g2.epoch() == c.epoch()
                                && t.g1.runningVersion() == c.programVersion()
                                && t.g2.runningVersion() == c.programVersion());
                assertThat(c.controller().deposed()).isFalse();
                assertThat(c.controller().lastReject(VmcNode.hostName(1))).isEmpty();
                assertThat(c.controller().lastReject(VmcNode.hostName(2))).isEmpty();
            }
        }
    }

    @Test
    void aDesiredStateNotNewerThanTheOneHeldIsRefused(@TempDir Path dir) throws Exception {
        try (TwoVmcs t = new TwoVmcs(dir)) {
            NetworkState s2 = S1.apply(new dev.andromeda.testbed.control.model.NetworkChange.AddVm(
                    new Vm(21, VNI, NET + 3, 0x0A03L, 2), ALLOW));
            assertThat(t.master.setState(s2)).isTrue();
            long version = t.master.programVersion();
            assertThat(t.master.setState(S1)).as("older").isFalse();
            assertThat(t.master.setState(s2)).as("the same again").isFalse();
            assertThat(t.master.programVersion()).isEqualTo(version);
            assertThat(t.master.state()).isSameAs(s2);
            await("hosts on the newer state", () -> t.g2.runningVersion() == version);
        }
    }
}
