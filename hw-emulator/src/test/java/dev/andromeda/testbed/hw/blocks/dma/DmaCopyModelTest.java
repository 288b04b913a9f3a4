package dev.andromeda.testbed.hw.blocks.dma;

import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.kit.KitModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java cycle model of {@code dma_copy} ({@code emu}) against
 * {@link MemorySegment#copy} on a reference copy of memory: every source and
 * destination misalignment, lengths from 0 to 64 KiB, random back-pressure and
 * idle cycles, memory latencies from 0 to 100 cycles, bytes around each
 * destination untouched, completions in order; and the datasheet's timing
 * figures, in clock cycles (deterministic). The lockstep test (jni-bridge,
 * {@code DmaCopyLockstepTest}) shows the RTL equal to this model on every
 * output on every cycle.
 */
class DmaCopyModelTest {
    private static final byte SENTINEL = (byte) 0xA5;
    /** Bytes either side of every destination that must stay untouched. */
    private static final int GUARD = 64;

    private static KitModel emu() {
        KitModel model = new KitModel(new DmaCopyModule());
        model.reset(4);
        return model;
    }

    /** Memory laid out as a source area of random bytes and a destination area of sentinels. */
    private record Layout(MemorySegment memory, MemorySegment reference, DmaCopyDriver.Job[] jobs) {
    }

    /**
     * One slot per job in each area: GUARD bytes, up to 63 bytes of misalignment,
     * the copy, GUARD bytes. Slots start on 64-byte boundaries.
     */
    private static Layout layout(Arena arena, Random r, int[] lengths, int[] srcMis, int[] dstMis) {
        int n = lengths.length;
        long[] srcAt = new long[n];
        long[] dstAt = new long[n];
        long srcArea = 0;
        for (int i = 0; i < n; i++) {
            srcAt[i] = srcArea + GUARD + srcMis[i];
            srcArea += roundUp(GUARD + 64 + lengths[i] + GUARD, 64);
        }
        long dstArea = srcArea;
        for (int i = 0; i < n; i++) {
            dstAt[i] = dstArea + GUARD + dstMis[i];
            dstArea += roundUp(GUARD + 64 + lengths[i] + GUARD, 64);
        }
        MemorySegment memory = arena.allocate(dstArea, 64);
        byte[] noise = new byte[(int) srcArea];
        r.nextBytes(noise);
        MemorySegment.copy(noise, 0, memory, ValueLayout.JAVA_BYTE, 0, noise.length);
        memory.asSlice(srcArea).fill(SENTINEL);
        MemorySegment reference = arena.allocate(dstArea, 64);
        reference.copyFrom(memory);
        DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
        for (int i = 0; i < n; i++) {
            jobs[i] = new DmaCopyDriver.Job(srcAt[i], dstAt[i], lengths[i], r.nextInt(1 << 16));
            MemorySegment.copy(reference, srcAt[i], reference, dstAt[i], lengths[i]);
        }
        return new Layout(memory, reference, jobs);
    }

    private static long roundUp(long v, long to) {
        return (v + to - 1) / to * to;
    }

    /** The copies equal MemorySegment.copy's, nothing else changed, every completion ok. */
    private static void assertCopied(Layout l, DmaCopyDriver.Result res, String what) {
        long bytes = 0;
        for (int i = 0; i < l.jobs().length; i++) {
            DmaCopyDriver.Job j = l.jobs()[i];
            bytes += j.length();
            assertThat(res.status()[i]).as("%s: status of job %d", what, i).isZero();
            for (long at = j.dst() - GUARD; at < j.dst(); at++) {
                assertThat(l.memory().get(ValueLayout.JAVA_BYTE, at)).as("%s: guard byte %d before job %d %s",
                        what, j.dst() - at, i, j).isEqualTo(SENTINEL);
            }
            for (long at = j.dst() + j.length(); at < j.dst() + j.length() + GUARD; at++) {
                assertThat(l.memory().get(ValueLayout.JAVA_BYTE, at)).as("%s: guard byte %d after job %d %s",
                        what, at - j.dst() - j.length(), i, j).isEqualTo(SENTINEL);
            }
        }
        long mismatch = l.memory().mismatch(l.reference());
        assertThat(mismatch).as("%s: first byte differing from MemorySegment.copy's result", what).isEqualTo(-1);
        assertThat(res.bytesWritten()).as("%s: bytes written", what).isEqualTo(bytes);
    }

    @ParameterizedTest(name = "length {0}: all 64 x 64 source/destination misalignments")
    @ValueSource(ints = {0, 1, 7, 8, 9, 63, 64, 65, 200})
    void copiesEveryMisalignmentOfSourceAndDestination(int length) {
        long seed = 1000 + length;
        Random r = new Random(seed);
        int n = 64 * 64;
        int[] lengths = new int[n];
        int[] srcMis = new int[n];
        int[] dstMis = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = length;
            srcMis[i] = i / 64;
            dstMis[i] = i % 64;
        }
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, r, lengths, srcMis, dstMis);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, 0.1, 0.1, 3, 16);
            assertCopied(l, res, "seed " + seed);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void copiesRandomLengthsUpTo9216UnderBackPressureAndIdleCycles(long seed) {
        Random r = new Random(seed);
        int n = 40;
        int[] lengths = new int[n];
        int[] srcMis = new int[n];
        int[] dstMis = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = r.nextInt(4) == 0 ? r.nextInt(17) : r.nextInt(9217);
            srcMis[i] = r.nextInt(64);
            dstMis[i] = r.nextInt(64);
        }
        int latency = new int[] {0, 1, 10, 100}[r.nextInt(4)];
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, r, lengths, srcMis, dstMis);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, 0.3, 0.3, latency,
                    1 + r.nextInt(16));
            assertCopied(l, res, "seed " + seed + ", latency " + latency);
        }
    }

    @Test
    void copiesUpTo64KiB() {
        long seed = 77;
        Random r = new Random(seed);
        int[] lengths = {65536, 65535, 65529, 40000, 0, 65536};
        int[] srcMis = {0, 3, 63, 17, 5, 9};
        int[] dstMis = {0, 60, 1, 17, 2, 0};
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, r, lengths, srcMis, dstMis);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, 0.2, 0.2, 37, 8);
            assertCopied(l, res, "seed " + seed);
        }
    }

    @ParameterizedTest(name = "memory latency {0}")
    @ValueSource(ints = {0, 1, 10, 100})
    void copiesAtEveryMemoryLatency(int latency) {
        for (double stall : new double[] {0, 0.25}) {
            long seed = 500 + latency + (stall > 0 ? 1 : 0);
            Random r = new Random(seed);
            int n = 30;
            int[] lengths = new int[n];
            int[] srcMis = new int[n];
            int[] dstMis = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = r.nextInt(4097);
                srcMis[i] = r.nextInt(64);
                dstMis[i] = r.nextInt(64);
            }
            try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
                Layout l = layout(arena, r, lengths, srcMis, dstMis);
                DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, stall, stall,
                        latency, 16);
                assertCopied(l, res, "seed " + seed + ", latency " + latency + ", stall " + stall);
                if (latency == 100 && stall == 0) {
                    assertThat(res.maxReadsInFlight()).as("seed %d: read bursts in flight", seed).isGreaterThan(3);
                }
            }
        }
    }

    /** One copy alone; returns the driver's result. */
    private static DmaCopyDriver.Result lone(int length, int srcMis, int dstMis, int latency) {
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, new Random(9), new int[] {length}, new int[] {srcMis}, new int[] {dstMis});
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), 9, 0, 0, latency, 16);
            assertCopied(l, res, "lone copy of " + length);
            return res;
        }
    }

    @Test
    void sustainsTheFullBusWidthOnA16KiBCopyWithLatency100() {
        DmaCopyDriver.Result aligned = lone(16384, 0, 0, 100);
        DmaCopyDriver.Result unaligned = lone(16384, 3, 5, 100);
        System.out.printf("dma_copy 16 KiB, memory latency 100, no stalls: aligned %d cycles (%.3f B/cycle), "
                        + "src+3/dst+5 %d cycles (%.3f B/cycle), read bursts in flight up to %d%n",
                aligned.cycles(), 16384.0 / aligned.cycles(), unaligned.cycles(), 16384.0 / unaligned.cycles(),
                aligned.maxReadsInFlight());
        // 2,048 beats at one a cycle, plus the memory latency and a few cycles of pipeline.
        assertThat(aligned.cycles()).as("cycles for an aligned 16 KiB copy").isEqualTo(2159);
        assertThat(16384.0 / aligned.cycles()).as("bytes per cycle").isGreaterThanOrEqualTo(7.5);
        assertThat(16384.0 / unaligned.cycles()).as("bytes per cycle, unaligned").isGreaterThanOrEqualTo(7.5);
        // Latency 100 at 32 beats a burst needs more than three bursts in flight.
        assertThat(aligned.maxReadsInFlight()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void streamsBackToBack4KiBCopiesAtNearlyTheFullBusWidth() {
        int n = 16;
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, 4096);
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, new Random(11), lengths, new int[n], new int[n]);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), 11, 0, 0, 100, 16);
            assertCopied(l, res, "seed 11");
            double rate = (double) n * 4096 / res.cycles();
            System.out.printf("dma_copy 16 x 4 KiB back to back, memory latency 100: %d cycles (%.3f B/cycle)%n",
                    res.cycles(), rate);
            assertThat(rate).as("bytes per cycle").isGreaterThanOrEqualTo(7.5);
        }
    }

    /** n back-to-back copies of one length, aligned, no stalls; returns cycles. */
    private static long stream(int n, int length, int latency, int wrespLatency) {
        int[] lengths = new int[n];
        java.util.Arrays.fill(lengths, length);
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            Layout l = layout(arena, new Random(13), lengths, new int[n], new int[n]);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), 13, 0, 0, latency, 16,
                    AxiMemory.Faults.none().writeResponseLatency(wrespLatency));
            assertCopied(l, res, n + " x " + length);
            return res.cycles();
        }
    }

    /** The datasheet's throughput table, measured (printed), its large-copy rows asserted. */
    @Test
    void datasheetThroughputTable() {
        int[][] rows = {{1, 16384}, {16, 4096}, {200, 4096}, {200, 1500}, {200, 256}, {200, 64}, {200, 8}};
        StringBuilder table = new StringBuilder("dma_copy throughput (write responses after 2 cycles):\n");
        for (int[] row : rows) {
            long l1 = stream(row[0], row[1], 1, 2);
            long l100 = stream(row[0], row[1], 100, 2);
            double bytes = (double) row[0] * row[1];
            table.append(String.format("  %d x %d B: latency 1: %d cycles (%.3f B/cycle), latency 100: %d cycles "
                    + "(%.3f B/cycle)%n", row[0], row[1], l1, bytes / l1, l100, bytes / l100));
            if (row[1] >= 4096) {
                assertThat(bytes / l100).as("%d x %d B at latency 100: bytes per cycle", row[0], row[1])
                        .isGreaterThanOrEqualTo(7.5);
            }
        }
        for (int wresp : new int[] {16, 30, 64, 100}) {
            long c = stream(1, 16384, 100, wresp);
            table.append(String.format("  1 x 16384 B, latency 100, write responses after %d cycles: %d cycles "
                    + "(%.3f B/cycle)%n", wresp, c, 16384.0 / c));
        }
        System.out.print(table);
    }

    @Test
    void loneCopyLatency() {
        long[] small = {lone(8, 0, 0, 1).latencyCycles()[0], lone(8, 0, 0, 100).latencyCycles()[0],
                lone(0, 0, 0, 100).latencyCycles()[0], lone(64, 1, 0, 1).latencyCycles()[0]};
        System.out.printf("dma_copy lone copy latency (descriptor offered -> completion taken): 8 B @ latency 1: %d, "
                + "8 B @ latency 100: %d, 0 B: %d, 64 B src+1 @ latency 1: %d cycles%n", small[0], small[1], small[2],
                small[3]);
        assertThat(small[1] - small[0]).as("memory latency adds one for one").isEqualTo(99);
        assertThat(small[2]).as("a zero-length descriptor just completes").isLessThanOrEqualTo(6);
    }

    @Test
    void theMemoryAnswersDecerrOutsideItsSegmentAndTheBlockReportsAReadError() {
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            MemorySegment memory = arena.allocate(4096, 64);
            DmaCopyDriver.Job[] jobs = {new DmaCopyDriver.Job(4000, 0, 200, 1), new DmaCopyDriver.Job(8, 1000, 20, 2)};
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(memory, jobs, 1, 0, 0, 1, 4);
            assertThat(res.status()).containsExactly(DmaCopyModule.STATUS_READ_ERROR, DmaCopyModule.STATUS_OK);
        }
    }

    @Test
    void theCompletionCheckerFailsACompletionThatOvertakesAWriteResponse() {
        try (Arena arena = Arena.ofConfined(); KitModel model = emu()) {
            AxiMemory mem = DmaCopyDriver.memory(model, arena.allocate(64, 8), 1, 1, 1, 0, 0, AxiMemory.Faults.none());
            mem.checkCompletion("nothing written", 0, 5);
            assertThatThrownBy(() -> mem.checkCompletion("copy 0", 1, 7))
                    .isInstanceOf(dev.andromeda.testbed.hw.driver.ProtocolViolation.class)
                    .hasMessageContaining("completed before the response to its last write");
        }
    }
}
