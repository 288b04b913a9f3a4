package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.contract.ChecksumCase;
import dev.andromeda.testbed.hw.contract.Rfc1071;
import dev.andromeda.testbed.hw.kit.KitModel;
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
 * {@code csum_offload} simulated at more than one {@code DATA_WIDTH} -- 32 and 128 built with
 * {@code -G}, 64 the built-in model -- on both RTL bridges, against the default width's oracle
 * (RFC 1071 section 4.1, {@link Rfc1071}): seeded random packets with every length around the
 * width's beat boundaries, odd lengths and starts, jumbo frames, refused packets (a tkeep hole,
 * an insert offset past the end) among good ones, under random idle cycles and back-pressure.
 * The throughput rows of the datasheet's width table come from {@link #sustainsOneBeatPerCycle},
 * which also holds the RTL at 32 bits to the Java model built at 32 bits (the same cycle counts
 * and latencies, packet by packet; the Java model stops at 64 bits).
 */
class ChecksumWidthTest {

    private static HardwareModel open(String backend, int width) {
        HardwareModel m = width == 64 ? ParameterizedModels.open(backend, CsumOffloadModule.BLOCK)
                : ParameterizedModels.open(backend, CsumOffloadModule.BLOCK, "DATA_WIDTH=" + width);
        assertThat(m.ports().get(m.port("s_axis_tdata")).width()).as("the model's tdata").isEqualTo(width);
        return m;
    }

    @ParameterizedTest(name = "{0}, DATA_WIDTH {1}, seed {2}")
    @CsvSource({
        "rtl-ffm, 32, 321", "rtl-jni, 32, 322",
        "rtl-ffm, 64, 641", "rtl-jni, 64, 642",
        "rtl-ffm, 128, 1281", "rtl-jni, 128, 1282"})
    void checksumsAndInsertsAtEveryWidth(String backend, int width, long seed) {
        int beat = width / 8;
        Random r = new Random(seed);
        List<Integer> lengths = new ArrayList<>();
        // Every length through three beats, then odd and even lengths around beat boundaries and jumbo frames.
        for (int len = 0; len <= 3 * beat + 1; len++) {
            lengths.add(len);
        }
        for (int i = 0; i < 40; i++) {
            int b = 1 + r.nextInt(9216 / beat - 1);
            lengths.add(b * beat + r.nextInt(3) - 1);
        }
        lengths.addAll(List.of(1499, 1500, 9215, ChecksumCase.MAX_PACKET));
        List<ChecksumCase> cases = new ArrayList<>();
        for (int len : lengths) {
            cases.add(ChecksumCase.random("w" + width, r, len));
        }
        int n = cases.size() + 2;
        long stride = 9216 + 64;
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open(backend, width)) {
            MemorySegment memory = arena.allocate(n * stride, 64);
            CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[n];
            byte[][] before = new byte[n][];
            for (int i = 0; i < cases.size(); i++) {
                ChecksumCase c = cases.get(i);
                // Odd placements in memory too: the driver's beats must not depend on alignment.
                long at = i * stride + (i % 7);
                MemorySegment.copy(c.data(), 0, memory, ValueLayout.JAVA_BYTE, at, c.data().length);
                boolean udp = r.nextBoolean();
                jobs[i] = new CsumOffloadDriver.Job(at, c.data().length, c.start(), Math.max(0, c.insert()),
                        c.insert() >= 0, c.seed(), udp, -1);
                before[i] = c.data();
            }
            // Two refused packets among the good ones: a tkeep hole in a beat before tlast, and an
            // insert offset past the end of the packet.
            int hole = cases.size();
            int badOffset = cases.size() + 1;
            byte[] holeData = new byte[3 * beat + 5];
            r.nextBytes(holeData);
            byte[] badData = new byte[2 * beat + 3];
            r.nextBytes(badData);
            MemorySegment.copy(holeData, 0, memory, ValueLayout.JAVA_BYTE, hole * stride, holeData.length);
            MemorySegment.copy(badData, 0, memory, ValueLayout.JAVA_BYTE, badOffset * stride, badData.length);
            jobs[hole] = new CsumOffloadDriver.Job(hole * stride, holeData.length, 0, 0, true, 0, false, 1);
            jobs[badOffset] = new CsumOffloadDriver.Job(badOffset * stride, badData.length, 0, badData.length - 1,
                    true, 0);
            before[hole] = holeData;
            before[badOffset] = badData;

            CsumOffloadDriver driver = new CsumOffloadDriver(model);
            assertThat(driver.beatBytes()).isEqualTo(beat);
            CsumOffloadDriver.Result res = driver.run(memory, jobs, seed, 0.25, 0.35);

            long beats = 0;
            for (CsumOffloadDriver.Job j : jobs) {
                beats += Math.max(1, (j.length() + beat - 1) / beat);
            }
            assertThat(res.beatsIn()).as("beats in, %s DATA_WIDTH %d seed %d", backend, width, seed).isEqualTo(beats);
            for (int i = 0; i < cases.size(); i++) {
                ChecksumCase c = cases.get(i);
                String what = backend + " DATA_WIDTH " + width + " seed " + seed + " job " + i + " " + c;
                int want = Rfc1071.transmitted(Rfc1071.checksum(c.data(), c.start(), c.seed()), jobs[i].udp());
                assertThat(res.status()[i]).as(what).isEqualTo(CsumOffloadModule.STATUS_OK);
                assertThat(res.csum()[i]).as(what).isEqualTo(want);
                byte[] expect = c.insert() >= 0 ? Rfc1071.withWord(c.data(), c.insert(), want) : c.data();
                assertThat(memory.asSlice(jobs[i].offset(), c.data().length).toArray(ValueLayout.JAVA_BYTE))
                        .as(what).isEqualTo(expect);
            }
            String tag = backend + " DATA_WIDTH " + width + " seed " + seed;
            assertThat(res.status()[hole]).as("tkeep hole, %s", tag).isEqualTo(CsumOffloadModule.STATUS_BAD_KEEP);
            assertThat(res.status()[badOffset]).as("offset past the end, %s", tag)
                    .isEqualTo(CsumOffloadModule.STATUS_BAD_OFFSET);
            for (int i : new int[] {hole, badOffset}) {
                assertThat(res.csum()[i]).as("refused job %d, %s", i, tag).isZero();
                assertThat(memory.asSlice(jobs[i].offset(), before[i].length).toArray(ValueLayout.JAVA_BYTE))
                        .as("refused job %d left untouched, %s", i, tag).isEqualTo(before[i]);
            }
            assertThat(res.errCount()).as("err_count, %s", tag).isEqualTo(2);
        }
    }

    /**
     * 64 back-to-back packets, no idle cycles, no back-pressure: one beat per cycle at every
     * width, so the bytes per cycle scale with it. Cycle counts (deterministic), not wall time.
     */
    @ParameterizedTest(name = "{0}, DATA_WIDTH {1}, {2}-byte packets")
    @CsvSource({
        "rtl-ffm, 32, 64", "rtl-ffm, 32, 1500", "rtl-ffm, 32, 9216", "rtl-jni, 32, 1500",
        "rtl-ffm, 64, 64", "rtl-ffm, 64, 1500", "rtl-ffm, 64, 9216", "rtl-jni, 64, 1500",
        "rtl-ffm, 128, 64", "rtl-ffm, 128, 1500", "rtl-ffm, 128, 9216", "rtl-jni, 128, 1500"})
    void sustainsOneBeatPerCycle(String backend, int width, int length) {
        int beat = width / 8;
        int packets = 64;
        long seed = 7L * width + length;
        Random r = new Random(seed);
        try (Arena arena = Arena.ofConfined(); HardwareModel model = open(backend, width)) {
            MemorySegment memory = arena.allocate((long) packets * length, 64);
            CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[packets];
            ChecksumCase[] cases = new ChecksumCase[packets];
            for (int i = 0; i < packets; i++) {
                cases[i] = ChecksumCase.random("rate", r, length);
                MemorySegment.copy(cases[i].data(), 0, memory, ValueLayout.JAVA_BYTE, (long) i * length, length);
                jobs[i] = new CsumOffloadDriver.Job((long) i * length, length, cases[i].start(),
                        Math.max(0, cases[i].insert()), cases[i].insert() >= 0, cases[i].seed());
            }
            CsumOffloadDriver.Result res = new CsumOffloadDriver(model).run(memory, jobs, seed, 0, 0);
            for (int i = 0; i < packets; i++) {
                assertThat(res.csum()[i]).as("%s DATA_WIDTH %d seed %d job %d", backend, width, seed, i)
                        .isEqualTo(Rfc1071.checksum(cases[i].data(), cases[i].start(), cases[i].seed()));
            }
            long beatsPerPacket = (length + beat - 1) / beat;
            double beatsPerCycle = (double) res.beatsIn() / res.cycles();
            double bytesPerCycle = (double) packets * length / res.cycles();
            System.out.printf("csum_offload width | %s | DATA_WIDTH %d | %d x %d B | %d beats | %d cycles"
                            + " | %.3f beats/cycle | %.2f B/cycle%n", backend, width, packets, length,
                    res.beatsIn(), res.cycles(), beatsPerCycle, bytesPerCycle);
            assertThat(res.beatsIn()).isEqualTo(packets * beatsPerPacket);
            // One beat a cycle; the only shortfall is draining the last packet (its beats + 7 cycles
            // at 64 bits, the datasheet's figure), so the run takes that long and no longer.
            assertThat(res.cycles()).as("cycles, %s DATA_WIDTH %d, %d B", backend, width, length)
                    .isLessThanOrEqualTo(packets * beatsPerPacket + beatsPerPacket + 16);
            if (width <= 64) {
                // The same packets from the same memory image on the Java model at this width.
                for (int i = 0; i < packets; i++) {
                    MemorySegment.copy(cases[i].data(), 0, memory, ValueLayout.JAVA_BYTE, (long) i * length, length);
                }
                CsumOffloadDriver.Result emu;
                try (KitModel m = new KitModel(new CsumOffloadModule(width, 32768, 9216, 4, 16))) {
                    m.reset(RtlBackend.RESET_CYCLES);
                    emu = new CsumOffloadDriver(m).run(memory, jobs, seed, 0, 0);
                }
                assertThat(res.cycles()).as("cycles against emu, DATA_WIDTH %d", width).isEqualTo(emu.cycles());
                assertThat(res.latencyCycles()).as("latencies against emu").isEqualTo(emu.latencyCycles());
                assertThat(res.firstBeatOutCycles()).as("first beat out against emu")
                        .isEqualTo(emu.firstBeatOutCycles());
            }
        }
    }
}
