package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.driver.AxiMemory;
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
 * {@code dma_copy} simulated at more than one {@code DATA_WIDTH} -- 32 and 128 built with
 * {@code -G}, 64 the built-in model -- on both RTL bridges, against the default width's oracle:
 * a byte-by-byte copy on a heap image of the whole memory, so a byte written outside a
 * destination, or not written inside one, shows. Seeded random copies at every source and
 * destination misalignment within a beat, odd lengths, lengths around the beat, 16 KiB copies,
 * a bad descriptor and a copy whose read fails, under random idle cycles, back-pressure and
 * memory latency. The throughput rows of the datasheet's width table come from
 * {@link #copiesAtTheBusWidth}.
 */
class DmaCopyWidthTest {

    private static HardwareModel open(String backend, int width) {
        HardwareModel m = width == 64 ? ParameterizedModels.open(backend, DmaCopyModule.BLOCK)
                : ParameterizedModels.open(backend, DmaCopyModule.BLOCK, "DATA_WIDTH=" + width);
        assertThat(m.ports().get(m.port("m_wr_data")).width()).as("the model's m_wr_data").isEqualTo(width);
        return m;
    }

    /** Lays the copies out apart from one another, each source and destination at its misalignment. */
    private static DmaCopyDriver.Job[] layout(int[][] specs) {
        DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[specs.length];
        long at = 64;
        for (int i = 0; i < specs.length; i++) {
            int len = specs[i][0];
            long copied = Math.min(len, 4 * 65536);
            long src = at + specs[i][1];
            at = ((src + copied + 63) & ~63L) + 64;
            long dst = at + specs[i][2];
            at = ((dst + copied + 63) & ~63L) + 128;
            jobs[i] = new DmaCopyDriver.Job(src, dst, len, 0x100 + i);
        }
        return jobs;
    }

    private static long end(DmaCopyDriver.Job[] jobs) {
        long end = 0;
        for (DmaCopyDriver.Job j : jobs) {
            end = Math.max(end, Math.max(j.src(), j.dst()) + Math.min(j.length(), 4 * 65536));
        }
        return end + 256;
    }

    @ParameterizedTest(name = "{0}, DATA_WIDTH {1}, seed {2}")
    @CsvSource({
        "rtl-ffm, 32, 321", "rtl-jni, 32, 322",
        "rtl-ffm, 64, 641", "rtl-jni, 64, 642",
        "rtl-ffm, 128, 1281", "rtl-jni, 128, 1282"})
    void copiesByteForByteAtEveryWidth(String backend, int width, long seed) {
        int beat = width / 8;
        Random r = new Random(seed);
        List<int[]> specs = new ArrayList<>();
        // Every source and destination lane of a beat, short and odd lengths around the beat.
        for (int s = 0; s < beat; s++) {
            int d = r.nextInt(beat);
            int[] lens = {1, beat - 1, beat, beat + 1, 2 * beat + 3, 1 + r.nextInt(5 * beat)};
            specs.add(new int[] {lens[r.nextInt(lens.length)], s, d});
            specs.add(new int[] {1 + 2 * r.nextInt(700), d, s});   // odd
        }
        for (int i = 0; i < 12; i++) {
            specs.add(new int[] {r.nextInt(3000), r.nextInt(64), r.nextInt(64)});
        }
        specs.add(new int[] {0, 3, 5});
        specs.add(new int[] {16384, 0, 0});
        specs.add(new int[] {16384 - 1, r.nextInt(beat), r.nextInt(beat)});
        int bad = specs.size();
        specs.add(new int[] {DmaCopyModule.DEFAULT_MAX_LEN + 1, 1, 2});   // refused: BAD_DESCRIPTOR
        int failing = specs.size();
        specs.add(new int[] {1000 + r.nextInt(500), r.nextInt(beat), r.nextInt(beat)});
        specs.add(new int[] {777, 5, 2});
        DmaCopyDriver.Job[] jobs = layout(specs.toArray(int[][]::new));
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open(backend, width)) {
            MemorySegment memory = arena.allocate(end(jobs), 64);
            byte[] before = new byte[(int) memory.byteSize()];
            r.nextBytes(before);
            MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
            // A read of the failing copy's source answers SLVERR, in the middle of the copy.
            DmaCopyDriver.Job f = jobs[failing];
            long failAt = f.src() + f.length() / 2;
            AxiMemory.Faults faults = AxiMemory.Faults.none().failReads(failAt, failAt + 1);

            DmaCopyDriver driver = new DmaCopyDriver(model);
            assertThat(driver.beatBytes()).isEqualTo(beat);
            DmaCopyDriver.Result res = driver.run(memory, jobs, seed, 0.2, 0.3, 1 + r.nextInt(40), 8, faults);

            String tag = backend + " DATA_WIDTH " + width + " seed " + seed;
            byte[] image = before.clone();
            boolean[] inDst = new boolean[before.length];
            for (int i = 0; i < jobs.length; i++) {
                DmaCopyDriver.Job j = jobs[i];
                int want = i == bad ? DmaCopyModule.STATUS_BAD_DESCRIPTOR
                        : i == failing ? DmaCopyModule.STATUS_READ_ERROR : DmaCopyModule.STATUS_OK;
                assertThat(res.status()[i]).as("status of copy %d %s, %s", i, j, tag).isEqualTo(want);
                if (want == DmaCopyModule.STATUS_OK) {
                    for (int k = 0; k < j.length(); k++) {
                        image[(int) j.dst() + k] = before[(int) j.src() + k];
                        inDst[(int) j.dst() + k] = true;
                    }
                }
            }
            byte[] after = memory.toArray(ValueLayout.JAVA_BYTE);
            for (int at = 0; at < after.length; at++) {
                if (at >= f.dst() && at < f.dst() + f.length()) {
                    // The failed copy: a byte is either as it was or the source's (writes up to the failing beat).
                    byte src = before[(int) (at - f.dst() + f.src())];
                    assertThat(after[at] == before[at] || after[at] == src)
                            .as("byte %d of the failed copy, %s", at, tag).isTrue();
                } else if (after[at] != image[at]) {
                    assertThat(after[at]).as("byte %d (%s a destination), %s", at, inDst[at] ? "in" : "outside",
                            tag).isEqualTo(image[at]);
                }
            }
            // No byte of the failing source beat or after it was written (strobes 0 from its error on).
            long firstUnwritten = f.dst() + ((failAt & ~(long) (beat - 1)) - f.src());
            for (long at = firstUnwritten; at < f.dst() + f.length(); at++) {
                assertThat(after[(int) at]).as("byte %d past the failed read, %s", at, tag)
                        .isEqualTo(before[(int) at]);
            }
        }
    }

    /**
     * No idle cycles, no back-pressure, up to 16 read bursts in flight, write responses after 2
     * cycles: the datasheet's workloads at each width. Cycle counts (deterministic), not wall time.
     */
    @ParameterizedTest(name = "{0}, DATA_WIDTH {1}, {2} x {3} B, latency {4}")
    @CsvSource({
        "rtl-ffm, 32, 1, 16384, 100", "rtl-ffm, 32, 200, 4096, 1", "rtl-ffm, 32, 200, 4096, 100",
        "rtl-ffm, 32, 200, 1500, 100", "rtl-ffm, 32, 200, 64, 100", "rtl-jni, 32, 200, 1500, 100",
        "rtl-ffm, 64, 1, 16384, 100", "rtl-ffm, 64, 200, 4096, 1", "rtl-ffm, 64, 200, 4096, 100",
        "rtl-ffm, 64, 200, 1500, 100", "rtl-ffm, 64, 200, 64, 100", "rtl-jni, 64, 200, 1500, 100",
        "rtl-ffm, 128, 1, 16384, 100", "rtl-ffm, 128, 200, 4096, 1", "rtl-ffm, 128, 200, 4096, 100",
        "rtl-ffm, 128, 200, 1500, 100", "rtl-ffm, 128, 200, 64, 100", "rtl-jni, 128, 200, 1500, 100"})
    void copiesAtTheBusWidth(String backend, int width, int copies, int length, int latency) {
        int beat = width / 8;
        long seed = 13L * width + length + copies + latency;
        int[][] specs = new int[copies][];
        for (int i = 0; i < copies; i++) {
            specs[i] = new int[] {length, 0, 0};
        }
        DmaCopyDriver.Job[] jobs = layout(specs);
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open(backend, width)) {
            MemorySegment memory = arena.allocate(end(jobs), 64);
            byte[] before = new byte[(int) memory.byteSize()];
            new Random(seed).nextBytes(before);
            MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(memory, jobs, seed, 0, 0, latency, 16);
            for (int i = 0; i < copies; i++) {
                DmaCopyDriver.Job j = jobs[i];
                assertThat(res.status()[i]).isEqualTo(DmaCopyModule.STATUS_OK);
                assertThat(memory.asSlice(j.dst(), length).toArray(ValueLayout.JAVA_BYTE))
                        .as("copy %d, %s DATA_WIDTH %d", i, backend, width)
                        .isEqualTo(java.util.Arrays.copyOfRange(before, (int) j.src(), (int) j.src() + length));
            }
            double bytesPerCycle = (double) copies * length / res.cycles();
            System.out.printf("dma_copy width | %s | DATA_WIDTH %d | %d x %d B | L %d | %d cycles | %.3f B/cycle"
                    + " | %.3f of the bus%n", backend, width, copies, length, latency, res.cycles(), bytesPerCycle,
                    bytesPerCycle / beat);
            if (length >= 4096) {
                // One destination beat a cycle once data flows, at every width.
                assertThat(bytesPerCycle / beat).as("share of the bus, %s DATA_WIDTH %d, %d x %d B at L %d",
                        backend, width, copies, length, latency).isGreaterThanOrEqualTo(copies == 1 ? 0.85 : 0.95);
            }
        }
    }
}
