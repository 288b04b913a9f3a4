package dev.andromeda.testbed.testkit.coverage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Functional coverage bins, summed across runs through their files. The oracle is a count kept
 * in the test: every sampled value checked against the bin ranges written out here, by hand.
 */
class CoverGroupTest {
    private static final long[][] RANGES = {{0, 0}, {1, 63}, {64, 1518}, {1519, 9216}};

    private static CoverGroup group() {
        CoverGroup g = new CoverGroup("packets");
        Coverpoint len = g.point("length");
        String[] names = {"empty", "small", "ethernet", "jumbo"};
        for (int i = 0; i < RANGES.length; i++) {
            len.range(names[i], RANGES[i][0], RANGES[i][1]);
        }
        g.point("insert").bin("no", 0).bin("yes", 1);
        return g;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void sumsEveryRunsFileIntoTheCountsOfOneRunOverAllSamples(long seed, @TempDir Path dir) {
        SplittableRandom r = new SplittableRandom(seed);
        int runs = 1 + r.nextInt(6);
        long[] want = new long[RANGES.length];
        long wantOutside = 0;
        long wantInsert = 0;
        long samples = 0;
        for (int k = 0; k < runs; k++) {
            CoverGroup g = group();
            int n = r.nextInt(200);
            for (int i = 0; i < n; i++) {
                long v = r.nextInt(12_000) - 100;   // some below 0 and above 9216: outside every bin
                boolean insert = r.nextBoolean();
                g.point("length").sample(v);
                g.point("insert").sample(insert);
                samples++;
                wantInsert += insert ? 1 : 0;
                boolean in = false;
                for (int b = 0; b < RANGES.length && !in; b++) {
                    if (v >= RANGES[b][0] && v <= RANGES[b][1]) {
                        want[b]++;
                        in = true;
                    }
                }
                wantOutside += in ? 0 : 1;
            }
            g.write(dir);
        }
        List<CoverGroup> merged = FunctionalCoverage.read(dir);
        assertEquals(1, merged.size(), "seed " + seed);
        Coverpoint len = merged.getFirst().point("length");
        for (int b = 0; b < RANGES.length; b++) {
            assertEquals(want[b], len.bins().get(b).hits(), "bin " + b + ", seed " + seed);
        }
        assertEquals(wantOutside, len.outside(), "outside, seed " + seed);
        Coverpoint ins = merged.getFirst().point("insert");
        assertEquals(wantInsert, ins.bins().get(1).hits(), "seed " + seed);
        assertEquals(samples - wantInsert, ins.bins().get(0).hits(), "seed " + seed);
    }

    @Test
    void writesANewFileForEveryRunAndNeverOverwrites(@TempDir Path dir) throws Exception {
        CoverGroup g = group();
        g.point("length").sample(100);
        Path a = g.write(dir);
        Path b = g.write(dir);
        assertTrue(!a.equals(b) && Files.exists(a) && Files.exists(b));
        assertEquals(2, FunctionalCoverage.read(dir).getFirst().point("length").bins().get(2).hits());
    }

    @Test
    void refusesToSumAPointWhoseBinsDifferBetweenRuns(@TempDir Path dir) {
        group().write(dir);
        CoverGroup other = new CoverGroup("packets");
        other.point("length").range("empty", 0, 0).range("small", 1, 127);
        other.write(dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FunctionalCoverage.read(dir));
        assertTrue(e.getMessage().contains("packets/length") && e.getMessage().contains("different bins"), e.getMessage());
    }

    @Test
    void keepsGroupsApartByNameAndRunLengthsSampleEachRunOnce() {
        CoverGroup a = new CoverGroup("a");
        RunLength stalls = new RunLength(a.point("stall").range("1", 1, 1).range("2+", 2, Long.MAX_VALUE));
        boolean[] cycles = {true, false, true, true, true, false, false, true};
        for (boolean c : cycles) {
            stalls.cycle(c);
        }
        stalls.end();
        List<Coverpoint.Bin> bins = a.point("stall").bins();
        assertEquals(2, bins.get(0).hits(), "runs of 1: the first and the last");
        assertEquals(1, bins.get(1).hits(), "the run of 3");
        List<CoverGroup> runs = new ArrayList<>(List.of(a, new CoverGroup("b")));
        assertEquals(List.of("a", "b"), FunctionalCoverage.merge(runs).stream().map(CoverGroup::name).toList());
    }
}
