package dev.andromeda.testbed.coprocessor.sched;

import dev.andromeda.testbed.coprocessor.CoprocessorPool;
import dev.andromeda.testbed.coprocessor.ManualClock;
import dev.andromeda.testbed.coprocessor.PoolConfig;
import dev.andromeda.testbed.coprocessor.Seeds;
import dev.andromeda.testbed.coprocessor.VmConfig;
import dev.andromeda.testbed.fastpath.agent.IdleStrategy;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler and a VM's service slice, driven one duty cycle at a time on the test thread. */
class SchedulerTest {
    private static final long SECOND = 1_000_000_000L;
    private final ManualClock clock = new ManualClock(SECOND);
    private final AtomicLong fakeCpu = new AtomicLong();
    private CoprocessorPool pool;

    /** One worker, slices of 4, fake clocks: the CPU clock moves 500 ns a read, so each slice costs exactly 500. */
    private CoprocessorPool pool(List<VmConfig> vms) {
        PoolConfig config = PoolConfig.defaults().withWorkers(1).withSliceBudget(4)
                .withClocks(clock, new CpuClock("fake", () -> fakeCpu.addAndGet(500)))
                .withFlowResolver((vm, vni, src, dst, sport, dport, proto) -> 1_000L * vm + dport);
        pool = new CoprocessorPool(new PoolConfig(config.workers(), config.sliceBudget(), config.nanoClock(),
                config.cpuClock(), () -> IdleStrategy.BUSY_SPIN, config.cryptoStages(), config.flowResolver()), vms);
        return pool;
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static List<VmConfig> vms(int n) {
        List<VmConfig> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(VmConfig.defaults(i).withRingCapacity(64).withFlowMissLimit(1_000_000_000L, 1_000_000));
        }
        return list;
    }

    private static int submitMisses(WorkRing ring, int n) {
        int sent = 0;
        for (int i = 0; i < n; i++) {
            WorkItem item = ring.claim();
            if (item == null) {
                break;
            }
            ring.commit(item.packet(WorkKind.FLOW_MISS, i, 0, 100).headers(1, 10, 20, 1000, i, 6).cookie(i));
            sent++;
        }
        return sent;
    }

    @Test
    void servesTheLeastRecentlyServedVmWithWorkFirst() {
        CoprocessorPool p = pool(vms(3));
        CoprocessorWorker worker = p.worker(0);
        WorkRing vm0 = p.vm(0).egress();
        WorkRing vm1 = p.vm(1).egress();
        WorkRing vm2 = p.vm(2).ingress();

        submitMisses(vm0, 64); // vm0 floods
        submitMisses(vm1, 1);
        submitMisses(vm2, 1);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            worker.doWork();
            order.add(worker.lastServedVm());
        }
        // Never served: VM order. Then only vm0 has work.
        assertThat(order).containsExactly(0, 1, 2, 0, 0);

        submitMisses(vm2, 1); // vm2 was served at tick 3, vm1 at tick 2, vm0 at tick 5
        submitMisses(vm1, 1);
        order.clear();
        for (int i = 0; i < 3; i++) {
            worker.doWork();
            order.add(worker.lastServedVm());
        }
        assertThat(order).containsExactly(1, 2, 0);
    }

    @Test
    void keepsServingQuietVmsWithinABoundWhileOneFloods() throws Exception {
        Seeds.reportingSeed(seed -> {
            var random = new SplittableRandom(seed);
            CoprocessorPool p = pool(vms(3));
            CoprocessorWorker worker = p.worker(0);
            long[] lastServed = new long[3];
            int[] waiting = new int[3]; // slices a VM with work has waited
            int[] pending = new int[3];
            long[] served = new long[3];
            for (int step = 1; step <= 3_000; step++) {
                // The "fast path": vm0 always keeps its ring full, the others send now and then.
                for (int vm = 0; vm < 3; vm++) {
                    WorkRing ring = p.vm(vm).egress();
                    ring.drainResults(item -> { }, Integer.MAX_VALUE);
                    int want = vm == 0 ? ring.freeItems() : (random.nextInt(4) == 0 ? random.nextInt(1, 6) : 0);
                    pending[vm] += submitMisses(ring, Math.min(want, ring.freeItems()));
                }
                // The model: the least recently served VM with pending work, ties by VM order.
                int expected = -1;
                for (int vm = 0; vm < 3; vm++) {
                    if (pending[vm] > 0 && (expected < 0 || lastServed[vm] < lastServed[expected])) {
                        expected = vm;
                    }
                }
                assertThat(worker.doWork()).isPositive();
                int actual = worker.lastServedVm();
                assertThat(actual).as("VM served at step %d", step).isEqualTo(expected);
                lastServed[actual] = step;
                served[actual]++;
                pending[actual] -= Math.min(4, pending[actual]);
                for (int vm = 0; vm < 3; vm++) {
                    waiting[vm] = vm == actual || pending[vm] == 0 ? 0 : waiting[vm] + 1;
                    assertThat(waiting[vm]).as("slices VM %d waited with work", vm).isLessThanOrEqualTo(2);
                }
            }
            assertThat(served[1]).isPositive();
            assertThat(served[2]).isPositive();
            assertThat(p.vm(0).counters().drops(DropReason.RING_FULL)).isZero();
        });
    }

    @Test
    void billsEachSliceCpuTimeToTheVmServed() {
        CoprocessorPool p = pool(vms(3));
        submitMisses(p.vm(0).egress(), 12); // 3 slices of 4
        submitMisses(p.vm(2).ingress(), 4); // 1 slice
        while (p.worker(0).doWork() > 0) {
            // serve everything
        }
        assertThat(p.vm(0).counters().slices()).isEqualTo(3);
        assertThat(p.vm(0).counters().cpuNs()).isEqualTo(3 * 500);
        assertThat(p.vm(1).counters().cpuNs()).isZero();
        assertThat(p.vm(2).counters().cpuNs()).isEqualTo(500);
        assertThat(p.vm(0).counters().items()).isEqualTo(12);
        assertThat(p.vm(0).counters().bytes()).isEqualTo(1_200);
        assertThat(p.vm(2).counters().items()).isEqualTo(4);
    }

    @Test
    void answersFlowMissesThroughTheResultRing() {
        CoprocessorPool p = pool(vms(2));
        WorkRing ring = p.vm(1).egress();
        submitMisses(ring, 3);
        p.worker(0).doWork();
        List<Long> actions = new ArrayList<>();
        ring.drainResults(item -> {
            assertThat(item.verdict()).isEqualTo(Verdict.PASS);
            actions.add(item.action());
        }, 10);
        assertThat(actions).containsExactly(1_000L, 1_001L, 1_002L);
    }

    @Test
    void rateLimitsFlowMissesPerVmSoOneTenantCannotFloodTheResolver() {
        List<VmConfig> configs = List.of(
                VmConfig.defaults(0).withRingCapacity(64).withFlowMissLimit(100, 10),
                VmConfig.defaults(1).withRingCapacity(64).withFlowMissLimit(100, 10));
        CoprocessorPool p = pool(configs);
        submitMisses(p.vm(0).egress(), 50); // the flooding tenant
        submitMisses(p.vm(1).egress(), 5);
        while (p.worker(0).doWork() > 0) {
            // serve everything
        }
        assertThat(p.vm(0).counters().passed()).isEqualTo(10);
        assertThat(p.vm(0).counters().drops(DropReason.FLOW_MISS_RATE_LIMITED)).isEqualTo(40);
        assertThat(p.vm(1).counters().passed()).isEqualTo(5);
        assertThat(p.vm(1).counters().drops(DropReason.FLOW_MISS_RATE_LIMITED)).isZero();
        p.vm(0).egress().drainResults(item -> { }, 100);

        clock.advance(SECOND / 10); // 10 more misses earned
        submitMisses(p.vm(0).egress(), 20);
        while (p.worker(0).doWork() > 0) {
            // serve everything
        }
        assertThat(p.vm(0).counters().passed()).isEqualTo(20);
        assertThat(p.vm(0).counters().drops(DropReason.FLOW_MISS_RATE_LIMITED)).isEqualTo(50);
    }

    @Test
    void runsInternetIngressThroughTheDosGuardThenTheAcl() {
        List<VmConfig> configs = List.of(VmConfig.defaults(0).withRingCapacity(64).withDos(10, 3, 16, 4)
                .withAcl(List.of(dev.andromeda.testbed.coprocessor.acl.AclRule.parse("allow in tcp 0.0.0.0/0 443")),
                        false));
        CoprocessorPool p = pool(configs);
        WorkRing ring = p.vm(0).ingress();
        for (int i = 0; i < 6; i++) { // one source: 3 within its burst, 3 over
            ring.commit(ring.claim().packet(WorkKind.INTERNET_INGRESS, i, 0, 60).headers(1, 0x08080808, 0x0a000001,
                    5555, i < 2 ? 443 : 22, 6));
        }
        while (p.worker(0).doWork() > 0) {
            // serve everything
        }
        List<String> outcomes = new ArrayList<>();
        ring.drainResults(item -> outcomes.add(item.verdict() + (item.dropReason() == null ? ""
                : " " + item.dropReason())), 10);
        assertThat(outcomes).containsExactly("PASS", "PASS", "DROP ACL_DENIED", "DROP DOS_RATE_EXCEEDED",
                "DROP DOS_RATE_EXCEEDED", "DROP DOS_RATE_EXCEEDED");
        assertThat(p.vm(0).counters().dropsByReason()).containsEntry(DropReason.ACL_DENIED, 1L)
                .containsEntry(DropReason.DOS_RATE_EXCEEDED, 3L);
    }

    @Test
    void releasesHeldWanPacketsWhenTheirBytesHaveAccrued() {
        List<VmConfig> configs = List.of(VmConfig.defaults(0).withRingCapacity(64).withWan(1_000, 1_000, 10));
        CoprocessorPool p = pool(configs);
        WorkRing ring = p.vm(0).egress();
        for (int i = 0; i < 3; i++) {
            ring.commit(ring.claim().packet(WorkKind.INTERNET_EGRESS, i, 0, 500).cookie(i));
        }
        assertThat(p.worker(0).doWork()).isEqualTo(3);
        assertThat(p.vm(0).shaperQueued()).isEqualTo(1);
        assertThat(p.worker(0).doWork()).as("nothing due yet").isZero();

        clock.advance(SECOND / 2);
        assertThat(p.vm(0).hasPendingWork(clock.getAsLong())).isTrue();
        assertThat(p.worker(0).doWork()).isEqualTo(1);
        List<Long> cookies = new ArrayList<>();
        ring.drainResults(item -> cookies.add(item.cookie()), 10);
        assertThat(cookies).containsExactly(0L, 1L, 2L);
        assertThat(p.vm(0).counters().passed()).isEqualTo(3);
    }

    @Test
    void refusesAnItemWithNoKindAndCountsIt() {
        CoprocessorPool p = pool(vms(1));
        WorkRing ring = p.vm(0).egress();
        ring.commit(ring.claim());
        p.worker(0).doWork();
        assertThat(p.vm(0).counters().drops(DropReason.MALFORMED_ITEM)).isEqualTo(1);
        assertThat(ring.drainResults(item -> { }, 10)).isEqualTo(1);
    }
}
