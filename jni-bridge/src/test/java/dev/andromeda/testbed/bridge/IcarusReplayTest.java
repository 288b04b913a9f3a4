package dev.andromeda.testbed.bridge;

import dev.andromeda.testbed.hw.contract.JdkGcm;
import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadDriver;
import dev.andromeda.testbed.hw.blocks.csum.CsumOffloadModule;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyDriver;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmDriver;
import dev.andromeda.testbed.hw.blocks.gcm.AesGcmModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.replay.IcarusReplay;
import dev.andromeda.testbed.hw.replay.TraceRecorder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every block under a second simulator: its driver runs a seeded workload on the Verilated RTL
 * (results checked against an oracle written apart: {@link MemorySegment#copy}, RFC 1071, the
 * JDK's AES/GCM) while a {@link TraceRecorder} writes each cycle's inputs and outputs; Icarus
 * Verilog then compiles the block from {@code rtl/} and must show the same outputs on every cycle.
 * Under {@code CI=true} (./tb test) a missing {@code iverilog} fails the test.
 */
class IcarusReplayTest {
    private static final Path RTL = Path.of("..", "rtl").toAbsolutePath().normalize();

    @BeforeEach
    void requireIcarus() {
        Backends.requireTool("Icarus Verilog", IcarusReplay.unavailabilityCause());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {DmaCopyModule.BLOCK, CsumOffloadModule.BLOCK, AesGcmModule.BLOCK})
    void icarusShowsTheOutputsVerilatorShowedOnEveryCycle(String block, @TempDir Path dir) throws Exception {
        long seed = 1607;
        Path trace = dir.resolve(block + ".trace");
        List<dev.andromeda.testbed.hw.PortInfo> inputs;
        List<dev.andromeda.testbed.hw.PortInfo> outputs;
        long cycles;
        try (HardwareModel rtl = Backends.open("rtl-ffm", block);
             TraceRecorder rec = new TraceRecorder(rtl, trace)) {
            rec.reset(4);
            switch (block) {
                case DmaCopyModule.BLOCK -> dma(rec, seed);
                case CsumOffloadModule.BLOCK -> csum(rec, seed);
                default -> gcm(rec, seed);
            }
            inputs = TraceRecorder.inputsOf(rtl);
            outputs = TraceRecorder.outputsOf(rtl);
            cycles = rec.cycles();
        }
        List<Path> sources;
        try (Stream<Path> s = Files.list(RTL.resolve(block))) {
            sources = s.filter(p -> p.toString().endsWith(".sv") || p.toString().endsWith(".v")).sorted().toList();
        }
        IcarusReplay.Outcome o = IcarusReplay.run(block, sources, inputs, outputs, trace, dir.resolve("icarus"));
        assertThat(o.cycles()).as("%s seed %d: cycles replayed", block, seed).isEqualTo(cycles);
        assertThat(o.mismatches()).as("%s seed %d, Icarus vs Verilator (trace %s): %s", block, seed, trace,
                o.firstMismatches()).isZero();
    }

    /** The replay can fail: one output digit changed in the middle of a good trace is one mismatch. */
    @org.junit.jupiter.api.Test
    void aTraceWithOneOutputChangedIsOneMismatch(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("dma.trace");
        List<dev.andromeda.testbed.hw.PortInfo> inputs;
        List<dev.andromeda.testbed.hw.PortInfo> outputs;
        try (HardwareModel rtl = Backends.open("rtl-ffm", DmaCopyModule.BLOCK);
             TraceRecorder rec = new TraceRecorder(rtl, trace)) {
            rec.reset(4);
            dma(rec, 7);
            inputs = TraceRecorder.inputsOf(rtl);
            outputs = TraceRecorder.outputsOf(rtl);
        }
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(trace));
        int at = lines.size() / 2;
        String[] cols = lines.get(at).split(" ");
        int last = cols.length - 1; // the last output column
        char d = cols[last].charAt(0);
        cols[last] = (d == '0' ? '1' : '0') + cols[last].substring(1);
        lines.set(at, String.join(" ", cols));
        Files.write(trace, lines);
        List<Path> sources = List.of(RTL.resolve(DmaCopyModule.BLOCK).resolve(DmaCopyModule.BLOCK + ".sv"));
        IcarusReplay.Outcome o = IcarusReplay.run(DmaCopyModule.BLOCK, sources, inputs, outputs, trace,
                dir.resolve("icarus"));
        assertThat(o.mismatches()).as("%s", o.log()).isEqualTo(1);
        assertThat(o.firstMismatches().getFirst()).contains("cycle " + at + " " + outputs.getLast().name());
    }

    private static void dma(HardwareModel m, long seed) {
        Random r = new Random(seed);
        int n = 12;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate(2L * n * 2048, 64);
            byte[] noise = new byte[(int) mem.byteSize()];
            r.nextBytes(noise);
            MemorySegment.copy(noise, 0, mem, ValueLayout.JAVA_BYTE, 0, noise.length);
            DmaCopyDriver.Job[] jobs = new DmaCopyDriver.Job[n];
            for (int i = 0; i < n; i++) {
                jobs[i] = new DmaCopyDriver.Job((long) i * 2048 + r.nextInt(64), (long) (n + i) * 2048 + r.nextInt(64),
                        r.nextInt(1500), i);
            }
            DmaCopyDriver.Result res = new DmaCopyDriver(m).run(mem, jobs, seed, 0.2, 0.2, 5, 4);
            for (int i = 0; i < n; i++) {
                DmaCopyDriver.Job j = jobs[i];
                assertThat(res.status()[i]).as("seed %d copy %d status", seed, i).isZero();
                assertThat(mem.asSlice(j.dst(), j.length()).toArray(ValueLayout.JAVA_BYTE))
                        .as("seed %d copy %d", seed, i)
                        .isEqualTo(Arrays.copyOfRange(noise, (int) j.src(), (int) j.src() + j.length()));
            }
        }
    }

    /** RFC 1071, written here: the one's complement of the one's-complement sum of 16-bit words. */
    private static int rfc1071(byte[] b, int from, int to, int seed) {
        long sum = seed & 0xFFFF;
        for (int i = from; i < to; i += 2) {
            sum += ((b[i] & 0xFF) << 8) | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    /**
     * Sixteen packets with random idle cycles and back-pressure; the last two are refused (one
     * longer than the block's largest packet, one whose insert offset lies past its end), so the
     * replay covers the drain path and the error statuses as well as the sums.
     */
    private static void csum(HardwareModel m, long seed) {
        Random r = new Random(seed);
        int n = 16;
        int slot = 10_240;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mem = arena.allocate((long) n * slot, 64);
            byte[] data = new byte[n * slot];
            r.nextBytes(data);
            MemorySegment.copy(data, 0, mem, ValueLayout.JAVA_BYTE, 0, data.length);
            CsumOffloadDriver.Job[] jobs = new CsumOffloadDriver.Job[n];
            for (int i = 0; i < n - 2; i++) {
                int len = 40 + r.nextInt(1460);
                jobs[i] = new CsumOffloadDriver.Job((long) i * slot, len, 14, 0, false, r.nextInt(1 << 16));
            }
            jobs[n - 2] = new CsumOffloadDriver.Job((long) (n - 2) * slot, 9_300, 14, 0, false, 0);
            jobs[n - 1] = new CsumOffloadDriver.Job((long) (n - 1) * slot, 100, 14, 200, true, 0);
            CsumOffloadDriver.Result res = new CsumOffloadDriver(m).run(mem, jobs, seed, 0.2, 0.2);
            for (int i = 0; i < n - 2; i++) {
                CsumOffloadDriver.Job j = jobs[i];
                int base = (int) j.offset();
                assertThat(res.csum()[i]).as("seed %d packet %d", seed, i)
                        .isEqualTo(rfc1071(data, base + j.csumStart(), base + j.length(), j.seed()));
            }
            assertThat(res.status()[n - 2]).as("seed %d: 9,300 bytes", seed).isEqualTo(CsumOffloadModule.STATUS_TOO_LONG);
            assertThat(res.status()[n - 1]).as("seed %d: offset 200 in 100 bytes", seed)
                    .isEqualTo(CsumOffloadModule.STATUS_BAD_OFFSET);
        }
    }

    private static void gcm(HardwareModel m, long seed) throws Exception {
        Random r = new Random(seed);
        int n = 6;
        AesGcmDriver.Job[] jobs = new AesGcmDriver.Job[n];
        byte[][] want = new byte[n][];
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[i % 2 == 0 ? 16 : 32];
            byte[] iv = new byte[12];
            byte[] aad = new byte[r.nextInt(40)];
            byte[] pt = new byte[r.nextInt(300)];
            r.nextBytes(key);
            r.nextBytes(iv);
            r.nextBytes(aad);
            r.nextBytes(pt);
            byte[] sealed = JdkGcm.seal(key, iv, aad, pt);
            if (i % 3 == 2) {
                jobs[i] = new AesGcmDriver.Job(true, key, iv, aad, Arrays.copyOf(sealed, pt.length),
                        Arrays.copyOfRange(sealed, pt.length, sealed.length));
                want[i] = pt;
            } else {
                jobs[i] = new AesGcmDriver.Job(false, key, iv, aad, pt, null);
                want[i] = Arrays.copyOf(sealed, pt.length);
            }
        }
        // Two refused commands in the middle, so the replay covers the drain path and the
        // statuses: an open longer than MAX_TEXT_BYTES, and a seal whose text tlast comes 3 beats
        // early (its begun ciphertext frame closed by a tuser beat).
        AesGcmDriver.Job[] all = new AesGcmDriver.Job[n + 2];
        System.arraycopy(jobs, 0, all, 0, 3);
        all[3] = new AesGcmDriver.Job(true, new byte[16], new byte[12], new byte[8],
                new byte[AesGcmModule.DEFAULT_MAX_TEXT_BYTES + 1], new byte[16]);
        all[4] = new AesGcmDriver.Job(false, new byte[32], new byte[12], new byte[0], new byte[40], null,
                new AesGcmDriver.Framing(-1, 64, -1, -1));
        System.arraycopy(jobs, 3, all, 5, n - 3);
        AesGcmDriver.Result res = new AesGcmDriver(m).run(all, seed, 0.2, 0.2);
        for (int i = 0; i < n; i++) {
            int at = i < 3 ? i : i + 2;
            assertThat(res.ok()[at]).as("seed %d job %d ok", seed, i).isTrue();
            assertThat(res.text()[at]).as("seed %d job %d text", seed, i).isEqualTo(want[i]);
        }
        assertThat(res.status()[3]).as("seed %d: an over-long open", seed).isEqualTo(AesGcmModule.STATUS_TOO_LONG);
        assertThat(res.status()[4]).as("seed %d: tlast early", seed).isEqualTo(AesGcmModule.STATUS_BAD_FRAMING);
        assertThat(res.errCount()).isEqualTo(2);
    }
}
