package dev.andromeda.testbed.fastpath.dataplane;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-flow byte counts the control plane's offload decision reads, across drain intervals. */
class DefaultRouteUsageTest {
    private static final int VNI = 100;
    private static final int UDP = 17;
    /** As the host builds it: 4,096 slots, half of them usable in one interval. */
    private static final int CAPACITY = 4096;
    private static final int PER_INTERVAL = CAPACITY / 2;

    private static long key(int src, int dst) {
        return (long) src << 32 | (dst & 0xFFFFFFFFL);
    }

    /** One interval's reports, by flow; also checks every report is of the VNI and protocol sent. */
    private static Map<Long, Long> drain(DefaultRouteUsage u) {
        Map<Long, Long> got = new HashMap<>();
        u.drain((vni, proto, src, dst, bytes) -> {
            assertThat(vni).isEqualTo(VNI);
            assertThat(proto).isEqualTo(UDP);
            assertThat(got.put(key(src, dst), bytes)).as("flow reported twice in one drain").isNull();
        });
        return got;
    }

    @Test
    void newFlowsAreCountedAfterManyMoreDistinctFlowsThanTheTableHolds() {
        long seed = 0x5EED_11L;
        Random r = new Random(seed);
        DataplaneCounters counters = new DataplaneCounters();
        DefaultRouteUsage u = new DefaultRouteUsage(CAPACITY, counters);
        int src = 0x0A000001;
        int nextDst = 0x0A100000;
        // Five intervals of fresh flows, each interval within the table's capacity: 10,240
        // distinct flows in all, five times what the table holds at once.
        for (int interval = 0; interval < 5; interval++) {
            Map<Long, Long> sent = new HashMap<>();
            for (int f = 0; f < PER_INTERVAL; f++) {
                int dst = nextDst++;
                int packets = 1 + r.nextInt(3);
                for (int p = 0; p < packets; p++) {
                    int len = 64 + r.nextInt(1437);
                    u.count(VNI, UDP, src, dst, len);
                    sent.merge(key(src, dst), (long) len, Long::sum);
                }
            }
            Map<Long, Long> got = drain(u);
            // Size first: a table that stopped taking flows would otherwise print 2,048 entries.
            assertThat(got).as("seed %d, interval %d: flows reported of %d sent", seed, interval, sent.size())
                    .hasSameSizeAs(sent);
            assertThat(got).as("seed %d, interval %d", seed, interval).isEqualTo(sent);
        }
        // A new heavy flow, after all those went idle: counted in full, as the offload decision needs.
        int heavyDst = nextDst++;
        long heavyBytes = 0;
        for (int p = 0; p < 1000; p++) {
            u.count(VNI, UDP, src, heavyDst, 1500);
            heavyBytes += 1500;
        }
        assertThat(drain(u)).as("seed %d", seed).isEqualTo(Map.of(key(src, heavyDst), heavyBytes));
        assertThat(counters.defaultRouteUntracked()).as("seed %d", seed).isZero();
        assertThat(u.untracked()).isZero();
    }

    @Test
    void aFlowStillSendingIsCountedInEveryInterval() {
        DataplaneCounters counters = new DataplaneCounters();
        DefaultRouteUsage u = new DefaultRouteUsage(CAPACITY, counters);
        for (int interval = 0; interval < 3; interval++) {
            for (int p = 0; p < 10; p++) {
                u.count(VNI, UDP, 1, 2, 100);
            }
            assertThat(drain(u)).isEqualTo(Map.of(key(1, 2), 1000L));
        }
        assertThat(drain(u)).as("nothing sent since the last drain").isEmpty();
    }

    @Test
    void packetsOfFlowsBeyondOneIntervalsCapacityAreExportedAsUntracked() {
        DataplaneCounters counters = new DataplaneCounters();
        DefaultRouteUsage u = new DefaultRouteUsage(CAPACITY, counters);
        int extra = 300;
        for (int f = 0; f < PER_INTERVAL + extra; f++) {
            u.count(VNI, UDP, 1, 1000 + f, 64);
            u.count(VNI, UDP, 1, 1000 + f, 64);
        }
        assertThat(counters.defaultRouteUntracked()).isEqualTo(2L * extra);
        assertThat(u.untracked()).isEqualTo(2L * extra);
        assertThat(counters.toString()).contains("default route untracked " + 2 * extra);
        assertThat(drain(u)).hasSize(PER_INTERVAL);
        // The next interval has room again.
        u.count(VNI, UDP, 1, 1000 + PER_INTERVAL, 64);
        assertThat(drain(u)).isEqualTo(Map.of(key(1, 1000 + PER_INTERVAL), 64L));
        assertThat(counters.defaultRouteUntracked()).isEqualTo(2L * extra);
    }

    /** The same through a host's egress path: its VM sends over the default route only. */
    @Test
    void aHostStillMeasuresANewHeavyFlowAfterThousandsOfIdleOnes() {
        long seed = 0x5EED_12L;
        Random r = new Random(seed);
        int src = 0x0A000001;
        try (HostWithHoverboard net = new HostWithHoverboard(VNI, src)) {
            Host a = net.a;
            Host h = net.hoverboard;
            VirtioNic vm = net.vm;
            int nextDst = 0x0B000000;
            // Three intervals of 1,500 fresh flows each: 4,500 distinct flows, beyond the 2,048 the
            // table holds at once; then one new flow of 200 frames.
            for (int interval = 0; interval <= 3; interval++) {
                Map<Long, Long> sent = new HashMap<>();
                int flows = interval < 3 ? 1500 : 1;
                int framesEach = interval < 3 ? 1 : 200;
                for (int f = 0; f < flows; f++) {
                    int dst = nextDst++;
                    for (int k = 0; k < framesEach; k++) {
                        byte[] frame = TwoHosts.guestFrame(r, src, dst, false, 18 + r.nextInt(400));
                        assertThat(vm.send(frame)).as("seed %d: the VM's ring took the frame", seed).isTrue();
                        sent.merge(key(src, dst), (long) frame.length, Long::sum);
                        if (sent.size() % 32 == 0 || k % 32 == 31) {
                            a.doWork();
                            h.doWork();
                        }
                    }
                }
                for (int t = 0; t < 4; t++) {
                    a.doWork();
                    h.doWork();
                }
                Map<Long, Long> got = drain(a.defaultRouteUsage());
                assertThat(got).as("seed %d, interval %d: flows measured of %d sent", seed, interval, sent.size())
                        .hasSameSizeAs(sent);
                assertThat(got).as("seed %d, interval %d", seed, interval).isEqualTo(sent);
            }
            assertThat(a.counters().defaultRouteUntracked()).as("seed %d", seed).isZero();
        }
    }
}
