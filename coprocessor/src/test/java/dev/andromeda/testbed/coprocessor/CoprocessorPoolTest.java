package dev.andromeda.testbed.coprocessor;

import dev.andromeda.testbed.coprocessor.flow.FlowResolver;
import dev.andromeda.testbed.coprocessor.ring.DropReason;
import dev.andromeda.testbed.coprocessor.ring.Verdict;
import dev.andromeda.testbed.coprocessor.ring.WorkItem;
import dev.andromeda.testbed.coprocessor.ring.WorkKind;
import dev.andromeda.testbed.coprocessor.ring.WorkRing;
import dev.andromeda.testbed.coprocessor.sched.CpuClock;
import dev.andromeda.testbed.coprocessor.sched.VmCounters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The pool with real worker threads. */
class CoprocessorPoolTest {
    private static final int VMS = 3;
    private static final int PER_VM = 100_000;

    private static long actionFor(int vm, int seq) {
        return ((long) vm << 32) | seq;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void processesEveryOfferedItemExactlyOnceOrCountsItAsDropped() throws Exception {
        Seeds.reportingSeed(seed -> {
            AtomicIntegerArray resolved = new AtomicIntegerArray(VMS * PER_VM);
            FlowResolver resolver = (vm, vni, src, dst, sport, dport, proto) -> {
                int seq = src; // the test puts the sequence number in srcIp
                resolved.incrementAndGet(vm * PER_VM + seq);
                return actionFor(vm, seq);
            };
            List<VmConfig> configs = new ArrayList<>();
            for (int vm = 0; vm < VMS; vm++) {
                configs.add(VmConfig.defaults(vm).withRingCapacity(32).withFlowMissLimit(TokenLimit.HUGE, 1L << 32));
            }
            try (var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(2).withSliceBudget(16)
                    .withFlowResolver(resolver), configs)) {
                pool.start();
                List<Thread> producers = new ArrayList<>();
                AtomicReference<Throwable> failure = new AtomicReference<>();
                int[][] returned = new int[VMS][PER_VM];
                boolean[][] dropped = new boolean[VMS][PER_VM];
                long[] drops = new long[VMS];
                for (int vm = 0; vm < VMS; vm++) {
                    int v = vm;
                    long producerSeed = seed + vm;
                    producers.add(Thread.ofPlatform().name("fastpath-" + vm).start(() -> {
                        try {
                            drops[v] = produce(pool.vm(v).egress(), v, returned[v], dropped[v], producerSeed);
                        } catch (Throwable t) {
                            failure.set(t);
                        }
                    }));
                }
                for (Thread t : producers) {
                    t.join(TimeUnit.SECONDS.toMillis(50));
                    assertThat(t.isAlive()).as("producer %s finished in time", t.getName()).isFalse();
                }
                assertThat(failure.get()).isNull();

                for (int vm = 0; vm < VMS; vm++) {
                    long processed = 0;
                    for (int seq = 0; seq < PER_VM; seq++) {
                        int r = resolved.get(vm * PER_VM + seq);
                        if (dropped[vm][seq]) {
                            assertThat(r).as("vm %d seq %d dropped but resolved", vm, seq).isZero();
                            assertThat(returned[vm][seq]).isZero();
                        } else {
                            assertThat(r).as("vm %d seq %d resolved exactly once", vm, seq).isEqualTo(1);
                            assertThat(returned[vm][seq]).as("vm %d seq %d returned once", vm, seq).isEqualTo(1);
                            processed++;
                        }
                    }
                    VmCounters c = pool.vm(vm).counters();
                    assertThat(c.drops(DropReason.RING_FULL)).isEqualTo(drops[vm]);
                    assertThat(c.items()).isEqualTo(processed);
                    assertThat(c.passed()).isEqualTo(processed);
                    assertThat(processed + drops[vm]).isEqualTo(PER_VM);
                    assertThat(processed).as("vm %d got work done", vm).isPositive();
                    System.out.println("stress " + c + " ringFull=" + drops[vm] + " cpuClock=" + pool.cpuClockName());
                }
                assertThat(pool.workerErrors()).isZero();
            }
        });
    }

    /** Tag for readability of the config above. */
    private static final class TokenLimit {
        static final long HUGE = 1_000_000_000_000L;
    }

    /**
     * One VM's fast path: offers every sequence number once, counts what did not fit, takes results
     * back as it goes, and waits (bounded) for the last ones. Returns its RING_FULL count.
     */
    private static long produce(WorkRing ring, int vm, int[] returned, boolean[] dropped, long seed) {
        var random = new SplittableRandom(seed);
        long drops = 0;
        var onResult = (dev.andromeda.testbed.coprocessor.ring.ResultHandler) item -> {
            int seq = (int) item.cookie();
            if (item.verdict() != Verdict.PASS || item.action() != actionFor(vm, seq)) {
                throw new AssertionError("vm " + vm + " seq " + seq + ": " + item);
            }
            returned[seq]++;
        };
        for (int seq = 0; seq < PER_VM; seq++) {
            WorkItem item = ring.claim();
            if (item == null) {
                dropped[seq] = true;
                drops++;
            } else {
                ring.commit(item.packet(WorkKind.FLOW_MISS, seq, 0, 64).headers(vm, seq, 0, 0, 0, 17).cookie(seq));
            }
            ring.drainResults(onResult, 64);
            if (random.nextInt(64) == 0) {
                Thread.yield(); // vary the pressure: sometimes the ring drains, sometimes it overflows
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ring.outstanding() > 0 && System.nanoTime() < deadline) {
            if (ring.drainResults(onResult, 64) == 0) {
                Thread.yield();
            }
        }
        if (ring.outstanding() != 0) {
            throw new AssertionError("vm " + vm + ": " + ring.outstanding() + " items never came back");
        }
        return drops;
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void accountsNonZeroCpuTimeToEachVmThatHadWorkAndNoneToAnIdleVm() {
        FlowResolver busy = (vm, vni, src, dst, sport, dport, proto) -> {
            long x = src;
            for (int i = 0; i < 20_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
            return x;
        };
        List<VmConfig> configs = List.of(VmConfig.defaults(0), VmConfig.defaults(1), VmConfig.defaults(2));
        try (var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(2).withFlowResolver(busy), configs)) {
            pool.start();
            for (int vm = 0; vm < 2; vm++) {
                WorkRing ring = pool.vm(vm).egress();
                for (int i = 0; i < 100; i++) {
                    ring.commit(ring.claim().packet(WorkKind.FLOW_MISS, i, 0, 64).headers(0, i, 0, 0, 0, 17));
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int back = 0;
            while (back < 200 && System.nanoTime() < deadline) {
                back += pool.vm(0).egress().drainResults(item -> { }, 100);
                back += pool.vm(1).egress().drainResults(item -> { }, 100);
                Thread.onSpinWait();
            }
            assertThat(back).isEqualTo(200);
            // The counters are published after the slice's results; give the last slice a moment.
            while ((pool.vm(0).counters().items() < 100 || pool.vm(1).counters().items() < 100)
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            System.out.println("cpu accounting (" + pool.cpuClockName() + "): " + pool.vm(0).counters() + "; "
                    + pool.vm(1).counters() + "; " + pool.vm(2).counters());
            assertThat(pool.cpuClockName()).isIn(CpuClock.THREAD_CPU_TIME, CpuClock.WALL_FALLBACK);
            assertThat(pool.vm(0).counters().cpuNs()).isPositive();
            assertThat(pool.vm(1).counters().cpuNs()).isPositive();
            assertThat(pool.vm(2).counters().cpuNs()).isZero();
            assertThat(pool.vm(2).counters().slices()).isZero();
        }
    }

    @Test
    void stopsAndJoinsEveryWorkerThreadOnClose() {
        var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(3), List.of(VmConfig.defaults(0)));
        pool.start();
        List<Thread> threads = pool.threads();
        assertThat(threads).hasSize(3).allMatch(Thread::isAlive);
        assertThat(threads).extracting(Thread::getName)
                .containsExactly("coprocessor-0", "coprocessor-1", "coprocessor-2");
        pool.close();
        assertThat(threads).noneMatch(Thread::isAlive);
        pool.close(); // idempotent
    }

    @Test
    void leavesNoCoprocessorThreadsBehindAcrossManyStartsAndStops() {
        for (int i = 0; i < 20; i++) {
            try (var pool = new CoprocessorPool(PoolConfig.defaults().withWorkers(2), List.of(VmConfig.defaults(0)))) {
                pool.start();
            }
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(name -> name.startsWith("coprocessor-"));
    }
}
