package dev.andromeda.testbed.tb.cosim;

import dev.andromeda.testbed.fastpath.offload.ChecksumBatch;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffload;
import dev.andromeda.testbed.fastpath.offload.ChecksumOffloadProvider;
import dev.andromeda.testbed.fastpath.offload.OffloadOptions;
import dev.andromeda.testbed.fastpath.offload.Offloads;
import dev.andromeda.testbed.fastpath.offload.Stage;

import dev.andromeda.testbed.testkit.coverage.CoverGroup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** csum_offload: random packets 0..9,216 bytes, random start, insert and seed. */
public final class ChecksumCosim implements CosimCase {

    @Override
    public Stage stage() {
        return Stage.CHECKSUM;
    }

    @Override
    public CoverGroup newCoverGroup() {
        CoverGroup g = new CoverGroup("csum_offload jobs");
        g.point("packet length").bin("0", 0).range("1-63", 1, 63).range("64-1518", 64, 1518)
                .range("1519-9216", 1519, ChecksumBatch.MAX_LENGTH);
        g.point("odd length").bin("even", 0).bin("odd", 1);
        g.point("start").bin("0", 0).range("1-13", 1, 13).range("14-63", 14, 63).range("64+", 64, Long.MAX_VALUE);
        g.point("insert").bin("no", 0).bin("yes", 1);
        return g;
    }

    @Override
    public CosimOutcome run(String impl, long seed, int jobs, OffloadOptions options, CoverGroup cover) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] len = new int[jobs];
        long total = 0;
        for (int i = 0; i < jobs; i++) {
            len[i] = r.nextInt(8) == 0 ? r.nextInt(ChecksumBatch.MAX_LENGTH + 1) : r.nextInt(1600);
            total += len[i];
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment expected = arena.allocate(Math.max(total, 1), 64);
            for (long i = 0; i < total; i++) {
                expected.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) r.nextInt(256));
            }
            MemorySegment actual = arena.allocate(Math.max(total, 1), 64);
            actual.copyFrom(expected);
            try (ChecksumBatch want = new ChecksumBatch(jobs, expected);
                 ChecksumBatch got = new ChecksumBatch(jobs, actual);
                 ChecksumOffload oracle = Offloads.openChecksum("sw", OffloadOptions.defaults());
                 ChecksumOffload dut = Offloads.open(ChecksumOffloadProvider.class, impl, options)) {
                long at = 0;
                for (int i = 0; i < jobs; i++) {
                    int start = r.nextInt(len[i] + 1);
                    int insert = len[i] >= 2 && r.nextBoolean() ? r.nextInt(len[i] - 1) : -1;
                    int s = r.nextInt(0x10000);
                    want.add(at, len[i], start, insert, s);
                    cover.point("packet length").sample(len[i]);
                    cover.point("odd length").sample(len[i] % 2 == 1);
                    cover.point("start").sample(start);
                    cover.point("insert").sample(insert >= 0);
                    got.add(at, len[i], start, insert, s);
                    at += len[i];
                }
                oracle.process(want);
                dut.process(got);
                int mismatches = 0;
                String first = null;
                for (int i = 0; i < jobs; i++) {
                    String why = null;
                    if (got.status(i) != want.status(i)) {
                        why = "status " + got.status(i) + ", expected " + want.status(i);
                    } else if (got.csum(i) != want.csum(i)) {
                        why = String.format("csum 0x%04x, expected 0x%04x", got.csum(i), want.csum(i));
                    } else if (Compare.firstDifference(actual, expected, want.bufferOffset(i), len[i]) >= 0) {
                        why = "packet byte " + Compare.firstDifference(actual, expected, want.bufferOffset(i), len[i])
                                + " differs";
                    }
                    if (why != null) {
                        mismatches++;
                        if (first == null) {
                            first = "job " + i + " (" + len[i] + " bytes): " + why;
                        }
                    }
                }
                return new CosimOutcome(jobs, mismatches, dut.counters().hwCycles(), dut.counters().simWallNs(), first);
            }
        }
    }
}
