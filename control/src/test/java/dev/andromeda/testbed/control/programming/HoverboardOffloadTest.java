package dev.andromeda.testbed.control.programming;

import dev.andromeda.testbed.fastpath.dataplane.Host;
import dev.andromeda.testbed.fastpath.dataplane.MemorySwitch;
import dev.andromeda.testbed.fastpath.dataplane.TwoHosts;
import dev.andromeda.testbed.fastpath.dataplane.VirtioNic;
import dev.andromeda.testbed.fastpath.dataplane.VmPort;
import dev.andromeda.testbed.fastpath.flow.FirewallPolicy;
import dev.andromeda.testbed.fastpath.flow.FlowAction;
import dev.andromeda.testbed.fastpath.flow.FlowTable;
import dev.andromeda.testbed.fastpath.flow.FlowTableBuilder;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.pipeline.StageMix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hoverboard offload on real dataplanes: host A's VMs send to host B's VM
 * through the hoverboard H (A holds only the default route). Each interval the
 * control side reads the usage A measured as the sender, feeds the
 * {@link OffloadPlanner} (20 kbps), and programs a direct A→B flow for what
 * is heavy; the heavy flow moves off the hoverboard, the light one stays, and
 * the share of traffic through the hoverboard falls.
 */
class HoverboardOffloadTest {
    static final int VNI = 100;
    static final int A1 = 0x0A000001;
    static final int A2 = 0x0A000002;
    static final int B1 = 0x0A000003;
    static final int[] IP = {0xC0A80001, 0xC0A80002, 0xC0A80003};
    static final long[] MAC = {0x02_00_00_00_00_0AL, 0x02_00_00_00_00_0BL, 0x02_00_00_00_00_0CL};

    private static FlowTableBuilder hostList() {
        FlowTableBuilder f = new FlowTableBuilder();
        for (int h = 0; h < 3; h++) {
            f.host(IP[h], MAC[h]);
        }
        return f;
    }

    @Test
    void aHeavyFlowMovesToADirectPathAndALightOneStaysOnTheHoverboard() {
        long[] clock = {0};
        OffloadPlanner planner = new OffloadPlanner(OffloadPlanner.DEFAULT_THRESHOLD_BPS, 2, () -> clock[0]);
        Random r = new Random(20);
        try (MemorySwitch sw = new MemorySwitch(1024, 16384);
             Host a = new Host("a", IP[0], MAC[0], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host b = new Host("b", IP[1], MAC[1], 1024, 4096, StageMix.software(), OffloadOptions.defaults());
             Host h = new Host("hoverboard", IP[2], MAC[2], 1024, 4096, StageMix.software(), OffloadOptions.defaults())) {
            a.connect(sw.attach(IP[0]));
            b.connect(sw.attach(IP[1]));
            h.connect(sw.attach(IP[2]));
            VirtioNic heavy = a.addVm(new VmPort(1, VNI, A1, 0x02_AA_01L));
            VirtioNic light = a.addVm(new VmPort(2, VNI, A2, 0x02_AA_02L));
            VirtioNic sink = b.addVm(new VmPort(1, VNI, B1, 0x02_BB_01L));
            // A: only the default route (hoverboard = host 2). H: one (VNI, destination) route per VM.
            a.flows().publish(hostList().hoverboards(2).build());
            h.flows().publish(hostList().flow(VNI, 0, 0, B1, FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL).build());
            b.flows().publish(hostList().build());

            List<Double> hoverboardShare = new ArrayList<>();
            long delivered = 0;
            long sent = 0;
            long forwardedBefore = 0;
            long lastHeavyBytes = 0;
            for (int interval = 0; interval < 6; interval++) {
                // One second of traffic: the heavy VM sends 100 frames of 1,000 bytes (800 kbps), the light one
                // 1 frame of 100 bytes (0.8 kbps).
                for (int k = 0; k < 100; k++) {
                    heavy.send(TwoHosts.guestFrame(r, A1, B1, false, 958));
                    sent++;
                    if (k == 0) {
                        light.send(TwoHosts.guestFrame(r, A2, B1, false, 58));
                        sent++;
                    }
                    if (k % 20 == 19) {
                        for (int t = 0; t < 3; t++) {
                            a.doWork();
                            h.doWork();
                            b.doWork();
                        }
                        delivered += TwoHosts.drain(sink).size();
                    }
                }
                clock[0] += 1_000_000_000L;
                // The sending host reports: default-routed flows, and the offload flows' own counters.
                a.defaultRouteUsage().drain((vni, proto, src, dst, bytes) -> planner.report(0, vni, proto, src, dst, bytes));
                FlowTable t = a.flowTable();
                int f = t.lookup(VNI, 17, A1, B1);
                if (f != FlowTable.MISS) {
                    planner.report(0, VNI, 17, A1, B1, t.bytes(f) - lastHeavyBytes);
                    lastHeavyBytes = t.bytes(f);
                }
                OffloadPlanner.Decisions d = planner.endInterval();
                if (!d.added().isEmpty() || !d.removed().isEmpty()) {
                    FlowTableBuilder next = hostList().hoverboards(2);
                    for (OffloadFlow o : planner.active()) {
                        next.flow(o.vni(), o.proto(), o.src(), o.dst(), FlowAction.encapToHost(1), FirewallPolicy.ALLOW_ALL);
                    }
                    a.flows().publish(next.build());
                }
                long forwarded = h.counters().hairpinned();
                hoverboardShare.add((forwarded - forwardedBefore) / 101.0);
                forwardedBefore = forwarded;
            }
            System.out.println("share of traffic through the hoverboard per interval: " + hoverboardShare);
            assertThat(delivered).as("%s / %s / %s", a, h, b).isEqualTo(sent);
            assertThat(planner.active()).containsExactly(new OffloadFlow(0, VNI, 17, A1, B1));
            assertThat(hoverboardShare.getFirst()).as("everything through the hoverboard at first").isEqualTo(1.0);
            assertThat(hoverboardShare.getLast()).as("only the light flow's 1 frame in 101 at the end")
                    .isEqualTo(1 / 101.0);
            assertThat(a.counters().droppedTotal() + h.counters().droppedTotal() + b.counters().droppedTotal()).isZero();
        }
    }
}
