package dev.andromeda.testbed.testkit.blocks;

import dev.andromeda.testbed.hw.HardwareModel;
import dev.andromeda.testbed.hw.blocks.dma.DmaCopyModule;
import dev.andromeda.testbed.hw.contract.Backends;
import dev.andromeda.testbed.hw.driver.AxiMemory;
import dev.andromeda.testbed.hw.driver.AxiPortMap;
import dev.andromeda.testbed.hw.driver.BeatQueue;
import dev.andromeda.testbed.hw.driver.Channel;
import dev.andromeda.testbed.testkit.Dut;
import dev.andromeda.testbed.testkit.Scoreboard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in DMA copy block written as a user would test their own RTL: Dut, the one AXI4
 * memory on the block's port map ({@link AxiPortMap#dmaCopy()}, with the AXI4 checker), a
 * descriptor source, a completion scoreboard -- against a byte-array copy, on the Java model
 * and both bridges. Some descriptors read past the end of memory: READ_ERROR, nothing written.
 */
class DmaCopyOnDutTest {
    private static final int SIZE = 64 * 1024;

    @ParameterizedTest(name = "{0}, seed {1}")
    @CsvSource({"emu, 1", "rtl-jni, 2", "rtl-ffm, 3"})
    void copiesEveryDescriptorAsAByteArrayCopyDoes(String impl, long seed) {
        Random random = new Random(seed);
        byte[] oracle = new byte[SIZE];
        random.nextBytes(oracle);
        HardwareModel model = Backends.open(impl, "dma_copy");
        try (Arena arena = Arena.ofConfined(); Dut dut = Dut.of(model, seed).wavesOnFailure(Path.of("target/waves"))) {
            MemorySegment memory = arena.allocate(SIZE, 64);
            MemorySegment.copy(oracle, 0, memory, ValueLayout.JAVA_BYTE, 0, SIZE);
            AxiMemory axi = dut.memory(AxiPortMap.dmaCopy(), memory, 1 + random.nextInt(20), 1 + random.nextInt(8),
                    0.2, 0.2, AxiMemory.Faults.none());
            BeatQueue descriptors = dut.beats(Channel.of(model, "s_desc", "s_desc_valid", "s_desc_ready",
                    "s_desc_src", "s_desc_dst", "s_desc_len", "s_desc_cookie"), 0.2);
            Scoreboard<String> completions = dut.scoreboard("m_cpl", Objects::equals);
            dut.take(Channel.of(model, "m_cpl", "m_cpl_valid", "m_cpl_ready", "m_cpl_cookie", "m_cpl_status"), 0.3,
                    (f, cycle) -> completions.actual(completion(f[0], f[1])));
            dut.reset(4);
            int badReads = 0;
            for (int i = 0; i < 60; i++) {
                int len = random.nextInt(2000);
                // Sources in the lower half, destinations in the upper: no copy reads what another wrote.
                long src = random.nextInt(SIZE / 2 - len + 1);
                long dst = SIZE / 2 + random.nextInt(SIZE / 2 - len + 1);
                int status = DmaCopyModule.STATUS_OK;
                if (len > 0 && random.nextInt(8) == 0) {
                    src = SIZE + random.nextInt(4096);      // wholly past the end: every beat DECERR
                    status = DmaCopyModule.STATUS_READ_ERROR;
                    badReads++;
                } else {
                    System.arraycopy(oracle, (int) src, oracle, (int) dst, len);
                }
                descriptors.add(src, dst, len, i);
                completions.expect(completion(i, status));
            }
            dut.runUntil(() -> completions.drained() && axi.idle(), 1_000_000);
            completions.assertDrained();
            assertThat(Arrays.mismatch(oracle, memory.toArray(ValueLayout.JAVA_BYTE)))
                    .as("first byte differing from the byte-array copy, seed %d", seed).isEqualTo(-1);
            assertThat(axi.readErrors() > 0).as("read beats answered DECERR").isEqualTo(badReads > 0);
            assertThat(axi.outOfRange()).as("beats outside memory, counted").isEqualTo(axi.readErrors());
        }
    }

    private static String completion(long cookie, long status) {
        return "cookie " + cookie + " status " + status;
    }
}
