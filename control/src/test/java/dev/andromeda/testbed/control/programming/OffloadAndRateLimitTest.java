package dev.andromeda.testbed.control.programming;

import static org.assertj.core.api.Assertions.assertThat;

import dev.andromeda.testbed.control.model.NetworkState;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OffloadAndRateLimitTest {
    static final int NET = 0x0A000000;
    static final long SECOND = 1_000_000_000L;

    @Test
    void aFlowAbove20KbpsGetsADirectFlowOnItsSenderAndLosesItWhenIdle() {
        NetworkState s = SmallNetworkFlowsTest.state();
        AtomicLong clock = new AtomicLong(5 * SECOND);
        OffloadPlanner planner = new OffloadPlanner(clock::get);
        HoverboardModel model = new HoverboardModel(SmallNetworkFlowsTest.TCP, planner::active);
        OffloadFlow a1ToA3 = new OffloadFlow(1, 100, 6, NET + 1, NET + 3);

        planner.report(1, 100, 6, NET + 1, NET + 3, 2_000); // 16 kbps over 1 s: below
        clock.addAndGet(SECOND);
        assertThat(planner.endInterval().added()).isEmpty();
        assertThat(SmallNetworkFlowsTest.program(model, s).described(1)).hasSize(2);

        planner.report(1, 100, 6, NET + 1, NET + 3, 1_500);
        planner.report(1, 100, 6, NET + 1, NET + 3, 1_500); // 3000 B = 24 kbps
        clock.addAndGet(SECOND);
        OffloadPlanner.Decisions d = planner.endInterval();
        assertThat(d.bitsPerSecond().get(a1ToA3)).isEqualTo(24_000.0);
        assertThat(d.added()).containsExactly(a1ToA3);
        TableSink t = SmallNetworkFlowsTest.program(model, s);
        assertThat(t.described(1)).contains(SmallNetworkFlowsTest.f(100, 1, 3, "encap(host 2)")).hasSize(3);

        for (int i = 1; i <= OffloadPlanner.DEFAULT_IDLE_INTERVALS; i++) {
            planner.report(1, 100, 6, NET + 1, NET + 3, 100); // 800 b/s: idle
            clock.addAndGet(SECOND);
            OffloadPlanner.Decisions idle = planner.endInterval();
            if (i < OffloadPlanner.DEFAULT_IDLE_INTERVALS) {
                assertThat(idle.removed()).as("idle interval %d", i).isEmpty();
                assertThat(planner.active()).containsExactly(a1ToA3);
            } else {
                assertThat(idle.removed()).containsExactly(a1ToA3);
            }
        }
        assertThat(planner.active()).isEmpty();
        assertThat(SmallNetworkFlowsTest.program(model, s).described(1)).hasSize(2);
    }

    @Test
    void busyIntervalsResetTheIdleCount() {
        AtomicLong clock = new AtomicLong();
        OffloadPlanner planner = new OffloadPlanner(20_000, 2, clock::get);
        planner.report(1, 100, 6, NET + 1, NET + 3, 10_000); // 40 kbps over 2 s
        clock.addAndGet(2 * SECOND);
        assertThat(planner.endInterval().added()).hasSize(1);
        clock.addAndGet(SECOND);
        assertThat(planner.endInterval().removed()).isEmpty(); // idle 1
        planner.report(1, 100, 6, NET + 1, NET + 3, 5_000);
        clock.addAndGet(SECOND);
        assertThat(planner.endInterval().removed()).isEmpty(); // busy: reset
        clock.addAndGet(SECOND);
        assertThat(planner.endInterval().removed()).isEmpty(); // idle 1
        clock.addAndGet(SECOND);
        assertThat(planner.endInterval().removed()).hasSize(1); // idle 2
    }

    @Test
    void offloadsOfVmsThatMovedAreNotProgrammed() {
        NetworkState s = SmallNetworkFlowsTest.state()
                .apply(new dev.andromeda.testbed.control.model.NetworkChange.MoveVm(3, 1));
        HoverboardModel model = new HoverboardModel(SmallNetworkFlowsTest.TCP,
                () -> java.util.List.of(new OffloadFlow(1, 100, 6, NET + 1, NET + 3)));
        assertThat(SmallNetworkFlowsTest.program(model, s).described(1))
                .as("a3 is local now: delivered, not offloaded")
                .contains(SmallNetworkFlowsTest.f(100, 1, 3, "deliver(port 2)"))
                .doesNotContain(SmallNetworkFlowsTest.f(100, 1, 3, "encap(host 2)"));
    }

    @Test
    void onDemandMissesAreRateLimitedPerTenant() {
        NetworkState s = ScaleRun.network(400, 20, 50, 7, SmallNetworkFlowsTest.TCP);
        AtomicLong clock = new AtomicLong();
        OnDemandModel m = new OnDemandModel(SmallNetworkFlowsTest.TCP, 2, 5, clock::get); // 2/s, burst 5
        CountingSink sink = new CountingSink(19);
        int programmed = 0;
        int limited = 0;
        // Tenant 1 floods: every pair of its VMs.
        for (var src : s.vmsInNetwork(1)) {
            for (var dst : s.vmsInNetwork(1)) {
                if (src != dst) {
                    switch (m.resolveMiss(s, src.hostId(), 1, src.ipv4(), dst.ipv4(), sink)) {
                        case PROGRAMMED -> programmed++;
                        case RATE_LIMITED -> limited++;
                        default -> throw new AssertionError("unexpected");
                    }
                }
            }
        }
        assertThat(programmed).isEqualTo(5);
        assertThat(limited).isEqualTo(50 * 49 - 5);
        assertThat(m.rateLimited()).isEqualTo(limited);
        var a = s.vmsInNetwork(2).get(0);
        var b = s.vmsInNetwork(2).get(1);
        assertThat(m.resolveMiss(s, a.hostId(), 2, a.ipv4(), b.ipv4(), sink))
                .as("another tenant is not starved").isEqualTo(OnDemandModel.MissResult.PROGRAMMED);
        var x = s.vmsInNetwork(1).get(0);
        var y = s.vmsInNetwork(1).get(1);
        assertThat(m.resolveMiss(s, x.hostId(), 1, x.ipv4(), y.ipv4(), sink))
                .isEqualTo(OnDemandModel.MissResult.ALREADY_PROGRAMMED);
        var z = s.vmsInNetwork(1).get(49);
        clock.addAndGet(SECOND / 2 - 1);
        assertThat(m.resolveMiss(s, z.hostId(), 1, z.ipv4(), y.ipv4(), sink))
                .isEqualTo(OnDemandModel.MissResult.RATE_LIMITED);
        clock.addAndGet(1);
        assertThat(m.resolveMiss(s, z.hostId(), 1, z.ipv4(), y.ipv4(), sink))
                .as("half a second later, one token").isEqualTo(OnDemandModel.MissResult.PROGRAMMED);
        assertThat(sink.hostFlows()).isEqualTo(7);
    }
}
