package dev.andromeda.testbed.control.rpc;

import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.control.election.EmbeddedZooKeeper;
import dev.andromeda.testbed.control.election.PartitionElection;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Failover with epochs from a real {@link PartitionElection} on the embedded ZooKeeper. */
@Timeout(60)
class ElectedFailoverTest {
    @TempDir
    Path dir;

    @Test
    void theElectedSuccessorProgramsTheHostWithAHigherEpoch() throws Exception {
        Host host = new Host(ConvergeTest.HOST, TwoHosts.A_IP, TwoHosts.A_MAC, 64, 2048, StageMix.software(),
                OffloadOptions.defaults());
        VmController a = new VmController("vmc-a");
        try (EmbeddedZooKeeper zk = EmbeddedZooKeeper.start(dir.resolve("zk"));
             VmController b = new VmController("vmc-b")) {
            a.setProgram(ConvergeTest.HOST, ConvergeTest.program(1, 0));
            b.setProgram(ConvergeTest.HOST, ConvergeTest.program(2, 1));
            PartitionElection ea = PartitionElection.join(zk.connectString(), 0, "vmc-a",
                    PartitionElection.Timeouts.FAST, a.electionListener());
            ConvergeTest.await("A master", a::master);
            PartitionElection eb = PartitionElection.join(zk.connectString(), 0, "vmc-b",
                    PartitionElection.Timeouts.FAST, b.electionListener());
            HostAgent agent = new HostAgent(host, dir.resolve("state"));
            try (HostAgentClient client = new HostAgentClient(agent, ConvergeTest.HOST, a.address(),
                    Duration.ofMillis(20), Duration.ofMillis(200)).start()) {
                ConvergeTest.await("v1 from A", () -> a.convergedVersion(ConvergeTest.HOST) == 1);
                assertThat(b.master()).isFalse();

                ea.close(); // A leaves; B is elected with the next epoch
                ConvergeTest.await("B master", b::master);
                assertThat(a.master()).isFalse();
                assertThat(b.epoch()).isGreaterThan(a.epoch());
                a.close();
                client.retarget(b.address());
                ConvergeTest.await("v2 from B", () -> b.convergedVersion(ConvergeTest.HOST) == 2);
                assertThat(agent.epoch()).isEqualTo(b.epoch());
                assertThat(agent.acks()).isEqualTo(2);
            } finally {
                eb.close();
            }
        } finally {
            a.close();
            host.close();
        }
    }
}
