package dev.andromeda.testbed.control.vmc;

import dev.andromeda.testbed.control.AgentFixture;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.model.NetworkChange;
import dev.andromeda.testbed.control.model.NetworkState;
import dev.andromeda.testbed.control.model.VirtualNetwork;
import dev.andromeda.testbed.control.model.Vm;
import dev.andromeda.testbed.control.partition.ConsistentHashRing;
import dev.andromeda.testbed.control.programming.PreProgrammedModel;
import dev.andromeda.testbed.control.rpc.HostAgentClient;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.ALLOW;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.NET;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.VNI;
import static dev.andromeda.testbed.control.vmc.VmcFailoverTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * ZooKeeper loses its data (stopped, its data directory wiped, started empty on the same port):
 * the partition's epoch counter starts again at 0, so the first election after it hands out epoch
 * 1 -- the very epoch the hosts were fenced at by the master before. Whoever is elected must not
 * write at it beside that master's fences: it takes an epoch above every host's floor (and above
 * its own earlier one), fences the hosts there, and programs them again.
 */
@Timeout(90)
class ZooKeeperDataLossTest {
    @TempDir
    Path dir;
    @RegisterExtension
    final AgentFixture fx = new AgentFixture(VmcNode.hostName(1));

    <T extends AutoCloseable> T track(T c) {
        return fx.track(c);
    }

    static final NetworkState S1 = NetworkState.builder()
            .host(new dev.andromeda.testbed.control.model.Host(1, TwoHosts.A_IP, TwoHosts.A_MAC))
            .host(new dev.andromeda.testbed.control.model.Host(2, TwoHosts.B_IP, TwoHosts.B_MAC))
            .network(new VirtualNetwork(VNI, new VirtualNetwork.Prefix(NET, 24)))
            .vm(new Vm(10, VNI, NET + 1, 0x0A01L, 1), ALLOW)
            .vm(new Vm(20, VNI, NET + 2, 0x0A02L, 2), ALLOW)
            .build();
    static final ConsistentHashRing RING = ConsistentHashRing.of(1);
    static final int PARTITION = RING.partitions().first();

    /** Host 1's agent, programmed by whoever masters the partition (it follows the published master). */
    HostAgent followingHost(String zk, VmcNode firstMaster) throws IOException {
        HostAgent agent = fx.agent(dir.resolve("h1"));
        HostAgentClient c = fx.client(agent, firstMaster.controller().address());
        track(MasterFollower.follow(zk, PARTITION, List.of(c), 50));
        return agent;
    }

    /** Stops the server, wipes its data directory and starts it again, empty, where its clients look. */
    EmbeddedZooKeeper loseData(EmbeddedZooKeeper zk) throws IOException {
        int port = zk.port();
        zk.close();
        try (Stream<Path> files = Files.walk(zk.baseDir().resolve("data"))) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(zk.baseDir().resolve("data"))) {
                    Files.delete(p);
                }
            }
        }
        return track(EmbeddedZooKeeper.start(zk.baseDir(), port));
    }

    @Test
    void aControllerElectedAfterTheDataLossTakesAnEpochAboveTheFloorTheOldMasterLeft() throws Exception {
        EmbeddedZooKeeper zk = track(EmbeddedZooKeeper.start(dir.resolve("zk")));
        VmcNode a = track(VmcNode.start("vmc-a", zk.connectString(), PARTITION, RING, new PreProgrammedModel()));
        a.setState(S1);
        await("vmc-a master", a::isMaster);
        assertThat(a.epoch()).isEqualTo(1);
        HostAgent host = followingHost(zk.connectString(), a);
        await("the host at v1, fenced at epoch 1", () -> host.runningVersion() == S1.version() && host.epoch() == 1);

        a.close(); // the old master is gone (dead or paused: its epoch 1 must not be written at again)
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger controllerLog = java.util.logging.Logger.getLogger(
                dev.andromeda.testbed.control.rpc.VmController.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue()) {
                    errors.add(new java.util.logging.SimpleFormatter().formatMessage(r));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        controllerLog.addHandler(handler);
        track(() -> controllerLog.removeHandler(handler));
        EmbeddedZooKeeper empty = loseData(zk);
        VmcNode b = track(VmcNode.start("vmc-b", empty.connectString(), PARTITION, RING, new PreProgrammedModel()));
        b.setState(S1);
        await("vmc-b master", b::isMaster);
        // The counter started again: vmc-b was handed epoch 1, which the host holds from vmc-a.
        await("vmc-b to go above the host's floor and fence it there (b at " + b.epoch() + ", host at "
                + host.epoch() + ")", () -> b.epoch() > 1 && host.epoch() == b.epoch() && b.controller().master());
        assertThat(host.epochOwner()).isEqualTo(b.controller().incarnation());
        assertThat(errors).as("said as an error").anySatisfy(e -> assertThat(e)
                .contains("vmc-b: host host-1 was fenced at our epoch 1 by vmc-a").contains("counter went back"));

        NetworkState s2 = S1.apply(new NetworkChange.AddVm(new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW));
        b.setState(s2);
        await("the host at v2 from vmc-b", () -> host.runningVersion() == s2.version());
        assertThat(host.acceptedHistory()).extracting(ve -> ve[1]).containsExactly(1L, b.epoch());
    }

    @Test
    void theSameControllerReElectedAfterTheDataLossTakesAnEpochAboveItsOwn() throws Exception {
        EmbeddedZooKeeper zk = track(EmbeddedZooKeeper.start(dir.resolve("zk")));
        VmcNode a = track(VmcNode.start("vmc-a", zk.connectString(), PARTITION, RING, new PreProgrammedModel()));
        a.setState(S1);
        await("vmc-a master", a::isMaster);
        HostAgent host = followingHost(zk.connectString(), a);
        await("the host at v1, fenced at epoch 1", () -> host.runningVersion() == S1.version() && host.epoch() == 1);

        loseData(zk);
        // vmc-a loses its session with the data, is elected again and handed epoch 1 once more: it must
        // not stay elected-but-silent (deposed at the epoch it already held) nor write at epoch 1.
        await("vmc-a master again above epoch 1, the host fenced there (a at " + a.epoch() + ", host at "
                + host.epoch() + ")", () -> a.isMaster() && a.controller().master() && a.epoch() > 1
                && host.epoch() == a.epoch());

        NetworkState s2 = S1.apply(new NetworkChange.AddVm(new Vm(30, VNI, NET + 3, 0x0A03L, 2), ALLOW));
        a.setState(s2);
        await("the host at v2 from vmc-a", () -> host.runningVersion() == s2.version());
    }
}
