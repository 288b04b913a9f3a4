package dev.andromeda.testbed.tb.cluster;

import dev.andromeda.testbed.control.agent.FlowProgram;
import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A VM migrated there and back, then on to a third host, the way {@code tb host} plugs VMs in
 * and hands them over ({@link VmMoves}): A -> B -> A -> C. A sender whose table still says "A"
 * (not yet reprogrammed) must reach the VM at C through A's hairpin, once.
 */
class VmMovesTest {
    static final int VNI = 100;
    static final int X = 0x0A000005;
    static final int S = 0x0A000009;
    static final int[] IP = {0xC0A80001, 0xC0A80002, 0xC0A80003, 0xC0A80004};
    static final long[] MAC = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL, 0x02_00_00_00_00_0CL, 0x02_00_00_00_00_0DL};

    private static FlowTableBuilder hosts() {
        FlowTableBuilder f = new FlowTableBuilder();
        for (int h = 0; h < IP.length; h++) {
            f.host(IP[h], MAC[h]);
        }
        return f;
    }

    private static Host host(String name, int i) {
        return new Host(name, IP[i], MAC[i], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
    }

    @Test
    void aVmMovedAwayAndBackThenToAThirdHostIsReachedThroughTheSourcesHairpin() {
        Random r = new Random(10);
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = host("a", 0); Host b = host("b", 1); Host c = host("c", 2); Host s = host("s", 3)) {
            Host[] all = {a, b, c, s};
            for (int i = 0; i < all.length; i++) {
                all[i].connect(sw.attach(IP[i]));
                all[i].flows().publish(hosts().build());
            }
            VmPort xPort = new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L);
            VirtioNic sender = s.addVm(new VmPort(1, VNI, S, 0x02_AA_00_00_00_09L));
            // The sender's table says x runs on A, as before the moves (it was never reprogrammed).
            s.flows().publish(hosts().flow(VNI, 17, S, X, FlowAction.encapToHost(0), FirewallPolicy.ALLOW_ALL).build());

            VirtioNic xOnA = VmMoves.plugIn(a, xPort);
            VirtioNic xOnB = VmMoves.plugIn(b, xPort);          // A -> B: plugged in at B first,
            assertThat(VmMoves.handOverIfReady(a, null, xOnA, true, IP[1], MAC[1])).isTrue(); // then A hairpins to B
            xOnA = VmMoves.plugIn(a, xPort);                    // B -> A
            assertThat(VmMoves.handOverIfReady(b, null, xOnB, true, IP[0], MAC[0])).isTrue();
            VirtioNic xOnC = VmMoves.plugIn(c, xPort);          // A -> C
            assertThat(VmMoves.handOverIfReady(a, null, xOnA, true, IP[2], MAC[2])).isTrue();

            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] f = TwoHosts.guestFrame(r, S, X, false, 100 + r.nextInt(900));
                int[] csum = TwoHosts.csumRequest(false);
                assertThat(sender.send(f, csum[0], csum[1])).isTrue();
                sent.add(TwoHosts.completed(f, false));
            }
            List<byte[]> got = new ArrayList<>();
            for (int turn = 0; turn < 200 && got.size() < sent.size(); turn++) {
                for (Host h : all) {
                    h.doWork();
                }
                for (VirtioNic.Received rx; (rx = xOnC.receive()) != null; ) {
                    got.add(rx.frame());
                }
            }
            String where = a + " / " + b + " / " + c + " / " + s;
            assertThat(got).as("at C: %s", where).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            assertThat(a.counters().hairpinned()).as("A hairpinned each packet once, to C: %s", where)
                    .isEqualTo(sent.size());
            assertThat(b.counters().hairpinned()).as("B never saw them: %s", where).isZero();
        }
    }

    /**
     * A VM of the source host keeps sending to the moving VM. The source's table holds only the
     * hosts it sends to -- not the VM's new host -- until the controllers reprogram it: handed over
     * before that, the VM's packets from here would be local deliveries to no VM and nowhere to
     * hairpin them (NO_LOCAL_VM). The source hands over only once its program sends to the VM there.
     */
    @Test
    void theSourceHandsOverOnlyOnceItsOwnProgramNoLongerDeliversToTheVmLocally() {
        Random r = new Random(11);
        int w = 0x0A000007;
        try (MemorySwitch sw = new MemorySwitch(1024, 16384); Host a = host("a", 0); Host c = host("c", 2)) {
            a.connect(sw.attach(IP[0]));
            c.connect(sw.attach(IP[2]));
            VmPort xPort = new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L);
            VirtioNic xOnA = VmMoves.plugIn(a, xPort);
            VirtioNic wOnA = VmMoves.plugIn(a, new VmPort(2, VNI, w, 0x02_AA_00_00_00_07L));
            // A's program before the move: w -> x delivered here; its host list is A alone.
            FlowProgram before = FlowProgram.builder(1, 1).host(IP[0], MAC[0])
                    .flow(VNI, 17, w, X, FlowAction.deliver(1), FirewallPolicy.ALLOW_ALL).build();
            FlowProgram after = FlowProgram.builder(2, 1).host(IP[0], MAC[0]).host(IP[2], MAC[2])
                    .flow(VNI, 17, w, X, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build();
            FlowProgram running = before;
            a.flows().publish(before.toFlowTable());
            c.flows().publish(hosts().build());
            VirtioNic xOnC = VmMoves.plugIn(c, xPort); // the new host has it: only A's own program holds it back

            int sent = 0;
            int got = 0;
            int handedOverAt = -1;
            for (int i = 0; i < 300; i++) {
                byte[] f = TwoHosts.guestFrame(r, w, X, false, 100 + r.nextInt(900));
                int[] csum = TwoHosts.csumRequest(false);
                assertThat(wOnA.send(f, csum[0], csum[1])).isTrue();
                sent++;
                if (i == 150) {
                    running = after; // the controllers reprogram A
                    a.flows().publish(after.toFlowTable());
                }
                if (handedOverAt < 0 && VmMoves.handOverIfReady(a, running, xOnA, true, IP[2], MAC[2])) {
                    handedOverAt = i;
                }
                for (int k = 0; k < 3; k++) {
                    a.doWork();
                    c.doWork();
                }
                for (VirtioNic.Received rx; (rx = xOnA.receive()) != null; ) {
                    got++;
                }
                for (VirtioNic.Received rx; (rx = xOnC.receive()) != null; ) {
                    got++;
                }
            }
            assertThat(a.counters().droppedTotal() + c.counters().droppedTotal()).as("%s / %s", a, c).isZero();
            assertThat(got).as("%s / %s", a, c).isEqualTo(sent);
            assertThat(handedOverAt).as("handed over once A's program sends to C").isEqualTo(150);
        }
    }

    /** A program moved on, the dataplane's table not yet: still delivered here, so not yet. */
    @Test
    void aProgramAheadOfTheDataplanesTableDoesNotLetTheVmGo() {
        int w = 0x0A000007;
        try (Host a = host("a", 0)) {
            VirtioNic xOnA = VmMoves.plugIn(a, new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L));
            FlowProgram before = FlowProgram.builder(1, 1).host(IP[0], MAC[0])
                    .flow(VNI, 17, w, X, FlowAction.deliver(1), FirewallPolicy.ALLOW_ALL).build();
            FlowProgram after = FlowProgram.builder(2, 1).host(IP[0], MAC[0]).host(IP[2], MAC[2])
                    .flow(VNI, 17, w, X, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build();
            a.flows().publish(before.toFlowTable());
            assertThat(VmMoves.handOverIfReady(a, after, xOnA, true, IP[2], MAC[2])).isFalse();
            assertThat(VmMoves.handOverIfReady(a, before, xOnA, false, IP[2], MAC[2])).as("C lacks it").isFalse();
            a.flows().publish(after.toFlowTable());
            assertThat(VmMoves.handOverIfReady(a, after, xOnA, true, IP[2], MAC[2])).isTrue();
            assertThat(a.vms()).doesNotContain(xOnA);
        }
    }
}
