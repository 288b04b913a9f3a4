package dev.andromeda.testbed.hw.contract;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.driver.AxiMemory;
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
 * {@code dma_copy}'s error reporting, the same cases on every hardware backend ({@code emu},
 * {@code rtl-jni}, {@code rtl-ffm}), driven by {@link DmaCopyDriver} with the
 * {@link AxiMemory} (on the DMA port map) injecting SLVERR on chosen read and write ranges and answering writes
 * late. The driver's completion checker fails any run where a completion is taken before the
 * response to the last write of its copy; the driver's cycle limit fails any run that hangs.
 *
 * <p>Oracles, written apart from the block: which status each copy must end with follows from
 * the fault ranges alone (a read error when a source beat -- the source rounded out to 8-byte
 * beats -- touches a failing read range; else a write error when a destination byte lies in a
 * failing write range); the memory is compared with an image taken before the run: a copy that
 * succeeded equals its source byte for byte, a failed one holds in every byte its old value or
 * the source's (never poison, never a byte in a failing write range), and every byte outside the
 * destinations -- the guard bytes around each included -- is untouched.
 */
public abstract class DmaCopyFaultContract {
    private static final int GUARD = 64;

    /** The backend under test: emu, rtl-jni or rtl-ffm. */
    protected abstract String backend();

    private HardwareModel open() {
        return Backends.open(backend(), DmaCopyModule.BLOCK);
    }

    /** Jobs laid out in slots of their own (sources first, destinations after), GUARD bytes apart. */
    private record Layout(MemorySegment memory, byte[] before, DmaCopyDriver.Job[] jobs) {
    }

    private static Layout layout(Arena arena, Random r, int[] lengths) {
        int n = lengths.length;
        long[] src = new long[n];
        long[] dst = new long[n];
        long at = 0;
        for (int i = 0; i < n; i++) {
            int len = lengths[i] > DmaCopyModule.DEFAULT_MAX_LEN ? 9216 : lengths[i];
            src[i] = at + GUARD + r.nextInt(64);
            at = (src[i] + len + GUARD + 63) & ~63L;
        }
        for (int i = 0; i < n; i++) {
            int len = lengths[i] > DmaCopyModule.DEFAULT_MAX_LEN ? 9216 : lengths[i];
            dst[i] = at + GUARD + r.nextInt(64);
            at = (dst[i] + len + GUARD + 63) & ~63L;
        }
        MemorySegment memory = arena.allocate(at, 64);
        byte[] before = new byte[(int) at];
        r.nextBytes(before);
        MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
        DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
        for (int i = 0; i < n; i++) {
            jobs[i] = new DmaCopyDriver.Job(src[i], dst[i], lengths[i], r.nextInt(1 << 16));
        }
        return new Layout(memory, before, jobs);
    }

    private static boolean overlaps(long from, long to, List<long[]> ranges) {
        for (long[] g : ranges) {
            if (from < g[1] && g[0] < to) {
                return true;
            }
        }
        return false;
    }

    /** The status the oracle expects of a job, from the fault ranges alone. */
    private static int expectedStatus(DmaCopyDriver.Job j, List<long[]> readFails, List<long[]> writeFails) {
        if (j.length() > DmaCopyModule.DEFAULT_MAX_LEN) {
            return DmaCopyModule.STATUS_BAD_DESCRIPTOR;
        }
        if (j.length() == 0) {
            return DmaCopyModule.STATUS_OK;
        }
        long readFrom = j.src() & ~7L;
        long readTo = (j.src() + j.length() + 7) & ~7L;
        if (overlaps(readFrom, readTo, readFails)) {
            return DmaCopyModule.STATUS_READ_ERROR;
        }
        if (overlaps(j.dst(), j.dst() + j.length(), writeFails)) {
            return DmaCopyModule.STATUS_WRITE_ERROR;
        }
        return DmaCopyModule.STATUS_OK;
    }

    /** Checks statuses and memory against the oracles; returns a description of the first failure, or null. */
    private static void check(Layout l, DmaCopyDriver.Result res, int[] want, List<long[]> writeFails, String what) {
        byte[] after = l.memory().toArray(ValueLayout.JAVA_BYTE);
        boolean[] inDst = new boolean[after.length];
        for (int i = 0; i < l.jobs().length; i++) {
            DmaCopyDriver.Job j = l.jobs()[i];
            assertThat(res.status()[i]).as("%s: status of job %d %s", what, i, j).isEqualTo(want[i]);
            if (want[i] == DmaCopyModule.STATUS_BAD_DESCRIPTOR) {
                continue; // nothing may be written: the untouched check below covers its destination
            }
            for (int k = 0; k < j.length(); k++) {
                int d = (int) j.dst() + k;
                inDst[d] = true;
                byte source = l.before()[(int) j.src() + k];
                if (want[i] == DmaCopyModule.STATUS_OK) {
                    assertThat(after[d]).as("%s: job %d %s, destination byte %d", what, i, j, k).isEqualTo(source);
                } else {
                    assertThat(after[d] == source || after[d] == l.before()[d])
                            .as("%s: job %d %s (status %d), destination byte %d is neither its old value %d nor "
                                    + "the source's %d but %d", what, i, j, want[i], k, l.before()[d], source, after[d])
                            .isTrue();
                    if (overlaps(d, d + 1, writeFails)) {
                        assertThat(after[d]).as("%s: job %d, byte %d in a failing write range", what, i, k)
                                .isEqualTo(l.before()[d]);
                    }
                }
            }
        }
        for (int at = 0; at < after.length; at++) {
            if (!inDst[at] && after[at] != l.before()[at]) {
                assertThat(at).as("%s: byte %d outside every destination changed", what, at).isEqualTo(-1);
            }
        }
    }

    @ParameterizedTest(name = "seed {0}: read latency {1}, write-response latency {2}, stall {3}")
    @CsvSource({"11, 1, 1, 0.0", "12, 100, 2, 0.0", "13, 10, 40, 0.25", "14, 0, 0, 0.4", "15, 37, 100, 0.1"})
    void readAndWriteErrorsAreReportedInTheirCopysStatusAndTheNextCopyRuns(long seed, int latency, int wrespLatency,
                                                                        double stall) {
        Random r = new Random(seed);
        int n = 48;
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(17);
                case 1 -> r.nextInt(9217);
                default -> 1 + r.nextInt(600);
            };
        }
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            Layout l = layout(arena, r, lengths);
            List<long[]> readFails = new ArrayList<>();
            List<long[]> writeFails = new ArrayList<>();
            AxiMemory.Faults faults = AxiMemory.Faults.none().writeResponseLatency(wrespLatency);
            for (int i = 0; i < n; i++) {
                DmaCopyDriver.Job j = l.jobs()[i];
                int kind = r.nextInt(5);
                if (j.length() == 0 || kind >= 3) {
                    continue; // about 40 % of the copies see no fault at all
                }
                if (kind == 0 || kind == 2) {
                    // Inside the source, or (half the time) in the bytes of its first beat just before it.
                    long from = r.nextBoolean() || (j.src() & 7) == 0
                            ? j.src() + r.nextInt(j.length()) : (j.src() & ~7L) + r.nextInt((int) (j.src() & 7));
                    long[] g = {from, from + 1 + r.nextInt(24)};
                    readFails.add(g);
                    faults.failReads(g[0], g[1]);
                }
                if (kind == 1 || kind == 2) {
                    long from = j.dst() + r.nextInt(j.length());
                    long[] g = {from, Math.min(from + 1 + r.nextInt(24), j.dst() + j.length())};
                    writeFails.add(g);
                    faults.failWrites(g[0], g[1]);
                }
            }
            // A failing write range just past a destination, in its last beat: strobes keep it untouched, and ok.
            DmaCopyDriver.Job last = l.jobs()[n - 1];
            long end = last.dst() + last.length();
            if ((end & 7) != 0) {
                faults.failWrites(end, (end + 8) & ~7L);
                writeFails.add(new long[] {end, (end + 8) & ~7L});
            }
            int[] want = new int[n];
            int errors = 0;
            for (int i = 0; i < n; i++) {
                want[i] = expectedStatus(l.jobs()[i], readFails, writeFails);
                errors += want[i] != DmaCopyModule.STATUS_OK ? 1 : 0;
            }
            assertThat(errors).as("seed %d: the test injects errors", seed).isGreaterThan(n / 4);
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, stall, stall, latency,
                    1 + r.nextInt(16), faults);
            check(l, res, want, writeFails, backend() + " seed " + seed);
        }
    }

    @Test
    void aCopyWhoseEveryReadFailsWritesNothingAndTakesNoLongerThanOneThatSucceeds() {
        long seed = 21;
        int[] lengths = {65536, 777, 65536, 64};
        long[] cycles = new long[2];
        for (int pass = 0; pass < 2; pass++) {
            try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
                Layout l = layout(arena, new Random(seed), lengths);
                List<long[]> readFails = new ArrayList<>();
                AxiMemory.Faults faults = AxiMemory.Faults.none();
                if (pass == 1) {
                    DmaCopyDriver.Job j = l.jobs()[0];
                    readFails.add(new long[] {j.src() & ~7L, j.src() + j.length() + 8});
                    faults.failReads(j.src() & ~7L, j.src() + j.length() + 8);
                }
                int[] want = new int[lengths.length];
                for (int i = 0; i < want.length; i++) {
                    want[i] = expectedStatus(l.jobs()[i], readFails, List.of());
                }
                DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), seed, 0, 0, 100, 16,
                        faults);
                check(l, res, want, List.of(), backend() + " pass " + pass);
                cycles[pass] = res.cycles();
                if (pass == 1) {
                    assertThat(res.bytesWritten()).as("bytes written: only the three copies that succeed")
                            .isEqualTo(777 + 65536 + 64);
                }
            }
        }
        assertThat(cycles[1]).as("cycles with every read of the first copy failing vs none failing")
                .isLessThanOrEqualTo(cycles[0] + 16);
    }

    @Test
    void descriptorsLongerThanMaxLenCompleteWithBadDescriptorAndTouchNothing() {
        int[] lengths = {100, DmaCopyModule.DEFAULT_MAX_LEN + 1, 0, Integer.MAX_VALUE, 9, DmaCopyModule.DEFAULT_MAX_LEN};
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            Random r = new Random(31);
            // The bad descriptors point at real memory: a block that copied anyway would show.
            Layout l = layout(arena, r, lengths);
            int[] want = new int[lengths.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = expectedStatus(l.jobs()[i], List.of(), List.of());
            }
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), 31, 0.2, 0.2, 10, 4);
            check(l, res, want, List.of(), backend() + " bad descriptors");
            assertThat(res.status()).containsExactly(0, 3, 0, 3, 0, 0);
        }
    }

    @Test
    void readsAndWritesPastTheEndOfMemoryAnswerDecerrAndFailOnlyTheirCopy() {
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
            MemorySegment memory = arena.allocate(8192, 64);
            byte[] before = new byte[8192];
            new Random(41).nextBytes(before);
            MemorySegment.copy(before, 0, memory, ValueLayout.JAVA_BYTE, 0, before.length);
            DmaCopyDriver.Job[] jobs = {
                    new DmaCopyDriver.Job(8000, 100, 500, 1),   // source runs past the end
                    new DmaCopyDriver.Job(1000, 2003, 300, 2),  // fine
                    new DmaCopyDriver.Job(3000, 7900, 400, 3),  // destination runs past the end
                    new DmaCopyDriver.Job(4001, 5003, 777, 4),  // fine
            };
            DmaCopyDriver.Result res = new DmaCopyDriver(model).run(memory, jobs, 41, 0.1, 0.1, 20, 8);
            assertThat(res.status()).as(backend()).containsExactly(DmaCopyModule.STATUS_READ_ERROR,
                    DmaCopyModule.STATUS_OK, DmaCopyModule.STATUS_WRITE_ERROR, DmaCopyModule.STATUS_OK);
            byte[] after = memory.toArray(ValueLayout.JAVA_BYTE);
            for (int at = 0; at < 8192; at++) {
                int copied = copiedFrom(jobs, at);
                if (copied < 0) {
                    assertThat(after[at]).as("%s: byte %d outside every destination", backend(), at)
                            .isEqualTo(before[at]);
                } else if (res.status()[copied >>> 16] == DmaCopyModule.STATUS_OK) {
                    assertThat(after[at]).as("%s: byte %d of copy %d", backend(), at, copied >>> 16)
                            .isEqualTo(before[copied & 0xFFFF]);
                } else {
                    int from = copied & 0xFFFF;
                    assertThat(after[at] == before[at] || (from < 8192 && after[at] == before[from]))
                            .as("%s: byte %d of failed copy %d: old value or source byte", backend(), at,
                                    copied >>> 16).isTrue();
                }
            }
        }
    }

    /** Which job writes byte {@code at} and from which source offset, packed as job << 16 | source; -1 if none. */
    private static int copiedFrom(DmaCopyDriver.Job[] jobs, long at) {
        for (int i = 0; i < jobs.length; i++) {
            DmaCopyDriver.Job j = jobs[i];
            if (at >= j.dst() && at < j.dst() + j.length()) {
                return i << 16 | (int) (j.src() + at - j.dst());
            }
        }
        return -1;
    }

    @Test
    void completionsWaitForLateWriteResponses() {
        long[] latency = new long[2];
        int[] wresp = {1, 200};
        for (int pass = 0; pass < 2; pass++) {
            try (Arena arena = Arena.ofConfined(); HardwareModel model = open()) {
                Layout l = layout(arena, new Random(51), new int[] {8, 1500, 64, 0, 3});
                DmaCopyDriver.Result res = new DmaCopyDriver(model).run(l.memory(), l.jobs(), 51, 0, 0, 1, 16,
                        AxiMemory.Faults.none().writeResponseLatency(wresp[pass]));
                check(l, res, new int[5], List.of(), backend() + " write-response latency " + wresp[pass]);
                latency[pass] = res.latencyCycles()[0];
            }
        }
        assertThat(latency[1] - latency[0]).as("%s: a lone 8-byte copy's latency grows with the write response's",
                backend()).isEqualTo(199);
    }
}
