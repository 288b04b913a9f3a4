package dev.andromeda.testbed.control.rpc;

import dev.andromeda.testbed.control.AgentFixture;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.HostAgent;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** gRPC convergence between a {@link VmController} and a {@link HostAgentClient}, over loopback. */
@Timeout(60)
class ConvergeTest {
    static final String HOST = "host-a";
    static final int VM_A = 0x0A000001;
    static final int VM_B = 0x0A000002;
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    @RegisterExtension
    final AgentFixture fx = new AgentFixture(HOST);

    /** Host list [a, b]; {@code extraFlows} flows from VM_A to distinct destinations, encapsulated to b. */
    static FlowProgram program(long version, int extraFlows) {
        FlowProgram.Builder b = FlowProgram.builder(version, 0)
                .host(TwoHosts.A_IP, TwoHosts.A_MAC)
                .host(TwoHosts.B_IP, TwoHosts.B_MAC)
                .flow(TwoHosts.PLAIN_VNI, 17, VM_A, VM_B, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL);
        for (int i = 0; i < extraFlows; i++) {
            b.flow(TwoHosts.PLAIN_VNI, 6, VM_A, 0x0A000100 + i, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL);
        }
        return b.build();
    }

    <T extends AutoCloseable> T track(T c) {
        return fx.track(c);
    }

    HostAgent newAgent() throws IOException {
        return fx.agent(dir.resolve("state"));
    }

    HostAgentClient client(HostAgent agent, VmController c) {
        return fx.client(agent, c.address());
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Shows that nothing more happened, without sleeping: a marker -- the program the host runs,
     * under version {@code marker} -- goes down the same stream, and the test waits (bounded) for
     * its acknowledgement. The controller sends only from a setProgram or in reply to a host's
     * message (hello, fence, ack, reject), under its lock, and both ends handle a stream in order;
     * so a send that was due before the marker -- a resend the test says must not happen -- has
     * been made, counted and answered by the time the marker's ack arrives. The counts a caller
     * checks afterwards include the marker's one send and one ack.
     */
    static void roundTrip(VmController vmc, HostAgent agent, long marker) throws InterruptedException {
        vmc.setProgram(HOST, agent.program().withVersion(marker, 0));
        await("marker v" + marker + " acknowledged", () -> vmc.convergedVersion(HOST) == marker);
    }

    @Test
    void aHostConvergesToTheControllersProgramAndAcks() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(3, 2));
        HostAgent agent = newAgent();
        client(agent, vmc);

        await("ack of version 3", () -> vmc.convergedVersion(HOST) == 3);
        assertThat(agent.runningVersion()).isEqualTo(3);
        assertThat(agent.epoch()).isEqualTo(1);
        assertThat(agent.program().flows()).hasSize(3);
        assertThat(agent.host().flowTable().size()).isEqualTo(3);
        assertThat(vmc.converged(HOST)).isTrue();
        roundTrip(vmc, agent, 4);
        assertThat(vmc.sends(HOST)).as("v3 once, then the marker").isEqualTo(2);
        assertThat(agent.acks()).isEqualTo(2);
    }

    @Test
    void aChangedProgramPropagates() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(1, 0));
        HostAgent agent = newAgent();
        client(agent, vmc);
        await("v1", () -> vmc.convergedVersion(HOST) == 1);

        vmc.setProgram(HOST, program(2, 5));
        await("v2", () -> vmc.convergedVersion(HOST) == 2);
        assertThat(agent.program().flows()).hasSize(6);
        vmc.setProgram(HOST, program(2, 5)); // same version again: nothing to send
        roundTrip(vmc, agent, 3);
        assertThat(vmc.sends(HOST)).as("v1, v2, the marker").isEqualTo(3);
        assertThat(agent.acks()).isEqualTo(3);
        assertThat(agent.rejects()).isZero();
    }

    @Test
    void onceTheHostRunsWhatItAcknowledgedOnlyWhatDiffersIsSent() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(1, 2000));
        HostAgent agent = newAgent();
        HostAgentClient c = client(agent, vmc);
        await("v1", () -> vmc.convergedVersion(HOST) == 1);
        long whole = vmc.bytesSent(HOST);
        assertThat(vmc.deltasSent(HOST)).as("the first program goes whole").isZero();

        // v2: the same 2,000 flows plus 10 more, one changed, one removed.
        FlowProgram.Builder b = FlowProgram.builder(2, 0).host(TwoHosts.A_IP, TwoHosts.A_MAC)
                .host(TwoHosts.B_IP, TwoHosts.B_MAC)
                .flow(TwoHosts.PLAIN_VNI, 17, VM_A, VM_B, FlowAction.drop(), FirewallPolicy.ALLOW_ALL);
        for (int i = 1; i < 2010; i++) {
            b.flow(TwoHosts.PLAIN_VNI, 6, VM_A, 0x0A000100 + i, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL);
        }
        FlowProgram v2 = b.build();
        vmc.setProgram(HOST, v2);
        await("v2", () -> vmc.convergedVersion(HOST) == 2);
        assertThat(vmc.deltasSent(HOST)).isEqualTo(1);
        long delta = vmc.bytesSent(HOST) - whole;
        assertThat(delta).as("delta %d bytes against %d whole", delta, whole).isLessThan(whole / 20);
        assertThat(agent.program().flows()).as("the host runs exactly v2's flows")
                .containsExactlyInAnyOrderElementsOf(v2.flows());
        assertThat(agent.program().hosts()).isEqualTo(v2.hosts());
        assertThat(agent.host().flowTable().size()).isEqualTo(2010);

        // After a reconnect the host says it runs v2: the next change is a delta again.
        vmc.disconnect(HOST);
        await("reconnected", () -> vmc.hellos(HOST) == 2);
        vmc.setProgram(HOST, program(3, 2000));
        await("v3", () -> vmc.convergedVersion(HOST) == 3);
        assertThat(vmc.deltasSent(HOST)).isEqualTo(2);
        assertThat(agent.program().flows()).containsExactlyInAnyOrderElementsOf(program(3, 2000).flows());
        assertThat(agent.rejects()).isZero();
        assertThat(c.programsReceived()).isEqualTo(3);
    }

    @Test
    void aStaleOrInvalidProgramIsRejectedOnceAndTheHostKeepsItsLastGoodState() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(5, 1));
        HostAgent agent = newAgent();
        HostAgentClient client = client(agent, vmc);
        await("v5", () -> vmc.convergedVersion(HOST) == 5);
        FlowProgram good = agent.program();

        vmc.setProgram(HOST, program(4, 3)); // older than what the host runs
        await("stale reject", () -> vmc.rejects(HOST) == 1);
        assertThat(vmc.lastReject(HOST)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo("STALE_VERSION");
            assertThat(r.version()).isEqualTo(4);
            assertThat(r.hostRunningVersion()).isEqualTo(5);
        });
        assertThat(agent.program()).isEqualTo(good);

        FlowProgram invalid = FlowProgram.builder(6, 0).host(TwoHosts.A_IP, TwoHosts.A_MAC)
                .flow(TwoHosts.PLAIN_VNI, 17, VM_A, VM_B, FlowAction.encapToHost(7), FirewallPolicy.ALLOW_ALL).build();
        vmc.setProgram(HOST, invalid); // names a host that is not in its table
        await("invalid reject", () -> vmc.rejects(HOST) == 2);
        assertThat(vmc.lastReject(HOST).orElseThrow().reason()).isEqualTo("INVALID");
        assertThat(agent.program()).isEqualTo(good);
        assertThat(agent.host().flowTable().size()).isEqualTo(2);

        // Not retried in a loop, not even after a reconnect.
        vmc.disconnect(HOST);
        await("reconnect", () -> vmc.hellos(HOST) == 2 && vmc.connected(HOST));
        assertThat(agent.runningVersion()).isEqualTo(5);
        roundTrip(vmc, agent, 7); // a good program again (clears the refused one): sent, and nothing before it
        assertThat(vmc.sends(HOST)).as("v5, v4, v6, the marker").isEqualTo(4);
        assertThat(vmc.rejects(HOST)).isEqualTo(2);
        assertThat(client.programsReceived()).isEqualTo(4);
        assertThat(agent.runningVersion()).isEqualTo(7);
    }

    @Test
    void aBrokenStreamIsRepairedOnReconnect() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(1, 0));
        HostAgent agent = newAgent();
        HostAgentClient client = client(agent, vmc);
        await("v1", () -> vmc.convergedVersion(HOST) == 1);

        vmc.disconnect(HOST);
        vmc.setProgram(HOST, program(2, 1)); // changes while the host is away
        await("v2 after reconnect", () -> vmc.convergedVersion(HOST) == 2);
        assertThat(client.streams()).isGreaterThanOrEqualTo(2);
        assertThat(agent.runningVersion()).isEqualTo(2);
        roundTrip(vmc, agent, 3);
        assertThat(agent.acks()).as("v1, v2, the marker").isEqualTo(3);
        assertThat(vmc.sends(HOST)).isEqualTo(3);
    }

    @Test
    void aRestartedHostStartsFromItsCheckpointAndIsSentOnlyWhatDiffers() throws Exception {
        VmController vmc = track(new VmController("vmc-a", 1));
        vmc.setProgram(HOST, program(7, 2));
        HostAgent first = newAgent();
        HostAgentClient c1 = client(first, vmc);
        await("v7", () -> vmc.convergedVersion(HOST) == 7);
        c1.close();
        fx.closeHost(first.host());
        await("old stream gone", () -> !vmc.connected(HOST));

        // Restart: same checkpoint directory, controller unchanged -> nothing is sent.
        HostAgent second = newAgent();
        assertThat(second.restoreReport().restored()).isTrue();
        assertThat(second.runningVersion()).isEqualTo(7);
        HostAgentClient c2 = client(second, vmc);
        await("hello after restart", () -> vmc.hellos(HOST) == 2);
        assertThat(vmc.reportedVersion(HOST)).isEqualTo(7);
        roundTrip(vmc, second, 8);
        assertThat(vmc.sends(HOST)).as("v7 before the restart, then only the marker").isEqualTo(2);
        assertThat(second.acks()).isEqualTo(1);
        assertThat(c2.programsReceived()).isEqualTo(1);
        c2.close();
        fx.closeHost(second.host());
        await("old stream gone", () -> !vmc.connected(HOST));

        // Restart again while the controller moved on: only the new program is sent.
        vmc.setProgram(HOST, program(9, 3));
        HostAgent third = newAgent();
        assertThat(third.runningVersion()).isEqualTo(8);
        client(third, vmc);
        await("v9", () -> vmc.convergedVersion(HOST) == 9);
        assertThat(third.program().flows()).hasSize(4);
        roundTrip(vmc, third, 10);
        assertThat(vmc.sends(HOST)).as("v7, the marker v8, v9, the marker v10").isEqualTo(4);
        assertThat(third.acks()).isEqualTo(2);
    }

    @Test
    void failoverToANewerMasterAndTheDeposedMastersLateUpdateIsRejected() throws Exception {
        VmController a = track(new VmController("vmc-a", 1));
        VmController b = track(new VmController("vmc-b", 2));
        a.setProgram(HOST, program(1, 0));
        b.setProgram(HOST, program(2, 1)); // B learned the newer desired state from cluster management
        HostAgent agent = newAgent();
        HostAgentClient client = client(agent, a);
        await("v1 from A", () -> a.convergedVersion(HOST) == 1);

        // A goes away (its stream breaks; the host keeps forwarding on v1 and retries A with backoff) ...
        a.disconnect(HOST);
        a.stepDown(); // ... and stops programming, but its process lingers
        await("host retrying", () -> client.streams() >= 2);
        assertThat(agent.runningVersion()).isEqualTo(1);
        // ... and B takes over.
        client.retarget(b.address());
        await("v2 from B", () -> b.convergedVersion(HOST) == 2);
        assertThat(agent.epoch()).isEqualTo(2);
        FlowProgram fromB = agent.program();

        // A, not knowing it was deposed, comes back with a late update at epoch 1, and the host talks to it.
        VmController zombie = track(new VmController("vmc-a-late", 1));
        zombie.setProgram(HOST, program(3, 4));
        client.retarget(zombie.address());
        // The host's hello says it holds epoch 2: the zombie learns it is deposed and sends nothing.
        await("the zombie to learn it is deposed", zombie::deposed);
        assertThat(zombie.hostEpoch(HOST)).isEqualTo(2);
        assertThat(agent.program()).isEqualTo(fromB);
        assertThat(agent.runningVersion()).isEqualTo(2);
        zombie.setProgram(HOST, program(4, 4)); // a deposed controller sends nothing more
        assertThat(zombie.sends(HOST)).isZero(); // setProgram decides under the lock, at once

        // Back to B: versions equal, nothing resent; no update was ever applied twice.
        client.retarget(b.address());
        await("hello at B", () -> b.hellos(HOST) == 2 && b.reportedVersion(HOST) == 2);
        // The host left the zombie's stream; once the zombie saw it end, it can never send to this host again.
        await("the zombie to see the host leave", () -> !zombie.connected(HOST));
        assertThat(zombie.sends(HOST)).isZero();
        roundTrip(b, agent, 3);
        assertThat(b.sends(HOST)).as("v2, then only the marker").isEqualTo(2);
        assertThat(agent.acks()).isEqualTo(3); // v1 from A, v2 and the marker from B
        assertThat(agent.rejects()).isZero(); // the zombie never wrote
        assertThat(client.programsReceived()).isEqualTo(3);
    }
}
