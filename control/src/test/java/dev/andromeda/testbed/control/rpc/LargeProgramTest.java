package dev.andromeda.testbed.control.rpc;

import dev.andromeda.testbed.control.AgentFixture;
import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.control.agent.HostAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A program above gRPC's default 4 MiB message limit -- 200,000 flows, about 5 MB on the
 * wire, what a hoverboard's program reaches in the paper's 40,000-VM network -- reaches a
 * real host agent; and the limit is the client's to set: a 2 MB program, under gRPC's default,
 * is refused by a client limited to 1 MiB (the stream fails, the client reconnects) and the
 * host keeps running what it ran.
 */
@Timeout(120)
class LargeProgramTest {
    static final String HOST = "host-a";
    static final int FLOWS = 200_000;

    @TempDir
    Path dir;
    @RegisterExtension
    final AgentFixture fx = new AgentFixture(HOST);

    @Test
    void aProgramAboveFourMebibytesIsTakenByDefault() throws Exception {
        FlowProgram big = ConvergeTest.program(7, FLOWS);
        assertThat(big.encode().length).as("the program's size").isGreaterThan(4 << 20);
        VmController vmc = fx.track(new VmController("vmc", 1));
        HostAgent agent = fx.agent(dir.resolve("state"));
        fx.client(agent, vmc.address());
        vmc.setProgram(HOST, big);
        ConvergeTest.await("the host runs the 200,000-flow program", () -> agent.runningVersion() == 7);
        assertThat(agent.program().flows()).hasSize(FLOWS + 1);
    }

    @Test
    void aClientWithASmallerLimitRefusesItAndKeepsItsProgram() throws Exception {
        VmController vmc = fx.track(new VmController("vmc", 1));
        HostAgent agent = fx.agent(dir.resolve("state"));
        HostAgentClient client = fx.track(new HostAgentClient(agent, HOST, vmc.address(), Duration.ofMillis(20),
                Duration.ofMillis(200)).maxInboundBytes(1 << 20)).start();
        vmc.setProgram(HOST, ConvergeTest.program(3, 10));
        ConvergeTest.await("the small program runs", () -> agent.runningVersion() == 3);
        long streams = client.streams();
        // Between the set limit and gRPC's default: refused only if the limit set is the one applied.
        FlowProgram middling = ConvergeTest.program(4, 80_000);
        assertThat(middling.encode().length).isBetween(1 << 20, 4 << 20);
        vmc.setProgram(HOST, middling);
        ConvergeTest.await("the stream fails and the client reconnects", () -> client.streams() > streams);
        assertThat(agent.runningVersion()).isEqualTo(3);
    }
}
