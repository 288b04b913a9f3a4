package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.fastpath.offload.CopyBatch;
import dev.andromeda.testbed.fastpath.offload.CopyOffload;
import dev.andromeda.testbed.fastpath.offload.CopyOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import dev.andromeda.testbed.testkit.coverage.CoverGroup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

/**
 * dma_copy: random copies, 0..65,536 bytes, every source and destination
 * misalignment, into memory filled with random bytes -- so any byte written
 * outside a destination shows as a difference from the oracle's memory.
 */
public final class CopyCosim implements CosimCase {

    @Override
    public Stage stage() {
        return Stage.COPY;
    }

    @Override
    public CoverGroup newCoverGroup() {
        CoverGroup g = new CoverGroup("dma_copy jobs");
        g.point("length").bin("0", 0).range("1-63", 1, 63).range("64-1518", 64, 1518).range("1519-9216", 1519, 9216)
                .range("9217-64K", 9217, CopyBatch.MAX_LENGTH);
        g.point("src offset mod 64").bin("0", 0).range("1-7", 1, 7).range("8-63", 8, 63);
        g.point("dst offset mod 64").bin("0", 0).range("1-7", 1, 7).range("8-63", 8, 63);
        return g;
    }

    @Override
    public CosimOutcome run(String impl, long seed, int jobs, OffloadOptions options, CoverGroup cover) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] len = new int[jobs];
        long[] src = new long[jobs];
        long[] dst = new long[jobs];
        long at = 0;
        for (int i = 0; i < jobs; i++) {
            int pick = r.nextInt(16);
            len[i] = pick == 0 ? r.nextInt(CopyBatch.MAX_LENGTH + 1) : pick < 4 ? r.nextInt(9217) : r.nextInt(300);
            src[i] = at + r.nextInt(64);
            at = ((src[i] + len[i] + 63) & ~63L) + 64;
            dst[i] = at + 64 + r.nextInt(64);
            at = ((dst[i] + len[i] + 63) & ~63L) + 128;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(Math.max(at, 64), 64);
            for (long i = 0; i < expected.byteSize(); i++) {
                expected.set(ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
            }
            MemorySegment actual = arena.allocate(expected.byteSize(), 64);
            actual.copyFrom(expected);
            try (CopyBatch want = new CopyBatch(jobs, expected);
                 CopyBatch got = new CopyBatch(jobs, actual);
                 CopyOffload oracle = Offloads.open(CopyOffloadProvider.class, "sw", OffloadOptions.defaults());
                 CopyOffload dut = Offloads.open(CopyOffloadProvider.class, impl, options)) {
                for (int i = 0; i < jobs; i++) {
                    want.add(src[i], dst[i], len[i], i);
                    cover.point("length").sample(len[i]);
                    cover.point("src offset mod 64").sample(src[i] % 64);
                    cover.point("dst offset mod 64").sample(dst[i] % 64);
                    got.add(src[i], dst[i], len[i], i);
                }
                oracle.process(want);
                dut.process(got);
                int mismatches = 0;
                String first = null;
                for (int i = 0; i < jobs; i++) {
                    String why = null;
                    if (got.status(i) != want.status(i)) {
                        why = "status " + got.status(i) + ", expected " + want.status(i);
                    } else {
                        long d = Compare.firstDifference(actual, expected, dst[i], len[i]);
                        if (d >= 0) {
                            why = "destination byte " + d + " differs";
                        }
                    }
                    if (why != null) {
                        mismatches++;
                        if (first == null) {
                            first = "copy " + i + " (" + len[i] + " bytes, src%64=" + src[i] % 64 + ", dst%64="
                                    + dst[i] % 64 + "): " + why;
                        }
                    }
                }
                long stray = Compare.firstDifference(actual, expected);
                if (stray >= 0 && first == null) {
                    mismatches++;
                    first = "a byte outside every destination changed, at offset " + stray;
                }
                return new CosimOutcome(jobs, mismatches, dut.counters().hwCycles(), dut.counters().simWallNs(), first);
            }
        }
    }
}
