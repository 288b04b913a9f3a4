package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The copy stage's contract, one test for every implementation. The oracle is
 * a byte-by-byte copy on a heap image of the whole memory, so any byte written
 * outside a destination -- or not written inside one -- shows.
 */
public abstract class CopyOffloadContract {
    private Arena arena;

    protected abstract String implementation();

    @BeforeEach
    void checkAvailable() {
        Backends.require(Offloads.provider(CopyOffloadProvider.class, implementation()));
        arena = Arena.ofConfined();
    }

    @AfterEach
    void release() {
        if (arena != null) {
            arena.close();
        }
    }

    private record Copy(long src, long dst, int length) {
    }

    /** Lays copies out 64-byte aligned plus the given misalignments, with gaps, in random memory. */
    private void runAndCheck(List<int[]> specs, OffloadOptions options, long seed) {
        Random r = new Random(seed);
        List<Copy> copies = new ArrayList<>();
        long at = 0;
        for (int[] s : specs) {
            long src = at + s[1];
            at = ((src + s[0] + 63) & ~63L) + 64;
            long dst = at + 64 + s[2];
            at = ((dst + s[0] + 63) & ~63L) + 128;
            copies.add(new Copy(src, dst, s[0]));
        }
        MemorySegment memory = arena.allocate(Math.max(at, 64), 64);
        byte[] image = new byte[(int) memory.byteSize()];
        r.nextBytes(image);
        MemorySegment.copy(image, 0, memory, ValueLayout.JAVA_BYTE, 0, image.length);
        for (Copy c : copies) {
            for (int k = 0; k < c.length(); k++) {
                image[(int) c.dst() + k] = image[(int) c.src() + k];
            }
        }
        try (CopyOffload stage = Offloads.open(CopyOffloadProvider.class, implementation(), options);
             CopyBatch batch = new CopyBatch(copies.size(), memory)) {
            for (int i = 0; i < copies.size(); i++) {
                batch.add(copies.get(i).src(), copies.get(i).dst(), copies.get(i).length(), i);
            }
            stage.process(batch);
            for (int i = 0; i < copies.size(); i++) {
                assertThat(batch.status(i)).as("%s seed %d copy %d %s", implementation(), seed, i, copies.get(i))
                        .isEqualTo(CopyBatch.STATUS_DONE);
            }
            byte[] got = memory.toArray(ValueLayout.JAVA_BYTE);
            long diff = MemorySegment.ofArray(got).mismatch(MemorySegment.ofArray(image));
            if (diff >= 0) {
                String where = "outside every copy";
                for (Copy c : copies) {
                    if (diff >= c.dst() - 64 && diff < c.dst() + c.length() + 64) {
                        where = c + ", destination byte " + (diff - c.dst());
                    }
                }
                assertThat(diff).as("%s seed %d: memory differs at %d (%s)", implementation(), seed, diff, where)
                        .isEqualTo(-1);
            }
        }
    }

    @Test
    void copiesAtEverySourceAndDestinationAlignment() {
        List<int[]> specs = new ArrayList<>();
        int[] lengths = {0, 1, 9, 64, 130};
        for (int s = 0; s < 64; s++) {
            for (int d = 0; d < 64; d++) {
                specs.add(new int[] {lengths[(s + d) % lengths.length], s, d});
            }
        }
        runAndCheck(specs, OffloadOptions.defaults().withMemory(10, 16), 64);
    }

    @Test
    void copiesEveryLengthTo9216AndSomeTo64KiB() {
        Random r = new Random(9216);
        List<int[]> specs = new ArrayList<>();
        for (int len = 0; len <= 9216; len += len < 140 ? 1 : 97) {
            specs.add(new int[] {len, r.nextInt(64), r.nextInt(64)});
        }
        for (int len : new int[] {9216, 16384, 32767, 65535, 65536}) {
            specs.add(new int[] {len, r.nextInt(64), r.nextInt(64)});
        }
        runAndCheck(specs, OffloadOptions.defaults(), 9216);
    }

    @ParameterizedTest(name = "latency {0}, reads in flight {1}, idle {2}, back-pressure {3}")
    @CsvSource({"0, 1, 0.0, 0.0", "1, 4, 0.3, 0.3", "10, 16, 0.0, 0.7", "100, 16, 0.5, 0.0", "300, 64, 0.2, 0.2"})
    void copiesUnderMemoryLatencyAndBusStalls(int latency, int inFlight, double idle, double backpressure) {
        long seed = 1000L + latency;
        Random r = new Random(seed);
        List<int[]> specs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            specs.add(new int[] {r.nextInt(5) == 0 ? r.nextInt(9217) : r.nextInt(300), r.nextInt(64), r.nextInt(64)});
        }
        runAndCheck(specs, OffloadOptions.defaults().withTraffic(seed, idle, backpressure).withMemory(latency, inFlight),
                seed);
    }

    @Test
    void rejectsInvalidDescriptorsAndCopiesTheRest() {
        MemorySegment memory = arena.allocate(8192, 64);
        for (int i = 0; i < 8192; i++) {
            memory.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        try (CopyOffload stage = Offloads.open(CopyOffloadProvider.class, implementation(), OffloadOptions.defaults());
             CopyBatch batch = new CopyBatch(8, memory)) {
            batch.add(0, 100, 200, 1);            // overlapping
            batch.add(-8, 0, 500, 2);             // negative source offset
            batch.add(0, 4096, 70000, 3);         // too long
            int ok = batch.add(1, 5003, 777, 4);
            batch.add(1L << 48, 0, 8, 5);         // past the 48-bit bus address space
            stage.process(batch);
            assertThat(batch.status(0)).isEqualTo(CopyBatch.STATUS_REJECTED);
            assertThat(batch.status(1)).isEqualTo(CopyBatch.STATUS_REJECTED);
            assertThat(batch.status(2)).isEqualTo(CopyBatch.STATUS_REJECTED);
            assertThat(batch.status(4)).isEqualTo(CopyBatch.STATUS_REJECTED);
            assertThat(batch.status(ok)).isEqualTo(CopyBatch.STATUS_DONE);
            for (int k = 0; k < 777; k++) {
                assertThat(memory.get(ValueLayout.JAVA_BYTE, 5003 + k)).as("byte %d", k).isEqualTo((byte) (1 + k));
            }
            assertThat(memory.get(ValueLayout.JAVA_BYTE, 5002)).isEqualTo((byte) 5002);
            assertThat(memory.get(ValueLayout.JAVA_BYTE, 5003 + 777)).isEqualTo((byte) (5003 + 777));
            assertThat(stage.counters().rejected()).isEqualTo(4);
        }
    }

    /**
     * Copies whose source or destination runs past the end of host memory: every implementation
     * reports a read error (source) or a write error (destination) in that copy's status, writes
     * nothing but old or source bytes into its destination and nothing anywhere else, and runs the
     * copies around it as usual. The oracle is the image of memory before the run.
     */
    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"61", "62", "63"})
    void reportsReadAndWriteErrorsPastTheEndOfMemoryAndRunsTheOtherCopies(long seed) {
        Random r = new Random(seed);
        int size = 32768;
        MemorySegment memory = arena.allocate(size, 64);
        byte[] before = new byte[size];
        r.nextBytes(before);
        MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, size);
        // Good copies in the first half (sources at 0.., destinations at 8192..), bad ones reaching past the end.
        List<long[]> copies = new ArrayList<>();   // {src, dst, length, expected status}
        long srcAt = 0;
        long dstAt = 8192;
        for (int i = 0; i < 12; i++) {
            int kind = i % 3;
            int len = 1 + r.nextInt(kind == 0 ? 1500 : 300);
            if (kind == 1) {         // source past the end; destination in the free third quarter
                long src = size - 1 - r.nextInt(Math.min(len, 200));
                copies.add(new long[] {src, 16384 + 64 + 400L * i + r.nextInt(8), len, CopyBatch.STATUS_READ_ERROR});
            } else {                 // in memory
                long src = srcAt + 64 + r.nextInt(64);
                srcAt = (src + len + 127) & ~63L;
                long dst = dstAt + 64 + r.nextInt(64);
                dstAt = (dst + len + 127) & ~63L;
                copies.add(new long[] {src, dst, len, CopyBatch.STATUS_DONE});
            }
        }
        // Destination past the end (last, as its destination overlaps the failing sources above).
        int len = 100 + r.nextInt(300);
        copies.add(new long[] {srcAt + 64 + r.nextInt(64), size - len + 1 + r.nextInt(50), len,
                CopyBatch.STATUS_WRITE_ERROR});
        copies.add(new long[] {size + 64, 100, 0, CopyBatch.STATUS_DONE}); // nothing to copy: done wherever it points
        try (CopyOffload stage = Offloads.open(CopyOffloadProvider.class, implementation(),
                OffloadOptions.defaults().withTraffic(seed, 0.2, 0.2).withMemory(30, 8));
             CopyBatch batch = new CopyBatch(copies.size(), memory)) {
            for (int i = 0; i < copies.size(); i++) {
                long[] c = copies.get(i);
                batch.add(c[0], c[1], (int) c[2], i);
            }
            stage.process(batch);
            byte[] after = memory.toArray(ValueLayout.JAVA_BYTE);
            boolean[] inDst = new boolean[size];
            for (int i = 0; i < copies.size(); i++) {
                long[] c = copies.get(i);
                assertThat(batch.status(i)).as("%s seed %d: status of copy %d {src %d, dst %d, len %d}",
                        implementation(), seed, i, c[0], c[1], c[2]).isEqualTo((int) c[3]);
                for (long k = 0; k < c[2] && c[1] + k < size; k++) {
                    int d = (int) (c[1] + k);
                    inDst[d] = true;
                    long s = c[0] + k;
                    boolean isSource = s < size && after[d] == before[(int) s];
                    if (c[3] == CopyBatch.STATUS_DONE) {
                        assertThat(isSource).as("%s seed %d: copy %d byte %d", implementation(), seed, i, k).isTrue();
                    } else {
                        assertThat(isSource || after[d] == before[d])
                                .as("%s seed %d: failed copy %d byte %d: old value or source byte", implementation(),
                                        seed, i, k).isTrue();
                    }
                }
            }
            for (int at = 0; at < size; at++) {
                if (!inDst[at]) {
                    assertThat(after[at]).as("%s seed %d: byte %d outside every destination", implementation(), seed,
                            at).isEqualTo(before[at]);
                }
            }
            assertThat(stage.counters().rejected()).as("errors are not refusals").isZero();
        }
    }
}
