package example;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.driver.AxiResp;
import dev.andromeda.testbed.hw.driver.BusAgent;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.RtlModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rtl-testkit's AXI4 memory ({@code dut.memory}) serving the example's AXI4 master: random
 * copies (1..16-beat INCR bursts, data before address or after it, some reading or writing
 * past the end of memory) under random latency, reads in flight, idle cycles, back-pressure
 * and a stalling master, on both bridges and three data widths; memory checked against a
 * plain byte array the test copies itself, errors against the bytes that fall outside.
 * The protocol checker on the port is shown to catch a broken memory.
 */
class AxiBurstCopyTest {
    private static final Path MANIFEST = Path.of("model.yaml");
    /** Not a multiple of 4 KiB: a burst in the last page may run past the end without crossing a page. */
    private static final int SIZE = 16 * 1024 - 256;

    @BeforeAll
    static void needsVerilator() {
        RtlModels.requireTools(); // fails under CI=true, skips elsewhere, naming what is missing
    }

    @ParameterizedTest(name = "{0}, DATA_BYTES={1}, seed {2}")
    @CsvSource({"rtl-ffm, 8, 1", "rtl-jni, 8, 2", "rtl-ffm, 4, 3", "rtl-jni, 16, 4"})
    void copiesEveryBurstAsAByteArrayCopyDoes(String impl, int dataBytes, long seed) {
        Random random = new Random(seed);
        byte[] oracle = new byte[SIZE];
        random.nextBytes(oracle);
        try (Arena arena = Arena.ofConfined();
             Dut dut = Dut.load(MANIFEST, impl, seed, "-G", "DATA_BYTES=" + dataBytes)
                     .wavesOnFailure(Path.of("target/waves"))) {
            MemorySegment memory = arena.allocate(SIZE, 64);
            MemorySegment.copy(oracle, 0, memory, ValueLayout.JAVA_BYTE, 0, SIZE);
            AxiMemory axi = dut.memory("m_axi", memory, 1 + random.nextInt(8), 1 + random.nextInt(4), 0.3, 0.3);
            HardwareModel m = dut.model();
            int stall = m.port("stall");
            Random stalls = new Random(seed ^ 0x5EED);
            dut.add(cycle -> m.set(stall, stalls.nextInt(4) == 0 ? 1 : 0));
            dut.reset(4);
            long badReads = 0;
            long outside = 0;
            for (int i = 0; i < 120; i++) {
                int beats = 1 + random.nextInt(16);
                int bytes = beats * dataBytes;
                long src = random.nextInt(8) == 0 ? pastTheEnd(random, bytes, dataBytes) : inside(random, bytes, dataBytes);
                long dst = random.nextInt(10) == 0 ? pastTheEnd(random, bytes, dataBytes) : inside(random, bytes, dataBytes);
                // The oracle: read every beat, then write the ones read without error.
                int want = AxiResp.OKAY;
                byte[][] read = new byte[beats][];
                for (int k = 0; k < beats; k++) {
                    long at = src + (long) k * dataBytes;
                    if (at + dataBytes <= SIZE) {
                        read[k] = Arrays.copyOfRange(oracle, (int) at, (int) at + dataBytes);
                    } else {
                        want = AxiResp.DECERR;
                        badReads++;
                        outside++;
                    }
                }
                for (int k = 0; k < beats; k++) {
                    long at = dst + (long) k * dataBytes;
                    if (read[k] == null) {
                        continue;       // written with strobes 0: nothing
                    }
                    if (at + dataBytes <= SIZE) {
                        System.arraycopy(read[k], 0, oracle, (int) at, dataBytes);
                    } else {
                        want = AxiResp.DECERR;
                        outside++;
                    }
                }
                m.set(m.port("src"), src);
                m.set(m.port("dst"), dst);
                m.set(m.port("beats"), beats);
                m.set(m.port("data_first"), random.nextBoolean() ? 1 : 0);
                m.set(m.port("start"), 1);
                dut.cycles(1);
                m.set(m.port("start"), 0);
                dut.runUntil(() -> m.get(m.port("busy")) == 0, 5_000);
                assertEquals(AxiResp.name(want), AxiResp.name(m.get(m.port("err"))),
                        "copy " + i + " of " + beats + " beats 0x" + Long.toHexString(src) + " -> 0x"
                                + Long.toHexString(dst) + ", seed " + seed);
            }
            byte[] got = memory.toArray(ValueLayout.JAVA_BYTE);
            assertEquals(-1, Arrays.mismatch(oracle, got), "first byte differing from the byte-array copy, seed " + seed);
            assertEquals(badReads, axi.readErrors(), "read beats answered DECERR, seed " + seed);
            assertEquals(outside, axi.outOfRange(), "beats outside the memory, counted, seed " + seed);
            assertTrue(axi.idle(), "every request answered");
        }
    }

    /** An aligned address whose burst stays in the memory and in one 4 KiB page. */
    private static long inside(Random random, int bytes, int dataBytes) {
        while (true) {
            long at = (long) dataBytes * random.nextInt(SIZE / dataBytes);
            if (at + bytes <= SIZE && at / 4096 == (at + bytes - 1) / 4096) {
                return at;
            }
        }
    }

    /** An aligned address whose burst runs past the end of the memory (partly or wholly), in the last page. */
    private static long pastTheEnd(Random random, int bytes, int dataBytes) {
        int page = 4096 * (SIZE / 4096 + 1);
        long lowest = Math.max(SIZE - bytes + dataBytes, page - 4096);
        return lowest + (long) dataBytes * random.nextInt((int) ((page - bytes - lowest) / dataBytes + 1));
    }

    @Test
    void theCheckerCatchesAnRlastOnTheWrongBeat() {
        try (Arena arena = Arena.ofConfined(); Dut dut = Dut.load(MANIFEST, "rtl-ffm", 8)) {
            dut.memory("m_axi", arena.allocate(4096, 64), 2, 2, 0, 0);
            HardwareModel m = dut.model();
            int rlast = m.port("m_axi_rlast");
            // A broken memory: rlast on every beat (added after the memory, it overrides it).
            dut.add(cycle -> m.set(rlast, 1));
            dut.reset(2);
            m.set(m.port("src"), 0);
            m.set(m.port("dst"), 512);
            m.set(m.port("beats"), 4);
            m.set(m.port("start"), 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dut.cycles(40));
            assertTrue(e.getMessage().contains("m_axi R: rlast on beat 1 of a 4-beat burst"), e.getMessage());
        }
    }

    @Test
    void theCheckerCatchesReadDataNobodyAskedFor() {
        try (Arena arena = Arena.ofConfined(); Dut dut = Dut.load(MANIFEST, "rtl-jni", 9)) {
            dut.memory("m_axi", arena.allocate(4096, 64), 2, 2, 0, 0);
            HardwareModel m = dut.model();
            int rvalid = m.port("m_axi_rvalid");
            dut.reset(2);
            BusAgent broken = cycle -> m.set(rvalid, 1);
            dut.add(broken);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> dut.cycles(2));
            assertTrue(e.getMessage().contains("m_axi R: rvalid with no read outstanding for rid 0"), e.getMessage());
        }
    }
}
