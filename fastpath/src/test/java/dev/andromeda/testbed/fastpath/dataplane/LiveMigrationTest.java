package dev.andromeda.testbed.fastpath.dataplane;

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
 * Live migration without loss (Andromeda §5): VM x moves from host A to host C
 * while host B's VM y keeps sending to it. During the blackout B still sends
 * to A, which hairpins x's packets to C; then B is reprogrammed to send to C
 * directly and A stops hairpinning. Every packet arrives once, in order.
 */
class LiveMigrationTest {
    static final int VNI = 100;
    static final int X = 0x0A000005;
    static final int Y = 0x0A000006;
    static final int[] IP = {0xC0A80001, 0xC0A80002, 0xC0A80003};
    static final long[] MAC = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL, 0x02_00_00_00_00_0CL};

    private static FlowTableBuilder hosts() {
        FlowTableBuilder f = new FlowTableBuilder();
        for (int h = 0; h < 3; h++) {
            f.host(IP[h], MAC[h]);
        }
        return f;
    }

    @Test
    void movesAVmBetweenHostsWithoutLosingAPacketAndHairpinsDuringTheBlackout() {
        Random r = new Random(2018);
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host b = new Host("b", IP[1], MAC[1], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host c = new Host("c", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults())) {
            a.connect(sw.attach(IP[0]));
            b.connect(sw.attach(IP[1]));
            c.connect(sw.attach(IP[2]));
            VmPort xPort = new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L);
            VirtioNic xOnA = a.addVm(xPort);
            VirtioNic y = b.addVm(new VmPort(1, VNI, Y, 0x02_AA_00_00_00_06L));
            a.flows().publish(hosts().build());
            c.flows().publish(hosts().build());
            b.flows().publish(hosts().flow(VNI, 17, Y, X, FlowAction.encapToHost(0), FirewallPolicy.ALLOW_ALL).build());

            List<byte[]> sent = new ArrayList<>();
            List<byte[]> got = new ArrayList<>();
            VirtioNic xOnC = null;
            long lastOnA = 0;
            long firstOnC = 0;
            for (int i = 0; i < 300; i++) {
                byte[] f = TwoHosts.guestFrame(r, Y, X, false, 100 + r.nextInt(900));
                int[] csum = TwoHosts.csumRequest(false);
                assertThat(y.send(f, csum[0], csum[1])).isTrue();
                sent.add(TwoHosts.completed(f, false));
                if (i == 100) {
                    // Migration: x resumes on C (its NIC plugged first), leaves A, which hairpins.
                    xOnC = c.addVm(xPort);
                    a.migrateOut(1, 2);
                }
                if (i == 200) {
                    // Every sender reprogrammed: B sends to C directly; A stops hairpinning.
                    b.flows().publish(hosts().flow(VNI, 17, Y, X, FlowAction.encapToHost(2), FirewallPolicy.ALLOW_ALL)
                            .build());
                }
                if (i == 210) {
                    a.endHairpin(VNI, X);
                }
                for (int k = 0; k < 3; k++) {
                    a.doWork();
                    b.doWork();
                    c.doWork();
                }
                for (VirtioNic.Received rx; (rx = xOnA.receive()) != null; ) {
                    got.add(rx.frame());
                    lastOnA = System.nanoTime();
                }
                if (xOnC != null) {
                    for (VirtioNic.Received rx; (rx = xOnC.receive()) != null; ) {
                        got.add(rx.frame());
                        if (firstOnC == 0) {
                            firstOnC = System.nanoTime();
                        }
                    }
                }
            }
            assertThat(got).as("%s / %s / %s", a, b, c).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            assertThat(a.counters().hairpinned()).as("A hairpinned the blackout's packets").isBetween(90L, 110L);
            assertThat(a.counters().droppedTotal() + b.counters().droppedTotal() + c.counters().droppedTotal()).isZero();
            System.out.printf("live migration: blackout (last packet on A to first on C) %.1f us, %d hairpinned%n",
                    (firstOnC - lastOnA) / 1e3, a.counters().hairpinned());
        }
    }

    /**
     * The source host's own VMs keep sending to the moved VM too: until host A is
     * reprogrammed its table still says "deliver locally", and the VM is gone. A
     * hairpins those as well (they used to be dropped as NO_LOCAL_VM: the loss a
     * migration across processes can show), then sends directly once told.
     */
    @Test
    void aVmOnTheSourceHostKeepsReachingTheMovedVmThroughTheHairpin() {
        Random r = new Random(2019);
        int w = 0x0A000007;
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host c = new Host("c", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults())) {
            a.connect(sw.attach(IP[0]));
            sw.attach(IP[1]);
            c.connect(sw.attach(IP[2]));
            VmPort xPort = new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L);
            VirtioNic xOnA = a.addVm(xPort);
            VirtioNic wOnA = a.addVm(new VmPort(2, VNI, w, 0x02_AA_00_00_00_07L));
            a.flows().publish(hosts().flow(VNI, 17, w, X, FlowAction.deliver(1), FirewallPolicy.ALLOW_ALL).build());
            c.flows().publish(hosts().build());

            List<byte[]> sent = new ArrayList<>();
            List<byte[]> got = new ArrayList<>();
            VirtioNic xOnC = null;
            for (int i = 0; i < 300; i++) {
                byte[] f = TwoHosts.guestFrame(r, w, X, false, 100 + r.nextInt(900));
                int[] csum = TwoHosts.csumRequest(false);
                assertThat(wOnA.send(f, csum[0], csum[1])).isTrue();
                sent.add(TwoHosts.completed(f, false));
                if (i == 100) {
                    xOnC = c.addVm(xPort);
                    a.migrateOut(1, 2);
                }
                if (i == 200) {
                    a.flows().publish(hosts().flow(VNI, 17, w, X, FlowAction.encapToHost(2), FirewallPolicy.ALLOW_ALL)
                            .build());
                    a.endHairpin(VNI, X);
                }
                for (int k = 0; k < 3; k++) {
                    a.doWork();
                    c.doWork();
                }
                for (VirtioNic.Received rx; (rx = xOnA.receive()) != null; ) {
                    got.add(completedIfPending(rx));
                }
                if (xOnC != null) {
                    for (VirtioNic.Received rx; (rx = xOnC.receive()) != null; ) {
                        got.add(rx.frame());
                    }
                }
            }
            assertThat(a.counters().droppedTotal() + c.counters().droppedTotal()).as("%s / %s", a, c).isZero();
            assertThat(got).as("%s / %s", a, c).hasSize(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(sent.get(i));
            }
            assertThat(a.counters().hairpinned()).as("A hairpinned its own VM's packets").isBetween(95L, 105L);
        }
    }

    /**
     * A frame delivered on the same host may keep its partial checksum (virtio hands NEEDS_CSUM
     * on to the receiving guest): one whose UDP sum does not verify is completed here, as the
     * receiving stack would, so that it compares with the wire's frames.
     */
    private static byte[] completedIfPending(VirtioNic.Received rx) {
        byte[] f = rx.frame();
        boolean verifies = TwoHosts.fold(TwoHosts.sum(f, 34, f.length - 34)
                + (f[26] & 0xFF) * 256 + (f[27] & 0xFF) + (f[28] & 0xFF) * 256 + (f[29] & 0xFF)
                + (f[30] & 0xFF) * 256 + (f[31] & 0xFF) + (f[32] & 0xFF) * 256 + (f[33] & 0xFF)
                + 17 + f.length - 34) == 0xFFFF;
        return verifies ? f : TwoHosts.completed(f, false);
    }

    /**
     * A VM that comes back to its source host and leaves again before the first hairpin ended is
     * hairpinned to where it went last. (The hairpins were a list searched front to back: the
     * first, stale entry won, and the packets went to the host the VM had left.)
     */
    @Test
    void aVmThatLeavesTwiceIsHairpinnedToWhereItWentLast() {
        Random r = new Random(2020);
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host b = new Host("b", IP[1], MAC[1], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host c = new Host("c", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults())) {
            a.connect(sw.attach(IP[0]));
            b.connect(sw.attach(IP[1]));
            c.connect(sw.attach(IP[2]));
            VmPort xPort = new VmPort(1, VNI, X, 0x02_AA_00_00_00_05L);
            a.addVm(xPort);
            VirtioNic y = b.addVm(new VmPort(1, VNI, Y, 0x02_AA_00_00_00_06L));
            a.flows().publish(hosts().build());
            c.flows().publish(hosts().build());
            b.flows().publish(hosts().flow(VNI, 17, Y, X, FlowAction.encapToHost(0), FirewallPolicy.ALLOW_ALL).build());
            // x goes to C, comes back to A (C's NIC still plugged), then goes to B; B's VM y still sends to A.
            VirtioNic xOnC = c.addVm(xPort);
            a.migrateOut(1, 2);
            a.addVm(xPort);
            VirtioNic xOnB = b.addVm(new VmPort(2, VNI, X, 0x02_AA_00_00_00_05L));
            a.migrateOut(1, 1);
            byte[] f = TwoHosts.guestFrame(r, Y, X, false, 200);
            int[] csum = TwoHosts.csumRequest(false);
            assertThat(y.send(f, csum[0], csum[1])).isTrue();
            for (int k = 0; k < 5; k++) { // in memory and synchronous: the frame has arrived after these turns
                b.doWork();
                a.doWork();
                b.doWork();
                c.doWork();
            }
            VirtioNic.Received onB = xOnB.receive();
            assertThat(onB).as("x's frame at B, where x went last (%s / %s / %s)", a, b, c).isNotNull();
            assertThat(onB.frame()).isEqualTo(TwoHosts.completed(f, false));
            assertThat(xOnC.receive()).as("nothing at C, which x left").isNull();
            assertThat(a.counters().hairpinned()).isEqualTo(1);
        }
    }
}
