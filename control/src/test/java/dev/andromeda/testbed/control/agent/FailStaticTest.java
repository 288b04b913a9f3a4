package dev.andromeda.testbed.control.agent;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemoryLink;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two hosts on an in-memory wire, one VM each on the plain network, programmed
 * only through their {@link HostAgent}s; then the controller goes away.
 */
class FailStaticTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    final MemoryLink link = new MemoryLink(1024, 2048);
    Host a;
    Host b;
    VirtioNic a1;
    VirtioNic b1;
    HostAgent agentA;
    HostAgent agentB;
    final List<byte[]> atA = new ArrayList<>();
    final List<byte[]> atB = new ArrayList<>();
    final Random r = new Random(2018);

    @BeforeEach
    void start() throws IOException {
        startA();
        b = new Host("host-b", TwoHosts.B_IP, TwoHosts.B_MAC, 4096, 2048, StageMix.software(),
                OffloadOptions.defaults());
        b.connect(link.b());
        b1 = b.addVm(new VmPort(1, TwoHosts.PLAIN_VNI, Programs.VM_B, 0x02_BB_00_00_00_01L));
        agentB = new HostAgent(b, dirB);
    }

    /** Host a, booted (or rebooted): a new Host on a's end of the wire, a new agent on a's state directory. */
    private void startA() throws IOException {
        a = new Host("host-a", TwoHosts.A_IP, TwoHosts.A_MAC, 4096, 2048, StageMix.software(),
                OffloadOptions.defaults());
        a.connect(link.a());
        a1 = a.addVm(new VmPort(1, TwoHosts.PLAIN_VNI, Programs.VM_A, 0x02_AA_00_00_00_01L));
        agentA = new HostAgent(a, dirA);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        link.close();
    }

    /** The controller's part: full programs for both hosts, up to version {@code v}. */
    private void program(long v, long epoch) {
        assertThat(agentA.apply(Programs.forA(v, epoch))).isEqualTo(new ApplyResult.Ack(v));
        assertThat(agentB.apply(Programs.forB(v, epoch))).isEqualTo(new ApplyResult.Ack(v));
    }

    /** The frames {@code from} sends ({@code n} at most 200: they fit its TX ring), as the peer must receive them. */
    private List<byte[]> send(VirtioNic from, int src, int dst, int n) {
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean tcp = r.nextBoolean();
            byte[] f = TwoHosts.guestFrame(r, src, dst, tcp, r.nextInt(1400));
            int[] c = TwoHosts.csumRequest(tcp);
            assertThat(from.send(f, c[0], c[1])).isTrue();
            expected.add(TwoHosts.completed(f, tcp));
        }
        return expected;
    }

    /** Runs both hosts, the guests reading their rings as they fill, until nothing moves. */
    private void settle() {
        for (int idle = 0; idle < 3; ) {
            int w = a.doWork() + b.doWork();
            TwoHosts.drain(a1).forEach(x -> atA.add(x.frame()));
            TwoHosts.drain(b1).forEach(x -> atB.add(x.frame()));
            idle = w == 0 ? idle + 1 : 0;
        }
    }

    private static void assertSameFrames(List<byte[]> got, List<byte[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            assertThat(Arrays.equals(got.get(i), expected.get(i))).as("frame %d", i).isTrue();
        }
    }

    private void assertNothingDropped() {
        assertThat(a.counters().droppedTotal()).as("%s", a).isZero();
        assertThat(b.counters().droppedTotal()).as("%s", b).isZero();
    }

    @Test
    void hostsProgrammedOnlyByTheirAgentsForwardBothWays() {
        program(1, 1);
        List<byte[]> toB = send(a1, Programs.VM_A, Programs.VM_B, 150);
        List<byte[]> toA = send(b1, Programs.VM_B, Programs.VM_A, 150);
        settle();
        assertSameFrames(atB, toB);
        assertSameFrames(atA, toA);
        assertNothingDropped();
    }

    @Test
    void withTheControllerGoneThousandsOfPacketsStillFlowOnTheLastGoodFlowsAndNoneAreDropped() {
        program(1, 1);
        program(2, 1);
        // The controller is gone from here on: no update ever comes again. Only a deposed controller
        // still talks, and the hosts refuse it.
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            toB.addAll(send(a1, Programs.VM_A, Programs.VM_B, 100));
            toA.addAll(send(b1, Programs.VM_B, Programs.VM_A, 100));
            settle();
            if (round == 25) {
                assertThat(agentA.apply(FlowProgram.EMPTY.withVersion(99, 0)).acked()).isFalse();
            }
        }
        assertThat(toB).hasSize(5000);
        assertSameFrames(atB, toB);
        assertSameFrames(atA, toA);
        assertNothingDropped();
        assertThat(agentA.runningVersion()).isEqualTo(2);
        assertThat(agentB.runningVersion()).isEqualTo(2);
    }

    @Test
    void aRestartedHostComesBackOnItsCheckpointAndNoPacketIsLost() throws IOException {
        program(1, 1);
        program(2, 1);
        List<byte[]> before = send(a1, Programs.VM_A, Programs.VM_B, 100);
        settle();
        assertSameFrames(atB, before);
        // The controller stops. Host a goes down; meanwhile b keeps sending, and its frames wait on the wire.
        a.close();
        List<byte[]> toA = send(b1, Programs.VM_B, Programs.VM_A, 200);
        while (b.doWork() > 0) {
            // b's fast path puts them on the wire
        }
        assertThat(b.counters().toWire()).isGreaterThanOrEqualTo(200);

        startA(); // a new Host and a new agent on the same state directory, no controller anywhere

        assertThat(agentA.restoreReport().restored()).isTrue();
        assertThat(agentA.restoreReport().problems()).isEmpty();
        assertThat(agentA.runningVersion()).as("what a reports to the next controller").isEqualTo(2);
        assertThat(agentA.program()).isEqualTo(Programs.forA(2, 1));
        List<byte[]> toB = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            toB.addAll(send(a1, Programs.VM_A, Programs.VM_B, 100));
            settle();
        }
        assertSameFrames(atA, toA);
        List<byte[]> allToB = new ArrayList<>(before);
        allToB.addAll(toB);
        assertSameFrames(atB, allToB);
        assertNothingDropped();
    }

    @Test
    void aHostRestartedOnACorruptCheckpointFallsBackToThePreviousOneAndStillForwards() throws IOException {
        program(1, 1);
        program(2, 1);
        a.close();
        Path current = dirA.resolve(Checkpoints.CURRENT);
        byte[] bytes = Files.readAllBytes(current);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(current, bytes);

        startA();

        assertThat(agentA.restoreReport().problems()).singleElement()
                .satisfies(p -> assertThat(p.kind()).isEqualTo(RestoreReport.Kind.CORRUPT));
        assertThat(agentA.restoreReport().source()).isEqualTo(dirA.resolve(Checkpoints.PREVIOUS));
        assertThat(agentA.runningVersion()).isEqualTo(1);
        assertThat(agentA.checkpoints().badCheckpoints()).isEqualTo(1);
        List<byte[]> toB = send(a1, Programs.VM_A, Programs.VM_B, 200);
        settle();
        assertSameFrames(atB, toB);
        assertNothingDropped();
        // The controller, when it returns, sees version 1 and brings a up to date.
        assertThat(agentA.apply(Programs.forA(2, 1)).acked()).isTrue();
    }
}
