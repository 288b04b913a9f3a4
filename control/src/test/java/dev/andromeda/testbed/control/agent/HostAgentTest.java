package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class HostAgentTest {
    @TempDir
    Path dir;
    Host host;
    HostAgent agent;

    @BeforeEach
    void start() throws IOException {
        host = new Host("host-a", TwoHosts.A_IP, TwoHosts.A_MAC, 64, 2048, StageMix.software(),
                OffloadOptions.defaults());
        agent = new HostAgent(host, dir);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void aFreshAgentWithNoCheckpointRunsTheEmptyProgram() {
        assertThat(agent.restoreReport().restored()).isFalse();
        assertThat(agent.restoreReport().problems()).isEmpty();
        assertThat(agent.runningVersion()).isZero();
        assertThat(host.flowTable().size()).isZero();
    }

    @Test
    void acksANewerVersionAndPublishesItsTableToTheHost() {
        ApplyResult r = agent.apply(Programs.forA(1, 1));
        assertThat(r).isEqualTo(new ApplyResult.Ack(1));
        assertThat(agent.runningVersion()).isEqualTo(1);
        FlowTable t = host.flowTable();
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.lookup(TwoHosts.PLAIN_VNI, 17, Programs.VM_A, Programs.VM_B)).isNotEqualTo(FlowTable.MISS);
        assertThat(host.flows().latest()).as("published for the dataplane's next batch").isSameAs(t);

        assertThat(agent.apply(Programs.rich(5, 1))).isEqualTo(new ApplyResult.Ack(5));
        assertThat(host.flowTable().size()).isEqualTo(5);
        assertThat(agent.acks()).isEqualTo(2);
    }

    @Test
    void rejectsAnUpdateWhoseVersionIsNotNewerAndKeepsTheRunningState() {
        agent.apply(Programs.forA(5, 1));
        FlowTable running = host.flowTable();
        for (long v : new long[] {5, 4, 0, -1}) {
            ApplyResult r = agent.apply(Programs.rich(v, 1));
            assertThat(r).isInstanceOfSatisfying(ApplyResult.Reject.class,
                    j -> assertThat(j.reason()).isEqualTo(ApplyResult.Reason.STALE_VERSION));
        }
        assertThat(host.flowTable()).isSameAs(running);
        assertThat(agent.runningVersion()).isEqualTo(5);
        assertThat(agent.program()).isEqualTo(Programs.forA(5, 1));
        assertThat(agent.rejects()).isEqualTo(4);
    }

    @Test
    void rejectsAnUpdateFromADeposedControllerEvenWithANewerVersion() {
        assertThat(agent.apply(Programs.forA(1, 2)).acked()).isTrue();
        assertThat(agent.apply(Programs.forA(2, 3)).acked()).as("a newer controller takes over").isTrue();
        ApplyResult r = agent.apply(Programs.rich(100, 2));
        assertThat(r).isInstanceOfSatisfying(ApplyResult.Reject.class, j -> {
            assertThat(j.reason()).isEqualTo(ApplyResult.Reason.DEPOSED_EPOCH);
            assertThat(j.message()).contains("epoch 2").contains("epoch 3");
        });
        assertThat(agent.runningVersion()).isEqualTo(2);
        assertThat(agent.epoch()).isEqualTo(3);
        assertThat(agent.apply(Programs.rich(3, 3)).acked()).as("the same epoch may go on").isTrue();
    }

    static Stream<Arguments> invalidPrograms() {
        int a = Programs.VM_A;
        int b = Programs.VM_B;
        return Stream.of(
                Arguments.of("an action naming a host that does not exist", Programs.toPeer(9, 1, a, b, 1)
                        .flow(100, 17, a, 0x0A000005, FlowAction.encapToHost(2), FirewallPolicy.ALLOW_ALL).build()),
                Arguments.of("a VNI beyond 24 bits", Programs.toPeer(9, 1, a, b, 1)
                        .flow(1 << 24, 17, a, b, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build()),
                Arguments.of("a negative VNI", Programs.toPeer(9, 1, a, b, 1)
                        .flow(-1, 17, a, b, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build()),
                Arguments.of("a protocol beyond 8 bits", Programs.toPeer(9, 1, a, b, 1)
                        .flow(100, 256, a, b, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build()),
                Arguments.of("an action of unknown kind", Programs.toPeer(9, 1, a, b, 1)
                        .flow(100, 1, a, b, 9 << 24, FirewallPolicy.ALLOW_ALL).build()),
                Arguments.of("a hoverboard that does not exist", Programs.toPeer(9, 1, a, b, 1)
                        .hoverboards(0, 2).build()),
                Arguments.of("port ranges out of order", Programs.toPeer(9, 1, a, b, 1)
                        .flow(100, 1, a, b, FlowAction.drop(), new FirewallPolicy(FirewallPolicy.Kind.PORT_RANGES,
                                new int[] {80 << 16 | 80, 53 << 16 | 53})).build()),
                Arguments.of("ranges on an allow-all flow", Programs.toPeer(9, 1, a, b, 1)
                        .flow(100, 1, a, b, FlowAction.drop(), new FirewallPolicy(FirewallPolicy.Kind.ALLOW_ALL,
                                new int[] {80 << 16 | 80})).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPrograms")
    void rejectsAnInvalidProgramAndKeepsTheLastGoodStateRunningAndCheckpointed(String what, FlowProgram bad)
            throws IOException {
        FlowProgram good = Programs.forA(3, 1);
        agent.apply(good);
        FlowTable running = host.flowTable();
        byte[] checkpoint = Files.readAllBytes(dir.resolve(Checkpoints.CURRENT));

        ApplyResult r = agent.apply(bad);

        assertThat(r).as(what).isInstanceOfSatisfying(ApplyResult.Reject.class,
                j -> assertThat(j.reason()).isEqualTo(ApplyResult.Reason.INVALID));
        assertThat(host.flowTable()).isSameAs(running);
        assertThat(agent.runningVersion()).isEqualTo(3);
        assertThat(agent.program()).isEqualTo(good);
        assertThat(Files.readAllBytes(dir.resolve(Checkpoints.CURRENT))).isEqualTo(checkpoint);
        assertThat(agent.checkpoints().writes()).isEqualTo(1);
        assertThat(agent.apply(Programs.forA(9, 1)).acked()).as("the rejected version is still free").isTrue();
    }

    @Test
    void checkpointsEveryAcceptedProgramAndKeepsThePreviousOne() throws Exception {
        agent.apply(Programs.forA(1, 1));
        agent.apply(Programs.rich(2, 1));
        agent.apply(Programs.rich(1, 1)); // rejected: no checkpoint
        assertThat(Checkpoints.parse(Files.readAllBytes(dir.resolve(Checkpoints.CURRENT))))
                .isEqualTo(Programs.rich(2, 1));
        assertThat(Checkpoints.parse(Files.readAllBytes(dir.resolve(Checkpoints.PREVIOUS))))
                .isEqualTo(Programs.forA(1, 1));
        assertThat(agent.checkpoints().writes()).isEqualTo(2);
    }

    @Test
    void aRestartedAgentRunsTheCheckpointedProgramAndKeepsItsEpochFence() throws IOException {
        agent.apply(Programs.rich(4, 7));
        host.close();
        host = new Host("host-a", TwoHosts.A_IP, TwoHosts.A_MAC, 64, 2048, StageMix.software(),
                OffloadOptions.defaults());
        HostAgent restarted = new HostAgent(host, dir);
        assertThat(restarted.restoreReport().restored()).isTrue();
        assertThat(restarted.restoreReport().source()).isEqualTo(dir.resolve(Checkpoints.CURRENT));
        assertThat(restarted.runningVersion()).isEqualTo(4);
        assertThat(restarted.program()).isEqualTo(Programs.rich(4, 7));
        assertThat(host.flowTable().size()).isEqualTo(5);
        assertThat(restarted.apply(Programs.forA(5, 6))).as("deposed before the restart, deposed after")
                .isInstanceOfSatisfying(ApplyResult.Reject.class,
                        j -> assertThat(j.reason()).isEqualTo(ApplyResult.Reason.DEPOSED_EPOCH));
        assertThat(restarted.apply(Programs.forA(4, 7))).isInstanceOf(ApplyResult.Reject.class);
        assertThat(restarted.apply(Programs.forA(5, 7))).isEqualTo(new ApplyResult.Ack(5));
    }

    @Test
    void anUnwritableCheckpointDirectoryDoesNotStopTheHostFromRunningAValidProgram() throws Exception {
        agent.apply(Programs.forA(1, 1));
        Path current = dir.resolve(Checkpoints.CURRENT);
        // A directory where the temp file goes makes the write fail.
        Files.createDirectory(dir.resolve(Checkpoints.TEMP));
        ApplyResult r = agent.apply(Programs.rich(2, 1));
        assertThat(r).isEqualTo(new ApplyResult.Ack(2));
        assertThat(agent.checkpointFailures()).isEqualTo(1);
        assertThat(host.flowTable().size()).isEqualTo(5);
        assertThat(Checkpoints.parse(Files.readAllBytes(current))).isEqualTo(Programs.forA(1, 1));
    }
}
